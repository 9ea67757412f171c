import { sql } from 'drizzle-orm';
import { wireCampaigns } from '../../src/container/campaigns';
import type { FanoutDeps } from '../../src/modules/campaigns/campaign-fanout.service';
import type { TestContext } from '../support/context';

type Outbox = FanoutDeps['outbox'];

/** The real campaigns module over the suite's real peers, with a small chunk size and an optional outbox wrapper. */
export function campaignsWith(ctx: TestContext, options: { chunkSize: number; outbox?: (real: Outbox) => Outbox }) {
  const s = ctx.services;
  return wireCampaigns({
    db: ctx.db, queues: ctx.queues, clock: ctx.clock, logger: ctx.logger, config: ctx.config,
    segments: s.segments, holidays: s.holidays, render: s.templates.renderMessage, templateKeys: s.templates.assertKey,
    outbox: options.outbox ? options.outbox(s.outbox) : s.outbox, fanoutChunkSize: options.chunkSize,
  });
}

/**
 * An outbox that runs `after(n)` once its n-th chunk insert has gone through, before that chunk
 * commits (a marketer acting mid fan-out, or a crash that rolls the chunk back).
 */
export const onCall = (n: number, after: () => Promise<void>) => (real: Outbox): Outbox => {
  let calls = 0;
  return {
    async insertSelected(source, executor) {
      const result = await real.insertSelected(source, executor);
      if (++calls === n) await after();
      return result;
    },
  };
};

export async function messagesOf(ctx: TestContext, campaignId: string) {
  const { rows } = await ctx.db.execute<{ contact_id: string; channel: string; status: string; scheduled_at: Date; expires_at: Date | null; dedupe_key: string; data: Record<string, any> }>(
    sql`select contact_id, channel, status, scheduled_at, expires_at, dedupe_key, data from messages where campaign_id = ${campaignId}`);
  return rows.map((row) => ({ ...row, scheduled_at: new Date(row.scheduled_at), expires_at: row.expires_at && new Date(row.expires_at) }));
}

export async function runOf(ctx: TestContext, campaignId: string) {
  const { rows } = await ctx.db.execute<{ status: string; cursor: string | null; created: number; missed: number; skipped: number; occurrence: Date }>(
    sql`select status, cursor, created, missed, skipped, occurrence from campaign_runs where campaign_id = ${campaignId} order by occurrence`);
  return rows.map((row) => ({ ...row, occurrence: new Date(row.occurrence) }));
}
