import { useState } from 'react';
import { useApiQuery } from '../api/queries';
import type { Campaign, Holiday, Page } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { StatusBadge } from '../components/status-badge';
import { YearCalendar, type DayMark } from '../components/year-calendar';
import { useI18n } from '../i18n/i18n';
import { campaignDate, holidayName } from '../lib/holidays';
import { Link } from '../lib/router';

export function CalendarPage() {
  const { t, language, formatInstant } = useI18n();
  const { canWrite } = useSession();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [country, setCountry] = useState('CN');
  const holidays = useApiQuery<{ items: Holiday[] }>('/v1/holidays', { year, country }, { keepPrevious: true });
  const campaigns = useApiQuery<Page<Campaign>>('/v1/campaigns', { limit: 500 });
  const scheduled = (campaigns.data?.items ?? []).filter((c) => c.status !== 'cancelled' && campaignDate(c)?.startsWith(String(year)));
  const marks = new Map<string, DayMark[]>();
  const mark = (date: string, value: DayMark) => marks.set(date, [...(marks.get(date) ?? []), value]);
  for (const h of holidays.data?.items ?? []) mark(h.date, { kind: h.greeting ? 'holiday' : 'quiet', label: holidayName(h, language) });
  for (const c of scheduled) mark(campaignDate(c)!, { kind: 'campaign', label: c.name });
  return (
    <>
      <div className="page-head">
        <h1>{t('calendar.title')}</h1>
        <div className="filters">
          <button onClick={() => setYear(year - 1)} aria-label={t('calendar.previousYear')}>‹</button>
          <input name="year" type="number" value={year} onChange={(e) => setYear(Number(e.target.value) || year)} className="narrow" aria-label={t('calendar.year')} />
          <button onClick={() => setYear(year + 1)} aria-label={t('calendar.nextYear')}>›</button>
          <input name="country" value={country} onChange={(e) => setCountry(e.target.value.toUpperCase())} className="narrow" maxLength={2} aria-label={t('calendar.country')} title={t('calendar.country')} />
        </div>
      </div>
      <ErrorBanner error={holidays.error ?? campaigns.error} />
      <YearCalendar year={year} marks={marks} language={language} />
      <div className="grid two">
        <section className="card">
          <h2>{t('campaigns.holiday')}</h2>
          {holidays.isPending ? <Loading /> : (
            <table className="table" data-testid="holiday-list">
              <tbody>
                {(holidays.data?.items ?? []).map((h) => (
                  <tr key={h.key + h.date} data-holiday={h.key}>
                    <td>{h.date}</td>
                    <td>{holidayName(h, language)} {h.calendar === 'lunar' && <span className="badge">{t('calendar.lunar')}</span>} {!h.greeting && <span className="badge badge-failed">{t('calendar.noGreeting')}</span>}</td>
                    <td>{canWrite('campaigns') && h.greeting && <Link to={`/campaigns/new?holiday=${encodeURIComponent(h.key)}&date=${h.date}`}>{t('calendar.schedule')}</Link>}</td>
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
              <li key={c.id}><Link to={`/campaigns/${c.id}`}>{c.name}</Link> · {campaignDate(c)} {c.sendLocal?.time ?? formatInstant(c.sendAt)} · <StatusBadge status={c.status} /></li>
            ))}
            {scheduled.length === 0 && <li className="muted">{t('common.none')}</li>}
          </ul>
        </section>
      </div>
    </>
  );
}
