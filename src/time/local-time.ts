/**
 * Wall-clock ↔ instant conversions in IANA zones (luxon). Owned by the time module.
 * CONTRACT (implementation pending): signatures are fixed; other modules code against them.
 */

/** The instant at which `date` `time` (YYYY-MM-DD, HH:MM) occurs in `zone`. In a DST gap the
 * wall time does not exist: the next existing minute is used. In an overlap, the earlier instant. */
export function localToInstant(date: string, time: string, zone: string): Date {
  throw new Error(`localToInstant(${date}, ${time}, ${zone}) not implemented yet`);
}

/** The local calendar date (YYYY-MM-DD) of `instant` in `zone`. */
export function localDateOf(instant: Date, zone: string): string {
  throw new Error(`localDateOf(${instant.toISOString()}, ${zone}) not implemented yet`);
}
