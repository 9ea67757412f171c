import type { Campaign } from '../api/types';

/** What the dashboard shows, read from `GET /v1/stats/overview` (tolerantly: API.md names the contents, not every field). */
export interface Overview {
  /** First day of the per-day counts (the server's local day), when the server says. */
  from?: string;
  days?: number;
  rows: Array<{ date: string; channel: string; status: string; count: number }>;
  last24h: Record<string, number>;
  birthdaysToday: Listed;
  birthdaysThisWeek: Listed;
  followUpsDue: Listed;
  nextCampaigns: Campaign[];
}

export interface Listed {
  count: number;
  names: string[];
}

type Raw = Record<string, unknown>;

function listed(value: unknown): Listed {
  if (typeof value === 'number') return { count: value, names: [] };
  if (Array.isArray(value)) return { count: value.length, names: value.map(nameOf) };
  if (value && typeof value === 'object') {
    const record = value as Raw;
    const items = (record.items ?? record.contacts ?? record.sample) as unknown[] | undefined;
    const count = typeof record.count === 'number' ? record.count : items?.length ?? 0;
    return { count, names: (items ?? []).map(nameOf) };
  }
  return { count: 0, names: [] };
}

function nameOf(item: unknown): string {
  const record = (item ?? {}) as Raw;
  return String(record.name ?? record.contactName ?? record.to ?? record.id ?? '');
}

function counts(value: unknown): Record<string, number> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((row: Raw) => [String(row.status), Number(row.count)]));
  if (value && typeof value === 'object') {
    const record = value as Raw;
    return (record.byStatus as Record<string, number>) ?? (record as Record<string, number>);
  }
  return {};
}

export function readOverview(raw: Raw): Overview {
  const birthdays = (raw.birthdays ?? {}) as Raw;
  const series = (raw.byDay ?? raw.series ?? raw.counts ?? raw.perDay ?? (Array.isArray(raw.days) ? raw.days : [])) as Raw[];
  return {
    from: typeof raw.from === 'string' ? raw.from : undefined,
    days: typeof raw.days === 'number' ? raw.days : undefined,
    rows: series.flatMap((row) => {
      const date = String(row.date ?? row.day ?? '').slice(0, 10);
      if (typeof row.count === 'number') return [{ date, channel: String(row.channel), status: String(row.status), count: row.count }];
      // nested: { date, sms: { sent: 3 }, email: {...} } or { date, counts: [...] }
      const nested = (row.counts ?? row.byChannel ?? row) as Record<string, unknown>;
      return Object.entries(nested).flatMap(([channel, statuses]) =>
        statuses && typeof statuses === 'object' && !Array.isArray(statuses)
          ? Object.entries(statuses as Record<string, number>).map(([status, count]) => ({ date, channel, status, count: Number(count) }))
          : []);
    }),
    last24h: counts(raw.last24h ?? raw.last24Hours ?? raw.lastDay),
    birthdaysToday: listed(raw.birthdaysToday ?? birthdays.today),
    birthdaysThisWeek: listed(raw.birthdaysThisWeek ?? birthdays.thisWeek ?? birthdays.week),
    followUpsDue: listed(raw.followUpsDue ?? raw.followUps),
    nextCampaigns: ((raw.nextCampaigns ?? raw.upcomingCampaigns ?? []) as Campaign[]),
  };
}

/** The last `days` calendar days (UTC dates), oldest first. */
export function lastDays(days: number, today = new Date()): string[] {
  return Array.from({ length: days }, (_, i) => new Date(today.getTime() - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** The chart's days: from the server's `from` when given (its clock and zone), else up to the newest row or today. */
export function chartDays(overview: Overview, days = 30): string[] {
  if (overview.from) {
    const start = Date.parse(`${overview.from}T00:00:00Z`);
    return Array.from({ length: overview.days ?? days }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
  }
  const latest = overview.rows.map((row) => row.date).sort().at(-1);
  return lastDays(days, latest ? new Date(`${latest}T00:00:00Z`) : new Date());
}

