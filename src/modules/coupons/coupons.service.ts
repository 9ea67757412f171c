import { ConflictError, NotFoundError, UnprocessableError, ValidationError, type ErrorDetail } from '../../shared/errors';
import type { Clock } from '../../time/clock';
import type { SqlExecutor } from '../messages/outbox.repository';
import { CODE_PATTERN, generateCodes, normalizeCode } from './coupon-codes';
import type { BatchRow, BatchStats, CodeRow, CouponsRepository } from './coupons.repository';

/** Codes per insert statement: a million codes stream through in bounded memory. */
const CODE_CHUNK = 10_000;
/** Duplicates named in a 409 (all are counted). */
const DUPLICATES_LISTED = 20;

export interface CreateBatchInput {
  name: string;
  value: number;
  currency?: string;
  minSpend?: number | null;
  validDays?: number | null;
  validUntil?: string | null;
  codes?: string[];
  generate?: { count: number; prefix?: string; length?: number };
}

const money = (value: number | null | undefined): string | null => (value === null || value === undefined ? null : value.toFixed(2));

function batchView(batch: BatchRow, stats: BatchStats | undefined) {
  const s = stats ?? { total: 0, issued: 0, redeemed: 0, available: 0, expired: 0, voided: 0, revenue: '0', redeemedIssued: 0 };
  return {
    id: batch.id, name: batch.name, value: Number(batch.value), currency: batch.currency,
    minSpend: batch.minSpend === null ? null : Number(batch.minSpend),
    validDays: batch.validDays, validUntil: batch.validUntil?.toISOString() ?? null, createdAt: batch.createdAt.toISOString(),
    stats: {
      total: s.total, issued: s.issued, redeemed: s.redeemed, available: s.available, expired: s.expired, voided: s.voided,
      redemptionRate: s.issued ? Math.round((s.redeemedIssued / s.issued) * 10_000) / 10_000 : 0,
      revenue: Number(s.revenue),
    },
  };
}
export type CouponBatchView = ReturnType<typeof batchView>;

/** A code's status as API.md names it: an issued (or never issued) code past its expiry is `expired`. */
function codeStatus(code: CodeRow, now: Date): 'available' | 'issued' | 'redeemed' | 'expired' | 'void' {
  if (code.status === 'redeemed' || code.status === 'void') return code.status;
  if ((code.expiresAt && code.expiresAt <= now) || (code.batchValidUntil && code.batchValidUntil <= now)) return 'expired';
  return code.status;
}

function codeView(code: CodeRow, now: Date) {
  return {
    code: code.code, batchId: code.batchId, contactId: code.contactId, messageId: code.messageId, status: codeStatus(code, now),
    value: Number(code.value), currency: code.currency, minSpend: code.minSpend === null ? null : Number(code.minSpend),
    issuedAt: code.issuedAt?.toISOString() ?? null, expiresAt: (code.expiresAt ?? code.batchValidUntil)?.toISOString() ?? null,
    redeemedAt: code.redeemedAt?.toISOString() ?? null, orderExternalId: code.orderExternalId,
    orderAmount: code.orderAmount === null ? null : Number(code.orderAmount), note: code.note,
  };
}
export type CouponCodeView = ReturnType<typeof codeView>;

