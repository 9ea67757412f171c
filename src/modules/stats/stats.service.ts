import { DateTime } from 'luxon';
import type { Clock } from '../../time/clock';
import type { MessagesRepository } from '../messages/messages.repository';
import type { OverviewView } from './stats.schemas';
import type { StatsRepository } from './stats.repository';

const HOUR_MS = 3600 * 1000;
const WEEK_DAYS = 7;
const NEXT_CAMPAIGNS = 5;

interface StatsDeps {
  repository: StatsRepository;
  messages: Pick<MessagesRepository, 'countByDayChannelStatus'>;
  clock: Clock;
  /** DEFAULT_TIMEZONE: the business's own day, which the dashboard counts in. */
  timeZone: string;
  /** Open complaint tickets past their 24 h (the feedback module). */
  overdueTickets?: () => Promise<number>;
}

/** What the dashboard shows: message counts, birthdays and follow-ups coming up, the next campaigns. */
export function createStatsService({ repository, messages, clock, timeZone, overdueTickets }: StatsDeps) {
  return {
    async overview(days: number): Promise<OverviewView> {
      const now = clock.now();
      const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
      // Days are local calendar days, so a DST day is 23 or 25 hours, never a shifted window.
      const from = today.minus({ days: days - 1 });
      const tomorrow = today.plus({ days: 1 }).toJSDate();
      const weekEnd = today.plus({ days: WEEK_DAYS }).toJSDate();

      const [byDay, changed, birthdaysToday, birthdaysThisWeek, followUpsDue, campaigns, ticketsOverdue] = await Promise.all([
        messages.countByDayChannelStatus(from.toJSDate(), timeZone),
        repository.countByStatusChangedSince(new Date(now.getTime() - 24 * HOUR_MS)),
        repository.countBirthdaysBetween(today.toJSDate(), tomorrow),
        repository.countBirthdaysBetween(today.toJSDate(), weekEnd),
        repository.countFollowUpsDueBefore(new Date(now.getTime() + WEEK_DAYS * 24 * HOUR_MS)),
        repository.nextScheduledCampaigns(NEXT_CAMPAIGNS),
        overdueTickets ? overdueTickets() : Promise.resolve(undefined),
      ]);
      return {
        days,
        timeZone,
        from: from.toISODate()!,
        byDay,
        last24h: Object.fromEntries(changed.map((row) => [row.status, row.count])),
        birthdaysToday,
        birthdaysThisWeek,
        followUpsDue,
        // A local send (sendLocal) goes out at its time in each customer's zone: its nextRunAt is only the earliest zone's instant.
        nextCampaigns: campaigns.map((c) => ({
          id: c.id, name: c.name, kind: c.kind, holidayKey: c.holidayKey, sendLocal: c.sendLocal ?? null, nextRunAt: c.nextRunAt!.toISOString(),
        })),
        ...(ticketsOverdue === undefined ? {} : { ticketsOverdue }),
      };
    },
  };
}
export type StatsService = ReturnType<typeof createStatsService>;
