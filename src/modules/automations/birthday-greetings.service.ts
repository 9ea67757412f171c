import type { SQL } from 'drizzle-orm';
import type { Channel } from '../../db/schema';
import type { Clock } from '../../time/clock';
import { localDateOf } from '../../time/local-time';
import type { OutboxService } from '../messages/outbox.service';
import type { NewMessage } from '../messages/outbox.types';
import type { SegmentsService } from '../segments/segments.service';
import { nextBirthdayGreetingOf } from '../contacts/next-birthday';
import type { AutomationsRepository } from './automations.repository';
import type { BirthdayAutomation } from './automations.types';
import type { BirthdayContact, BirthdaysRepository, NextBirthday } from './birthdays.repository';
import { endOfLocalDay } from './local-day';

const DUE_BATCH = 500;
/** Bounds one tick's work; the rest is picked up by the next tick. */
const DUE_MAX_BATCHES = 20;
const RECOMPUTE_BATCH = 1000;

export interface BirthdayRunCounts {
  /** Contacts whose due greeting was handled (and whose next greeting was advanced). */
  contacts: number;
  /** Messages created by this run. */
  messages: number;
  /** Messages that already existed for their dedupe keys (an earlier, interrupted run). */
  existing: number;
  /** Greetings not sent because their local day was already over (service down the whole day). */
  missed: number;
}

export const birthdayDedupeKey = (contactId: string, localDate: string, channel: Channel) =>
  `birthday:${contactId}:${localDate}:${channel}`;

const addressFor = (contact: BirthdayContact, channel: Channel) => (channel === 'sms' ? contact.phone : contact.email);

/**
 * Birthday greetings: the scheduler tick's due-finder, and the recompute after a settings change.
 * Messages go through the outbox (unique dedupe keys) in the same transaction that advances
 * `next_birthday_at`, so a tick that dies midway leaves neither, and the next tick repeats the batch.
 */
export function createBirthdayGreetingsService(deps: {
  repository: BirthdaysRepository;
  automations: AutomationsRepository;
  outbox: Pick<OutboxService, 'stage'>;
  /** Resolves the automation's `segmentId | filter` to a predicate the due-finder ANDs onto its rows. */
  segments: Pick<SegmentsService, 'audiencePredicate'>;
  clock: Clock;
  config: { ENQUEUE_HORIZON_MS: number };
}) {
  const { repository, automations, outbox, segments, clock, config } = deps;

  /**
   * One batch in one transaction: lock the due contacts, write their greetings and advance their next
   * birthday together. Every statement inside runs on `tx` (the outbox writes through it too), so on
   * the single embedded connection the transaction never waits for itself; the send jobs are added
   * only after the commit.
   */
  async function scheduleBatch(settings: BirthdayAutomation, audience: SQL, now: Date, counts: BirthdayRunCounts): Promise<number> {
    const { handled, staged } = await repository.transaction(async (tx, executor) => {
      const due = await tx.lockDue(new Date(now.getTime() + config.ENQUEUE_HORIZON_MS), DUE_BATCH, audience);
      const messages: NewMessage[] = [];
      const advances: NextBirthday[] = [];
      for (const contact of due) {
        const localDate = localDateOf(contact.nextBirthdayAt!, contact.timeZone);
        const expiresAt = endOfLocalDay(localDate, contact.timeZone);
        if (expiresAt.getTime() < now.getTime()) counts.missed++;
        else if (!contact.erasedAt && contact.inAudience) {
          for (const channel of settings.channels) {
            if (!addressFor(contact, channel)) continue;
            messages.push({
              dedupeKey: birthdayDedupeKey(contact.id, localDate, channel), contactId: contact.id, channel, kind: 'birthday',
              scheduledAt: contact.nextBirthdayAt!, expiresAt, templateKey: settings.templateKey, data: {},
              holdout: { key: 'birthday', percent: settings.holdoutPercent ?? 0 },
              couponBatchId: settings.couponBatchId ?? null,
            });
          }
        }
        const next = nextBirthdayGreetingOf(contact, settings, now, localDate);
        advances.push({ id: contact.id, nextBirthdayAt: next?.at ?? null, lastBirthdayOn: localDate });
      }
      const result = await outbox.stage(messages, executor);
      await tx.setNext(advances, now);
      return { handled: due.length, staged: result };
    });
    await staged.enqueue();
    counts.contacts += handled;
    counts.messages += staged.created.length;
    counts.existing += staged.existing.length;
    return handled;
  }

  return {
    /** Creates the greetings due by `now` + the enqueue horizon, in bounded batches. */
    async scheduleDue(now: Date = clock.now()): Promise<BirthdayRunCounts> {
      const counts: BirthdayRunCounts = { contacts: 0, messages: 0, existing: 0, missed: 0 };
      const settings = await automations.get('birthday');
      if (!settings.enabled) return counts;
      const audience = await segments.audiencePredicate(settings, now);
      for (let batch = 0; batch < DUE_MAX_BATCHES; batch++) {
        if ((await scheduleBatch(settings, audience, now, counts)) < DUE_BATCH) break;
      }
      return counts;
    },

    /**
     * Recomputes every contact's `next_birthday_at` for the given settings, in keyset batches
     * (null for all when the automation is off). Returns how many contacts were visited.
     */
    async recomputeAll(settings: BirthdayAutomation): Promise<number> {
      const now = clock.now();
      let afterId: string | null = null;
      let visited = 0;
      for (;;) {
        const batch: BirthdayContact[] = await repository.withBirthdayAfter(afterId, RECOMPUTE_BATCH);
        if (batch.length === 0) return visited;
        await repository.recomputeNext(batch.map((contact) => ({
          id: contact.id,
          nextBirthdayAt: nextBirthdayGreetingOf(contact, settings, now)?.at ?? null,
          readLastBirthdayOn: contact.lastBirthdayOn,
        })), now);
        visited += batch.length;
        afterId = batch[batch.length - 1].id;
      }
    },
  };
}
export type BirthdayGreetingsService = ReturnType<typeof createBirthdayGreetingsService>;
