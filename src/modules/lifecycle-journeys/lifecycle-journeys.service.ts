import type { Channel } from '../../db/schema';
import type { TemplateKeyCheck } from '../templates/template-keys';
import type { Clock } from '../../time/clock';
import { addDaysLocal, localDateOf, localToInstant } from '../../time/local-time';
import { endOfLocalDay } from '../automations/local-day';
import { entryOffsetMs, type LifecycleThresholds } from '../contacts/lifecycle';
import type { OutboxService } from '../messages/outbox.service';
import type { NewMessage } from '../messages/outbox.types';
import type { JourneyCandidate, LifecycleJourneysRepository } from './lifecycle-journeys.repository';
import type { LifecycleJourneys, LifecycleRule } from './lifecycle-journeys.types';

const DAY_MS = 86_400_000;
const BATCH = 1000;
/** With no watermark yet (first tick ever), entries of the last day are still greeted on their day. */
const FIRST_WINDOW_MS = DAY_MS;
/**
 * After an outage, entries older than this are dropped rather than sent late in a burst (a care
 * message two days late is still fine; a week late, next to a new order, is not).
 */
const MAX_CATCH_UP_MS = 2 * DAY_MS;

export const lifecycleDedupeKey = (ruleKey: string, contactId: string, entryDate: string, channel: Channel) =>
  `lifecycle:${ruleKey}:${contactId}:${entryDate}:${channel}`;

export interface LifecycleRunCounts {
  contacts: number;
  messages: number;
  existing: number;
}

/**
 * Lifecycle journeys: each tick handles the qualifying instants (class entry + afterDays) between
 * the last tick and now, found by indexed ranges on `last_order_at`. A new order moves the last
 * order, so the next entry has another date and another dedupe key: that is the re-arming.
 */
export function createLifecycleJourneysService(deps: {
  repository: LifecycleJourneysRepository;
  outbox: Pick<OutboxService, 'enqueue'>;
  clock: Clock;
  thresholds: LifecycleThresholds;
  /** 422 naming the field for a template key no template has. */
  templateKeys: TemplateKeyCheck;
}) {
  const { repository, outbox, clock, thresholds } = deps;

  function messagesFor(rule: LifecycleRule, contact: JourneyCandidate): NewMessage[] {
    const entry = new Date(contact.lastOrderAt.getTime() + entryOffsetMs(rule.class, contact.orderCount, thresholds)!);
    const qualifiesAt = new Date(entry.getTime() + rule.afterDays * DAY_MS);
    const day = localDateOf(qualifiesAt, contact.timeZone);
    const sendAt = localToInstant(day, rule.sendAt, contact.timeZone);
    const scheduledAt = sendAt > qualifiesAt ? sendAt : qualifiesAt;
    // Until the end of the next local day: quiet hours may hold a late-evening entry overnight.
    const expiresAt = endOfLocalDay(addDaysLocal(day, 1), contact.timeZone);
    const entryDate = localDateOf(entry, contact.timeZone);
    return rule.channels
      .filter((channel) => (channel === 'sms' ? contact.phone : contact.email))
      .map((channel) => ({
        dedupeKey: lifecycleDedupeKey(rule.key, contact.id, entryDate, channel), contactId: contact.id, channel,
        // A marketing kind: signature first and 回T退订 on the SMS, unsubscribe link on the e-mail,
        // and the promo frequency cap counts and holds them (they are pushes, however caring).
        kind: 'promo' as const, scheduledAt, expiresAt, templateKey: rule.templateKey, data: {},
        holdout: { key: `lifecycle:${rule.key}`, percent: rule.holdoutPercent ?? 0 },
        couponBatchId: rule.couponBatchId ?? null,
      }));
  }

  async function runRule(rule: LifecycleRule, from: Date, to: Date, counts: LifecycleRunCounts) {
    let after: { lastOrderAt: Date; id: string } | undefined;
    for (;;) {
      const batch = await repository.due({ class: rule.class, afterDays: rule.afterDays, from, to, thresholds, after, limit: BATCH });
      if (batch.length === 0) return;
      const result = await outbox.enqueue(batch.flatMap((contact) => messagesFor(rule, contact)));
      counts.contacts += batch.length;
      counts.messages += result.created.length;
      counts.existing += result.existing.length;
      if (batch.length < BATCH) return;
      const last = batch[batch.length - 1];
      after = { lastOrderAt: last.lastOrderAt, id: last.id };
    }
  }

  return {
    /** The tick's step: entries qualifying since the last tick get their message (once, by dedupe key). */
    async scheduleDue(now: Date = clock.now()): Promise<LifecycleRunCounts> {
      const counts: LifecycleRunCounts = { contacts: 0, messages: 0, existing: 0 };
      const [settings, watermark] = await Promise.all([repository.settings(), repository.watermark()]);
      const earliest = now.getTime() - MAX_CATCH_UP_MS;
      const from = new Date(Math.max(watermark?.getTime() ?? now.getTime() - FIRST_WINDOW_MS, earliest));
      if (from < now) {
        for (const rule of settings.rules.filter((r) => r.enabled)) await runRule(rule, from, now, counts);
      }
      // Advanced even with every rule off: switching one on later greets entries from then on, not a backlog.
      await repository.saveWatermark(now);
      return counts;
    },

    get: async () => ({ key: 'lifecycle' as const, ...(await repository.settings()) }),

    /** Replaces the rules; applies to entries from the next tick on. */
    async put(input: LifecycleJourneys) {
      const rules = input.rules.map(({ key, enabled, class: name, afterDays, channels, templateKey, sendAt, couponBatchId, holdoutPercent }) => ({
        key, enabled, class: name, afterDays, channels, templateKey, sendAt, couponBatchId: couponBatchId ?? null, holdoutPercent: holdoutPercent ?? 0,
      }));
      for (const [i, rule] of rules.entries()) await deps.templateKeys(rule.templateKey, rule.channels, `rules.${i}.templateKey`);
      await repository.saveSettings({ rules });
      return { key: 'lifecycle' as const, rules };
    },

    /** Contacts per class now, for the console's journeys card. */
    async counts() {
      const now = clock.now();
      return { asOf: now.toISOString(), counts: await repository.counts(now, thresholds) };
    },
  };
}
export type LifecycleJourneysService = ReturnType<typeof createLifecycleJourneysService>;
