import type { Config } from '../../config';
import { ConflictError, NotFoundError, UnprocessableError } from '../../shared/errors';
import { createdAtCursor, decodeCursor, toPage } from '../../shared/pagination';
import type { TemplateKeyCheck } from '../templates/template-keys';
import type { Clock } from '../../time/clock';
import type { SegmentsService } from '../segments/segments.service';
import type { EstimatedCampaign } from './campaign-estimate';
import type { HolidayLookup } from './campaign-messages';
import { assertDateNotOver, checkCampaignShape, firstOccurrence, resolveHoliday } from './campaign-rules';
import type { CampaignRow, CampaignsRepository } from './campaigns.repository';
import type { CampaignEstimate, CampaignStatus, CreateCampaignInput } from './campaigns.schemas';

export interface CampaignsDeps {
  repository: CampaignsRepository;
  segments: SegmentsService;
  holidays: HolidayLookup;
  clock: Clock;
  config: Pick<Config, 'DEFAULT_TIMEZONE' | 'CAMPAIGN_MIN_RECURRENCE_MINUTES'>;
  estimate(campaign: EstimatedCampaign): Promise<CampaignEstimate>;
  /** Starts (or resumes) the fan-out of an occurrence; the job id makes repeats no-ops. */
  enqueueFanout(campaignId: string, occurrence: Date): Promise<void>;
  /** Removes send jobs of messages that were cancelled while queued (best effort). */
  dropSendJobs(messages: { id: string; channel: 'sms' | 'email'; jobKey: string | null }[]): Promise<void>;
  /** 422 naming `templateKey` for a key no template has. */
  templateKeys: TemplateKeyCheck;
  /** Checks a campaign's coupon batch exists (422 naming couponBatchId). */
  coupons?: { assertBatch(batchId: string | null | undefined): Promise<void> };
}

export const toCampaignView = (row: CampaignRow, stats?: Record<string, number>) => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  holidayKey: row.holidayKey,
  sendAt: row.sendAt?.toISOString() ?? null,
  sendLocal: row.sendLocal ?? null,
  segmentId: row.segmentId,
  filter: row.filter,
  templateKey: row.templateKey,
  channels: row.channels,
  recurrence: row.recurrence,
  recurrenceTimeZone: row.recurrenceTimeZone,
  force: row.force,
  holdoutPercent: Number(row.holdoutPercent ?? 0),
  couponBatchId: row.couponBatchId ?? null,
  status: row.status,
  nextRunAt: row.nextRunAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  ...(stats ? { stats } : {}),
});

