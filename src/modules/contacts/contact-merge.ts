import type { ContactRow, ContactInsert } from '../../db/schema';
import { listingHolds, listingOf, noSuppressions, type SuppressedAddresses } from './consent-list';
import { phoneCountry, type ContactChanges } from './contact-input';
import { applySuppression, mergeContact, type ConsentSource } from './contact-state';
import { birthdayInputsChanged, computeNextBirthdayAt, type BirthdayFields, type BirthdaySchedule } from './next-birthday';


/** An address given in the input (`null` clears it), or `undefined` to keep the stored one. */
export type AddressChange = string | null | undefined;

/** The suppression listing (its source, null when not listed) of each address a write may keep. */
export interface FoundListings {
  sms: { given: string | null; stored: string | null };
  email: { given: string | null; stored: string | null };
}

/** The addresses a write keeps: the given one (null clears it), else the stored one. */
export function keptAddresses(base: ContactRow | undefined, given: { phone?: AddressChange; email?: AddressChange }) {
  return {
    phone: given.phone === undefined ? base?.phone ?? null : given.phone,
    email: given.email === undefined ? base?.email ?? null : given.email,
  };
}

const NOTHING_LISTED: SuppressedAddresses = Object.freeze(noSuppressions());

/** The listings of the addresses the write keeps, out of what was found for both candidates. */
export function keptListings(
  base: ContactRow | undefined, given: { phone?: AddressChange; email?: AddressChange }, found: FoundListings,
): SuppressedAddresses {
  const listing = (channel: 'sms' | 'email', address: AddressChange) => (address === undefined ? found[channel].stored : found[channel].given);
  const sms = listing('sms', given.phone);
  const email = listing('email', given.email);
  if (!sms && !email) return NOTHING_LISTED; // most writes: one shared answer, not a new one per row
  const kept = keptAddresses(base, given);
  return { sms: listingOf(kept.phone, sms), email: listingOf(kept.email, email) };
}

/** What one write needs to know besides the input: the stored row and the current settings. */
export interface WriteContext {
  base: ContactRow | undefined;
  source: ConsentSource;
  schedule: BirthdaySchedule;
  /** The suppression listings of the addresses this write keeps. */
  suppressed: SuppressedAddresses;
  now: Date;
  /** Memo of next-birthday instants for this `now` (a batch shares it: 1,000 rows, ~366 dates). */
  nextBirthdayMemo?: Map<string, Date | null>;
}

export interface WriteDefaults {
  defaultTimeZone: string;
  defaultLocale: string;
}

/**
 * The full row to write for `changes` on top of `ctx.base` (absent → a new contact): the one
 * place where merge, the suppression list and `next_birthday_at` come together. Pure; throws a
 * ValidationError naming every problem of the input.
 */
export function prepareWrite(changes: ContactChanges, ctx: WriteContext, defaults: WriteDefaults): ContactInsert {
  const merged = mergeContact(ctx.base, changes, { now: ctx.now, source: ctx.source, ...defaults });
  const state = applySuppression(merged, {
    sms: !!merged.phone && listingHolds(ctx.suppressed.sms.get(merged.phone), changes.consent?.sms),
    email: !!merged.email && listingHolds(ctx.suppressed.email.get(merged.email), changes.consent?.email),
  }, ctx.now);
  const birthdayFields = { ...state, lastBirthdayOn: ctx.base?.lastBirthdayOn ?? null };
  const nextBirthdayAt = ctx.base && !birthdayInputsChanged(ctx.base, birthdayFields)
    ? ctx.base.nextBirthdayAt
    : memoised(ctx, birthdayFields);
  // Derived, never given: the segment filter `country` reads it (null when the number doesn't pin one down).
  const country = state.phone ? phoneCountry(state.phone) ?? null : null;
  return { ...state, country, nextBirthdayAt, updatedAt: ctx.now, ...(ctx.base ? {} : { createdAt: ctx.now }) };
}

function memoised(ctx: WriteContext, fields: BirthdayFields): Date | null {
  if (!ctx.nextBirthdayMemo) return computeNextBirthdayAt(fields, ctx.schedule, ctx.now);
  const key = [fields.birthdayMonth, fields.birthdayDay, fields.birthdayCalendar, fields.birthdayLeapMonth, fields.timeZone, fields.lastBirthdayOn].join('|');
  if (!ctx.nextBirthdayMemo.has(key)) ctx.nextBirthdayMemo.set(key, computeNextBirthdayAt(fields, ctx.schedule, ctx.now));
  return ctx.nextBirthdayMemo.get(key)!;
}
