import type { Locale } from 'date-fns';
import { enUS, zhCN, zhTW } from 'date-fns/locale';

const isChinese = (locale: string) => locale.toLowerCase().startsWith('zh');

/** 先生/女士 for Chinese, Mr./Ms. otherwise; empty when the gender is not known. */
export function salutationTitle(gender: string | null | undefined, locale: string): string {
  if (gender !== 'female' && gender !== 'male') return '';
  if (isChinese(locale)) return gender === 'female' ? '女士' : '先生';
  return gender === 'female' ? 'Ms.' : 'Mr.';
}

export function dateFnsLocale(locale: string): Locale {
  const lower = locale.toLowerCase();
  if (lower === 'zh-tw' || lower === 'zh-hk' || lower === 'zh-hant') return zhTW;
  return isChinese(locale) ? zhCN : enUS;
}

/**
 * A long date as people write it: 2027年9月15日 / September 15, 2027. date-fns' `PPP` would give
 * "September 15th, 2027" in English, which reads oddly in a greeting.
 */
export function longDatePattern(locale: string): string {
  return isChinese(locale) ? 'y年M月d日' : 'MMMM d, y';
}

/**
 * Whether the locale is a well-formed BCP 47 tag (`zh-CN`, `en`), as `toLocaleUpperCase` and Intl demand:
 * `en-a1` has the shape our schemas accept but makes them throw.
 */
export function isWellFormedLocale(locale: string): boolean {
  try {
    return Intl.getCanonicalLocales(locale).length === 1;
  } catch {
    return false;
  }
}
