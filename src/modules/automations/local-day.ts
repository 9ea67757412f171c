import { addDaysLocal, localToInstant } from '../../time/local-time';

/** The last millisecond of a local calendar day: an automatic greeting is only right on its own local day. */
export function endOfLocalDay(date: string, zone: string): Date {
  return new Date(localToInstant(addDaysLocal(date, 1), '00:00', zone).getTime() - 1);
}
