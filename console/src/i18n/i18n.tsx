import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en } from './en.dictionary';
import { zhCN, type Dictionary, type DictionaryKey } from './zh-cn.dictionary';

export type Language = 'zh-CN' | 'en';
const DICTIONARIES: Record<Language, Dictionary> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'carebeat.language';

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  /** The shop's zone (from `GET /v1/me`): every instant shows in it, never in the browser's. */
  timeZone: string;
  setTimeZone(timeZone: string): void;
  /** Looks a key up and fills `{name}` placeholders. */
  t(key: DictionaryKey, values?: Record<string, string | number>): string;
  /**
   * A value the API sends (a status, channel, kind, gender, lifecycle class) in words:
   * `term('status', 'sent')` → 已发送. A value the dictionary does not know yet shows as it came.
   */
  term(group: TermGroup, value: string | null | undefined): string;
  /** Whether the dictionary has words for this API value. */
  knows(group: TermGroup, value: string): boolean;
  /** Formats an ISO instant for people, in the shop's zone. */
  formatInstant(iso: string | null | undefined): string;
  /** A send at `time` on `date` in each customer's own zone: "10:00（按每位客户当地时间）", never a converted instant. */
  formatLocalSend(date: string | null | undefined, time: string): string;
  /** Today's date (YYYY-MM-DD) in the shop's zone. */
  today(): string;
}

export type TermGroup = 'status' | 'channel' | 'kind' | 'gender' | 'lifecycle' | 'source' | 'orderStatus' | 'notice' | 'errors' | 'holiday' | 'reason' | 'detail';

const I18nContext = createContext<I18n | null>(null);

function storedLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

/** A zone the browser can format in, else the browser's own (an unknown zone must not break every page). */
function usableZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setState] = useState<Language>(storedLanguage);
  const [timeZone, setZone] = useState<string>(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setState(next);
  }, []);
  const setTimeZone = useCallback((next: string) => {
    const zone = usableZone(next);
    if (zone) setZone(zone);
  }, []);
  const value = useMemo<I18n>(() => {
    const dictionary = DICTIONARIES[language] as Record<string, string>;
    const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    const day = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
    const fill = (text: string, values?: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? ''));
    return {
      language,
      setLanguage,
      timeZone,
      setTimeZone,
      t: (key, values) => fill(dictionary[key], values),
      term: (group, value) => (value ? dictionary[`${group}.${value}`] ?? value : '—'),
      knows: (group, value) => `${group}.${value}` in dictionary,
      formatInstant: (iso) => (iso ? dateTime.format(new Date(iso)) : '—'),
      formatLocalSend: (date, time) => fill(dictionary['time.localSend'], { date: date ?? '', time }).trim(),
      today: () => day.format(new Date()),
    };
  }, [language, setLanguage, timeZone, setTimeZone]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