/** Campaign life cycle: draft → scheduled → running → completed, with pause/resume and cancel. */
export function createCampaignsService(deps: CampaignsDeps) {
  const { repository, segments, holidays, clock, config } = deps;

  const findRow = async (id: string): Promise<CampaignRow> => {
    const row = await repository.findById(id);
    if (!row) throw new NotFoundError('campaign', id);
    return row;
  };
  const withStats = async (row: CampaignRow) => toCampaignView(row, await repository.stats(row.id));

  /** A status change that lost a race (or was never allowed) is a 409 naming both statuses. */
  async function move(id: string, from: readonly CampaignStatus[], set: Parameters<CampaignsRepository['transition']>[2]) {
    const moved = await repository.transition(id, from, set);
    if (moved) return moved;
    const current = await findRow(id);
    throw new ConflictError(`campaign is ${current.status}; this needs ${from.join(' or ')}`, [{ field: 'status', message: current.status }]);
  }

  /** The row a create would insert: shape checked, holiday resolved, not in the past. */
  async function draftOf(input: CreateCampaignInput) {
    checkCampaignShape(input, { minRecurrenceMinutes: config.CAMPAIGN_MIN_RECURRENCE_MINUTES });
    const now = clock.now();
    if (input.segmentId) await segments.filterOf(input.segmentId); // 404 for an unknown segment
    await deps.templateKeys(input.templateKey, input.channels);
    await deps.coupons?.assertBatch(input.couponBatchId);
    let sendLocal = input.sendLocal ? { ...input.sendLocal } : null;
    const sendAt = input.sendAt ? new Date(input.sendAt) : null;
    if (input.kind === 'holiday') {
      const year = sendLocal?.date ? Number(sendLocal.date.slice(0, 4)) : sendAt ? Number(sendAt.toISOString().slice(0, 4)) : undefined;
      const near = sendLocal?.date ?? input.sendAt?.slice(0, 10);
      const holiday = await resolveHoliday(holidays, { holidayKey: input.holidayKey!, force: input.force, year, near }, now, config.DEFAULT_TIMEZONE);
      if (sendLocal && !sendLocal.date) sendLocal = { date: holiday.date, time: sendLocal.time };
    }
    const row = {
      name: input.name, kind: input.kind, holidayKey: input.holidayKey ?? null, sendAt, sendLocal,
      segmentId: input.segmentId ?? null, filter: (input.filter as Record<string, unknown> | undefined) ?? null,
      templateKey: input.templateKey, channels: input.channels, recurrence: input.recurrence ?? null,
      recurrenceTimeZone: input.recurrence ? (input.recurrenceTimeZone ?? config.DEFAULT_TIMEZONE) : null,
      force: input.force ?? false, holdoutPercent: input.holdoutPercent ?? 0, status: 'draft' as const, createdAt: now, updatedAt: now,
      couponBatchId: input.couponBatchId ?? null,
    };
    assertDateNotOver(row, now);
    return row;
  }

  /** A saved campaign as the body that would create it (a draft's edit starts from this). */
  const inputOf = (row: CampaignRow): CreateCampaignInput => ({
    name: row.name, kind: row.kind, templateKey: row.templateKey, channels: row.channels as ('sms' | 'email')[],
    ...(row.holidayKey ? { holidayKey: row.holidayKey } : {}),
    ...(row.sendAt ? { sendAt: row.sendAt.toISOString() } : {}),
    ...(row.sendLocal ? { sendLocal: row.sendLocal } : {}),
    ...(row.segmentId ? { segmentId: row.segmentId } : {}),
    ...(row.filter ? { filter: row.filter as CreateCampaignInput['filter'] } : {}),
    ...(row.recurrence ? { recurrence: row.recurrence, recurrenceTimeZone: row.recurrenceTimeZone ?? undefined } : {}),
    ...(row.force ? { force: true } : {}),
    ...(Number(row.holdoutPercent) ? { holdoutPercent: Number(row.holdoutPercent) } : {}),
    ...(row.couponBatchId ? { couponBatchId: row.couponBatchId } : {}),
  });

  return {
    create: async (input: CreateCampaignInput) => toCampaignView(await repository.insert(await draftOf(input))),

    /**
     * Edits a draft (409 once scheduled): each given field replaces the saved one, checked as a create.
     * `sendAt`/`sendLocal` and `segmentId`/`filter` are alternatives: giving one drops the other.
     */
    async update(id: string, patch: Partial<CreateCampaignInput>) {
      const row = await findRow(id);
      if (row.status !== 'draft') {
        throw new ConflictError(`campaign is ${row.status}; only a draft can be edited`, [{ field: 'status', message: row.status }]);
      }
      const merged: Partial<CreateCampaignInput> = { ...inputOf(row) };
      if (patch.sendAt !== undefined || patch.sendLocal !== undefined) {
        delete merged.sendAt;
        delete merged.sendLocal;
      }
      if (patch.segmentId !== undefined || patch.filter !== undefined) {
        delete merged.segmentId;
        delete merged.filter;
      }
      if (patch.recurrence !== undefined) delete merged.recurrenceTimeZone;
      if (patch.kind === 'promo' && patch.holidayKey === undefined) delete merged.holidayKey;
      for (const [key, value] of Object.entries(patch)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
      const draft = await draftOf(merged as CreateCampaignInput);
      const { createdAt: _createdAt, status: _status, ...fields } = draft;
      return withStats(await move(id, ['draft'], fields));
    },

    /** What a draft would reach and cost, checked as a create is but never saved (the console asks before it creates). */
    estimateDraft: async (input: CreateCampaignInput) => deps.estimate({ ...(await draftOf(input)), nextRunAt: null }),

    get: async (id: string) => withStats(await findRow(id)),

    async list(query: { status?: CampaignStatus; limit: number; cursor?: string }) {
      const rows = await repository.list(query.limit, query.status, decodeCursor(query.cursor, createdAtCursor));
      return toPage(rows, query.limit, (row) => toCampaignView(row), (row) => ({ createdAt: row.createdAt.toISOString(), id: row.id }));
    },

    estimate: async (id: string) => deps.estimate(await findRow(id)),

    async schedule(id: string) {
      const campaign = await findRow(id);
      const now = clock.now();
      assertDateNotOver(campaign, now);
      const nextRunAt = firstOccurrence(campaign, now, config.DEFAULT_TIMEZONE);
      if (campaign.couponBatchId) {
        // Scheduling a coupon blast with too few codes is refused up front (a dry batch later suppresses the rest).
        const { couponsNeeded, couponsAvailable = 0 } = await deps.estimate(campaign);
        if (couponsNeeded > couponsAvailable) {
          throw new UnprocessableError(`the campaign needs ${couponsNeeded} coupon codes; its batch has ${couponsAvailable} available`, [
            { field: 'couponBatchId', message: `${couponsAvailable} codes available, ${couponsNeeded} needed` },
          ], 'coupons_insufficient');
        }
      }
      return withStats(await move(id, ['draft'], { status: 'scheduled', nextRunAt, updatedAt: now }));
    },

    /** No new sends: fan-out stops at its next chunk and the send worker holds queued messages (`isPaused`). */
    async pause(id: string) {
      const campaign = await findRow(id);
      if (campaign.status === 'paused') return withStats(campaign);
      return withStats(await move(id, ['scheduled', 'running'], { status: 'paused', updatedAt: clock.now() }));
    },

    /** Back to `running` when its occurrence had started (the fan-out continues from its cursor), else `scheduled`. */
    async resume(id: string) {
      const campaign = await findRow(id);
      if (campaign.status !== 'paused') return withStats(await move(id, ['paused'], { updatedAt: clock.now() }));
      const run = campaign.nextRunAt ? await repository.findRun(id, campaign.nextRunAt) : undefined;
      const status = run ? 'running' : 'scheduled';
      const resumed = await move(id, ['paused'], { status, updatedAt: clock.now() });
      if (run && run.status !== 'done') await deps.enqueueFanout(id, run.occurrence);
      if (run?.status === 'done' && !campaign.recurrence) await repository.completeFinished(clock.now());
      return withStats(resumed);
    },

    /** Every not-yet-sent message of the campaign becomes `cancelled` (with an event); the fan-out stops. */
    async cancel(id: string) {
      const campaign = await findRow(id);
      const now = clock.now();
      // The status is committed before messages are touched, so a fan-out chunk racing this
      // either is seen by the update below or sees `cancelled` and cancels its own rows.
      const cancelled = campaign.status === 'cancelled'
        ? campaign
        : await move(id, ['draft', 'scheduled', 'running', 'paused'], { status: 'cancelled', nextRunAt: null, updatedAt: now });
      const queued = await repository.cancelUnsent(id, now, 'campaign cancelled');
      await deps.dropSendJobs(queued);
      return withStats(cancelled);
    },

    /** For the send worker: a paused campaign's queued messages wait instead of going out. */
    isPaused: async (campaignId: string): Promise<boolean> => (await repository.statusOf(campaignId)) === 'paused',
  };
}
export type CampaignsService = ReturnType<typeof createCampaignsService>;
