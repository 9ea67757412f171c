import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en } from './en.dictionary';
import { zhCN, type Dictionary, type DictionaryKey } from './zh-cn.dictionary';

export type Language = 'zh-CN' | 'en';
const DICTIONARIES: Record<Language, Dictionary> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'carebeat.language';

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  /** Looks a key up and fills `{name}` placeholders. */
  t(key: DictionaryKey, values?: Record<string, string | number>): string;
  /**
   * A value the API sends (a status, channel, kind, gender, lifecycle class) in words:
   * `term('status', 'sent')` → 已发送. A value the dictionary does not know yet shows as it came.
   */
  term(group: TermGroup, value: string | null | undefined): string;
  /** Formats an ISO instant for people, in the browser's zone. */
  formatInstant(iso: string | null | undefined): string;
}

export type TermGroup = 'status' | 'channel' | 'kind' | 'gender' | 'lifecycle' | 'source' | 'orderStatus' | 'notice';

const I18nContext = createContext<I18n | null>(null);

function storedLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setState] = useState<Language>(storedLanguage);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dictionary = DICTIONARIES[language];
    const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      language,
      setLanguage,
      t: (key, values) => dictionary[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? '')),
      term: (group, value) => (value ? (dictionary as Record<string, string>)[`${group}.${value}`] ?? value : '—'),
      formatInstant: (iso) => (iso ? dateTime.format(new Date(iso)) : '—'),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
