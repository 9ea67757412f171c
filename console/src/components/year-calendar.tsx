/** Twelve month grids (a calendar year, or twelve months from `start`); `marks` colour days and give them a tooltip. */
export interface DayMark {
  kind: 'holiday' | 'campaign' | 'quiet' | 'chosen';
  label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

interface Props {
  year: number;
  /** First month shown (1–12) of `year`; the grid runs twelve months on from it. Default: January. */
  startMonth?: number;
  marks: Map<string, DayMark[]>;
  language: string;
  /** Today (YYYY-MM-DD, the shop's day): marked, and earlier days shown as past. */
  today?: string;
  /** Label of today's mark. */
  todayLabel?: string;
  onPick?(date: string): void;
}

/** With `onPick`, a marked day is a button (the festivals automation picks its festivals on the calendar). */
export function YearCalendar({ year, startMonth = 1, marks, language, today, todayLabel, onPick }: Props) {
  const monthName = new Intl.DateTimeFormat(language, { month: 'long', year: startMonth === 1 ? undefined : 'numeric', timeZone: 'UTC' });
  const weekday = new Intl.DateTimeFormat(language, { weekday: 'narrow', timeZone: 'UTC' });
  // 2023-01-02 was a Monday: weeks start on Monday, as in China.
  const weekdays = Array.from({ length: 7 }, (_, i) => weekday.format(new Date(Date.UTC(2023, 0, 2 + i))));
  return (
    <div className="year">
      {Array.from({ length: 12 }, (_, index) => {
        const first = new Date(Date.UTC(year, startMonth - 1 + index, 1));
        const y = first.getUTCFullYear();
        const month = first.getUTCMonth();
        const offset = (first.getUTCDay() + 6) % 7;
        const length = new Date(Date.UTC(y, month + 1, 0)).getUTCDate();
        return (
          <div key={`${y}-${month}`} className="month" data-month={`${y}-${pad(month + 1)}`}>
            <h3>{monthName.format(first)}</h3>
            <div className="days">
              {weekdays.map((w, i) => <span key={`w${i}`} className="weekday">{w}</span>)}
              {Array.from({ length: offset }, (_, i) => <span key={`e${i}`} />)}
              {Array.from({ length }, (_, i) => {
                const date = `${y}-${pad(month + 1)}-${pad(i + 1)}`;
                const dayMarks = marks.get(date) ?? [];
                const isToday = date === today;
                const when = today && date < today ? ' past' : isToday ? ' today' : '';
                const kinds = [...new Set(dayMarks.map((m) => m.kind))].join(' ') + when;
                const title = [...(isToday && todayLabel ? [todayLabel] : []), ...dayMarks.map((m) => m.label)].join('\n') || undefined;
                if (onPick && dayMarks.length) {
                  return (
                    <button key={date} type="button" className={`day ${kinds}`} title={title} aria-label={title} data-date={date} onClick={() => onPick(date)}>
                      {i + 1}
                    </button>
                  );
                }
                return (
                  <span key={date} className={`day ${kinds}`} title={title} data-date={date} aria-current={isToday ? 'date' : undefined}>
                    {i + 1}
                  </span>
                );
              })}
            </div>
          </div>
        );
      })}
    </div>
  );
}
