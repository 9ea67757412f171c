/** Twelve month grids for one year; `marks` colour days and give them a tooltip. */
export interface DayMark {
  kind: 'holiday' | 'campaign' | 'quiet' | 'chosen';
  label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** With `onPick`, a marked day is a button (the festivals automation picks its festivals on the calendar). */
export function YearCalendar({ year, marks, language, onPick }: { year: number; marks: Map<string, DayMark[]>; language: string; onPick?(date: string): void }) {
  const monthName = new Intl.DateTimeFormat(language, { month: 'long' });
  const weekday = new Intl.DateTimeFormat(language, { weekday: 'narrow' });
  // 2023-01-02 was a Monday: weeks start on Monday, as in China.
  const weekdays = Array.from({ length: 7 }, (_, i) => weekday.format(new Date(Date.UTC(2023, 0, 2 + i))));
  return (
    <div className="year">
      {Array.from({ length: 12 }, (_, month) => {
        const first = new Date(Date.UTC(year, month, 1));
        const offset = (first.getUTCDay() + 6) % 7;
        const length = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
        return (
          <div key={month} className="month">
            <h3>{monthName.format(first)}</h3>
            <div className="days">
              {weekdays.map((w, i) => <span key={`w${i}`} className="weekday">{w}</span>)}
              {Array.from({ length: offset }, (_, i) => <span key={`e${i}`} />)}
              {Array.from({ length }, (_, i) => {
                const date = `${year}-${pad(month + 1)}-${pad(i + 1)}`;
                const dayMarks = marks.get(date) ?? [];
                const kinds = [...new Set(dayMarks.map((m) => m.kind))].join(' ');
                const title = dayMarks.map((m) => m.label).join('\n') || undefined;
                if (onPick && dayMarks.length) {
                  return (
                    <button key={date} type="button" className={`day ${kinds}`} title={title} aria-label={title} data-date={date} onClick={() => onPick(date)}>
                      {i + 1}
                    </button>
                  );
                }
                return (
                  <span key={date} className={`day ${kinds}`} title={title} data-date={date}>
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
