import type { MessageKind } from '../../../db/schema';

/** A shop's festival greeting is marketing to the carriers (【签名】, 回T退订), though the frequency cap exempts it. */
const MARKETING_KINDS: ReadonlySet<MessageKind> = new Set(['holiday', 'promo', 'festival']);

export const isMarketing = (kind: MessageKind | undefined): boolean => !!kind && MARKETING_KINDS.has(kind);

/** `熊猫旅游` → `【熊猫旅游】`; an already bracketed signature stays as configured. */
export function normaliseSignature(signature: string): string {
  const trimmed = signature.trim();
  if (!trimmed) return '';
  return /^【.*】$/.test(trimmed) || /^\[.*\]$/.test(trimmed) ? trimmed : `【${trimmed}】`;
}

const endsInCjk = (text: string) => /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]$/.test(text);

/**
 * Chinese carriers require marketing SMS to open with the sender's signature 【…】 and end with
 * an opt-out hint (回T退订). Transactional kinds (birthday, follow-up) are left as written.
 */
export function assembleMarketingSms(text: string, kind: MessageKind | undefined, options: { signature: string; optOutHint: string }): string {
  if (!isMarketing(kind)) return text;
  let result = text.trim();
  const signature = normaliseSignature(options.signature);
  if (signature && !result.includes(signature)) result = `${signature}${result}`;
  const hint = options.optOutHint.trim();
  if (hint && !result.includes(hint)) result = `${result}${endsInCjk(result) ? '' : ' '}${hint}`;
  return result;
}
