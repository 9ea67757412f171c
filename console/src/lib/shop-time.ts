/** Minutes a zone is ahead of UTC at an instant (Intl only: the console ships no time library). */
function offsetMs(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(instant / 1000) * 1000;
}

/** The instant a day (YYYY-MM-DD) starts in `timeZone`, as ISO; `plusDays` moves the day first. */
export function dayStartIn(day: string, timeZone: string, plusDays = 0): string | undefined {
  if (!day) return undefined;
  const midnightUtc = Date.parse(`${day}T00:00:00Z`) + plusDays * 86_400_000;
  if (Number.isNaN(midnightUtc)) return undefined;
  let instant = midnightUtc - offsetMs(midnightUtc, timeZone);
  instant = midnightUtc - offsetMs(instant, timeZone); // again at the guess: a DST change near midnight
  return new Date(instant).toISOString();
}