/** Streams `source` in chunks of CODE_CHUNK (normalized; a malformed code is a 422 naming its place). */
async function* chunksOf(source: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string[]> {
  let chunk: string[] = [];
  let index = 0;
  for await (const raw of source) {
    const code = normalizeCode(raw);
    if (!CODE_PATTERN.test(code)) {
      throw new ValidationError([{ field: `codes.${index}`, message: `"${raw}" is not a code (3–64 letters, digits, - or _)` }]);
    }
    index++;
    chunk.push(code);
    if (chunk.length >= CODE_CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

export function createCouponsService(deps: { repository: CouponsRepository; clock: Clock }) {
  const { repository, clock } = deps;

  /** Inserts the codes chunk by chunk; duplicates (elsewhere or within the list) are counted and the first named. */
  async function addCodesTo(batchId: string, source: AsyncIterable<string> | Iterable<string>, executor?: SqlExecutor) {
    let added = 0;
    const duplicates: ErrorDetail[] = [];
    let duplicateCount = 0;
    for await (const chunk of chunksOf(source)) {
      const inserted = new Set(await repository.insertCodes(batchId, chunk, executor));
      added += inserted.size;
      if (inserted.size === chunk.length) continue;
      const missing = chunk.filter((code) => !inserted.delete(code));
      duplicateCount += missing.length;
      if (duplicates.length < DUPLICATES_LISTED) {
        const where = new Map((await repository.existingCodes(missing.slice(0, DUPLICATES_LISTED), executor)).map((row) => [row.code, row.batchId]));
        for (const code of missing.slice(0, DUPLICATES_LISTED - duplicates.length)) {
          const batch = where.get(code);
          duplicates.push({ field: 'codes', message: batch && batch !== batchId ? `${code} already exists in batch ${batch}` : `${code} is given twice` });
        }
      }
    }
    return { added, duplicates, duplicateCount };
  }

  const duplicateError = (found: { duplicates: ErrorDetail[]; duplicateCount: number }, added: number | null) => new ConflictError(
    `duplicate code ${found.duplicates[0].message}` + (found.duplicateCount > 1 ? ` (and ${found.duplicateCount - 1} more)` : '')
      + (added !== null ? `; the other ${added} codes were added` : ''),
    found.duplicates,
  );

  /** Generated codes, chunk by chunk; a collision with an existing code is simply drawn again. */
  async function generateInto(batchId: string, spec: { count: number; prefix?: string; length?: number }, executor?: SqlExecutor) {
    let left = spec.count;
    for (let rounds = 0; left > 0; rounds++) {
      if (rounds > spec.count / CODE_CHUNK + 20) {
        throw new UnprocessableError('could not draw enough unique codes: use a longer length', [{ field: 'generate.length', message: 'too short for this many codes' }]);
      }
      const codes = generateCodes(Math.min(left, CODE_CHUNK), spec.prefix?.toUpperCase() ?? '', spec.length);
      left -= await repository.insertCodesCounted(batchId, codes, executor);
    }
  }

  async function view(batch: BatchRow) {
    const stats = await repository.stats([batch.id], clock.now());
    return batchView(batch, stats.get(batch.id));
  }

  async function load(id: string) {
    const batch = await repository.findBatch(id);
    if (!batch) throw new NotFoundError('coupon batch', id);
    return batch;
  }

  /** Why `code` can't be redeemed now (after the guarded update matched nothing). */
  function refusal(code: CodeRow | null, raw: string, amount: string | null): Error {
    const now = clock.now();
    if (!code) return new NotFoundError('coupon', raw);
    const status = codeStatus(code, now);
    if (status === 'redeemed') return new ConflictError(`coupon ${code.code} was already redeemed${code.orderExternalId ? ` (order ${code.orderExternalId})` : ''}`);
    if (status === 'void') return new UnprocessableError(`coupon ${code.code} was voided`, [{ field: 'code', message: code.note ?? 'voided' }]);
    if (status === 'expired') return new UnprocessableError(`coupon ${code.code} has expired`, [{ field: 'code', message: 'expired' }]);
    if (code.minSpend !== null && (amount === null || Number(amount) < Number(code.minSpend))) {
      return new UnprocessableError(`coupon ${code.code} needs an order of at least ${code.minSpend} ${code.currency}`, [
        { field: 'minSpend', message: `order amount ${amount ?? '(none)'} is below the minimum spend ${code.minSpend}` },
      ]);
    }
    return new ConflictError(`coupon ${code.code} can't be redeemed now`);
  }

  return {
    async createBatch(input: CreateBatchInput): Promise<CouponBatchView> {
      if (input.validDays != null && input.validUntil != null) throw ValidationError.field('validDays', 'give validDays or validUntil, not both');
      if (input.codes && input.generate) throw ValidationError.field('codes', 'give codes or generate, not both');
      const now = clock.now();
      const batch = await repository.transaction(async (tx) => {
        const created = await repository.createBatch({
          name: input.name, value: money(input.value)!, currency: input.currency ?? 'CNY', minSpend: money(input.minSpend),
          validDays: input.validDays ?? null, validUntil: input.validUntil ? new Date(input.validUntil) : null,
        }, now, tx);
        if (input.codes) {
          const found = await addCodesTo(created.id, input.codes, tx);
          if (found.duplicateCount) throw duplicateError(found, null);
        }
        if (input.generate) await generateInto(created.id, input.generate, tx);
        return created;
      });
      return view(batch);
    },

    /** More codes for a batch: a JSON list or a streamed CSV. Good codes stay added; duplicates → 409 naming them. */
    async addCodes(id: string, source: AsyncIterable<string> | Iterable<string> | { generate: { count: number; prefix?: string; length?: number } }) {
      const batch = await load(id);
      if ('generate' in source) {
        await generateInto(batch.id, source.generate);
        return view(batch);
      }
      const found = await addCodesTo(batch.id, source);
      if (found.duplicateCount) throw duplicateError(found, found.added);
      return view(batch);
    },

    async get(id: string) {
      const batch = await load(id);
      return { ...(await view(batch)), timeline: await repository.timeline(batch.id) };
    },

    async list() {
      const batches = await repository.listBatches();
      const stats = await repository.stats(batches.map((b) => b.id), clock.now());
      return { items: batches.map((batch) => batchView(batch, stats.get(batch.id))) };
    },

    async getCode(raw: string): Promise<CouponCodeView> {
      const code = await repository.findCode(normalizeCode(raw));
      if (!code) throw new NotFoundError('coupon', raw);
      return codeView(code, clock.now());
    },

    /**
     * Redeems once (404 unknown, 409 again, 422 expired/voided/below minSpend). The order's amount is
     * read when `orderExternalId` names a stored order; `amount` stands in for one not posted (yet).
     */
    async redeem(raw: string, order: { orderExternalId?: string | null; amount?: number | null }, executor?: SqlExecutor): Promise<CouponCodeView> {
      const code = normalizeCode(raw);
      const externalId = order.orderExternalId ?? null;
      const stored = externalId ? await repository.orderAmount(externalId, executor) : null;
      const amount = stored ?? money(order.amount);
      const moved = await repository.redeem(code, { externalId, amount }, clock.now(), executor);
      if (!moved) throw refusal(await repository.findCode(code, executor), raw, amount);
      return codeView(moved, clock.now());
    },

    /** Voids an unredeemed code (false: it was redeemed, or is unknown). */
    voidCode: (code: string, note: string, executor?: SqlExecutor) => repository.voidCode(code, note, executor),

    /** Available codes now, for a campaign's scheduling check. */
    available: (batchId: string) => repository.availableCount(batchId, clock.now()),

    /** 422 naming `couponBatchId` when the batch does not exist (campaigns and automations check this). */
    async assertBatch(batchId: string | null | undefined, field = 'couponBatchId'): Promise<void> {
      if (!batchId) return;
      if (!(await repository.findBatch(batchId))) throw new UnprocessableError(`no coupon batch ${batchId}`, [{ field, message: 'no such coupon batch' }]);
    },
  };
}
export type CouponsService = ReturnType<typeof createCouponsService>;
