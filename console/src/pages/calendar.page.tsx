import { useState } from 'react';
import { useApiQuery } from '../api/queries';
import type { Campaign, Holiday, Page } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { SendTime } from '../components/send-time';
import { StatusBadge } from '../components/status-badge';
import { YearCalendar, type DayMark } from '../components/year-calendar';
import { useI18n } from '../i18n/i18n';
import { campaignDate, holidayName } from '../lib/holidays';
import { Link } from '../lib/router';

const pad = (n: number) => String(n).padStart(2, '0');

/** The first day of the month twelve months after `year-month` (the window's end, exclusive). */
function windowEnd(year: number, month: number): string {
  const end = new Date(Date.UTC(year, month - 1 + 12, 1));
  return `${end.getUTCFullYear()}-${pad(end.getUTCMonth() + 1)}-01`;
}

/**
 * The festival calendar: opens on the coming twelve months from today (the shop's day), marks today,
 * and offers creating a campaign only on today or later; any calendar year can still be looked at.
 */
export function CalendarPage() {
  const { t, language, today } = useI18n();
  const { canWrite } = useSession();
  const now = today();
  const thisYear = Number(now.slice(0, 4));
  const thisMonth = Number(now.slice(5, 7));
  // null: the coming twelve months; a number: that calendar year.
  const [year, setYear] = useState<number | null>(null);
  const [country, setCountry] = useState('CN');
  const first = year ?? thisYear;
  const startMonth = year === null ? thisMonth : 1;
  const from = `${first}-${pad(startMonth)}-01`;
  const until = windowEnd(first, startMonth);
  const spansTwo = startMonth > 1;
  const holidaysA = useApiQuery<{ items: Holiday[] }>('/v1/holidays', { year: first, country }, { keepPrevious: true });
  const holidaysB = useApiQuery<{ items: Holiday[] }>(spansTwo ? '/v1/holidays' : null, { year: first + 1, country }, { keepPrevious: true });
  const campaigns = useApiQuery<Page<Campaign>>('/v1/campaigns', { limit: 500 });
  const inWindow = (date: string | null | undefined) => Boolean(date && date >= from && date < until);
  // (B keeps its last answer as a placeholder when switched off: read it only while the window spans two years.)
  const holidays = [...(holidaysA.data?.items ?? []), ...(spansTwo ? holidaysB.data?.items ?? [] : [])].filter((h) => inWindow(h.date));
  const scheduled = (campaigns.data?.items ?? []).filter((c) => c.status !== 'cancelled' && inWindow(campaignDate(c)));
  const marks = new Map<string, DayMark[]>();
  const mark = (date: string, value: DayMark) => marks.set(date, [...(marks.get(date) ?? []), value]);
  for (const h of holidays) mark(h.date, { kind: h.greeting ? 'holiday' : 'quiet', label: holidayName(h, language) });
  for (const c of scheduled) mark(campaignDate(c)!, { kind: 'campaign', label: c.name });
  const shown = year ?? thisYear;
  return (
    <>
      <div className="page-head">
        <h1>{t('calendar.title')}</h1>
        <div className="filters">
          <button onClick={() => setYear(null)} className={year === null ? 'primary' : undefined} name="coming">{t('calendar.coming')}</button>
          <button onClick={() => setYear(shown - 1)} aria-label={t('calendar.previousYear')}>‹</button>
          <input name="year" type="number" value={year ?? ''} placeholder={String(thisYear)} onChange={(e) => setYear(Number(e.target.value) || null)} className="narrow" aria-label={t('calendar.year')} />
          <button onClick={() => setYear(year === null ? thisYear + 1 : year + 1)} aria-label={t('calendar.nextYear')}>›</button>
          <input name="country" value={country} onChange={(e) => setCountry(e.target.value.toUpperCase())} className="narrow" maxLength={2} aria-label={t('calendar.country')} title={t('calendar.country')} />
        </div>
      </div>
      <ErrorBanner error={holidaysA.error ?? holidaysB.error ?? campaigns.error} />
      <YearCalendar year={first} startMonth={startMonth} marks={marks} language={language} today={now} todayLabel={t('calendar.today')} />
      <div className="grid two">
        <section className="card">
          <h2>{t('campaigns.holiday')}</h2>
          {holidaysA.isPending ? <Loading /> : (
            <table className="table" data-testid="holiday-list">
              <tbody>
                {holidays.map((h) => (
                  <tr key={h.key + h.date} data-holiday={h.key} data-date={h.date} className={h.date < now ? 'muted' : undefined}>
                    <td>{h.date}</td>
                    <td>{holidayName(h, language)} {h.calendar === 'lunar' && <span className="badge">{t('calendar.lunar')}</span>} {!h.greeting && <span className="badge badge-failed">{t('calendar.noGreeting')}</span>}</td>
                    <td>
                      {h.date < now ? <span className="small muted">{t('calendar.past')}</span>
                        : canWrite('campaigns') && h.greeting && <Link to={`/campaigns/new?holiday=${encodeURIComponent(h.key)}&date=${h.date}`}>{t('calendar.schedule')}</Link>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card">
          <h2>{t('calendar.campaigns')}</h2>
          <ul className="plain">
            {scheduled.map((c) => (
              <li key={c.id}><Link to={`/campaigns/${c.id}`}>{c.name}</Link> · <SendTime campaign={c} /> · <StatusBadge status={c.status} /></li>
            ))}
            {scheduled.length === 0 && <li className="muted">{t('common.none')}</li>}
          </ul>
        </section>
      </div>
    </>
  );
}
