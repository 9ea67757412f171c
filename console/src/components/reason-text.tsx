import { useI18n } from '../i18n/i18n';
import type { DictionaryKey } from '../i18n/zh-cn.dictionary';

/** Reasons the API writes with values in them, and how to say each (the values keep their place). */
const PATTERNS: Array<[RegExp, DictionaryKey, (match: RegExpMatchArray, instant: (iso: string) => string) => Record<string, string>]> = [
  [/^quiet hours in (\S+); held until (\S+)$/, 'reason.quietHours', (m, at) => ({ zone: m[1], time: at(m[2]) })],
  [/^expired at (\S+)$/, 'reason.expiredAt', (m, at) => ({ time: at(m[1]) })],
  [/^attempt (\d+)$/, 'reason.attempt', (m) => ({ n: m[1] })],
  [/^accepted by (\S+)$/, 'reason.acceptedBy', (m) => ({ provider: m[1] })],
  [/^keyword (.+)$/, 'reason.keyword', (m) => ({ keyword: m[1] })],
  [/^provider reported (\S+)(.*)$/s, 'reason.providerReported', (m) => ({ status: m[1], rest: m[2] })],
];

/** A message or notice reason (why it was held, cancelled, suppressed…) in the console's language; an unknown one as it came. */
export function ReasonText({ reason }: { reason: string | null | undefined }) {
  const { t, term, knows, formatInstant } = useI18n();
  if (!reason) return null;
  if (knows('reason', reason)) return <>{term('reason', reason)}</>;
  for (const [pattern, key, values] of PATTERNS) {
    const match = reason.match(pattern);
    if (match) return <>{t(key, values(match, formatInstant))}</>;
  }
  return <>{reason}</>;
}
