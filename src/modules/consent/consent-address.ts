import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { ValidationError } from '../../shared/errors';
import type { ConsentChannel } from './consent.repository';

/**
 * The one form an address takes on the suppression list: E.164 for phones, lower-cased for
 * e-mail — so "+86 138 0013 8000" and "13800138000" are the same opt-out.
 */
export function normaliseAddress(channel: ConsentChannel, raw: string, defaultCountry: string): string {
  const value = raw.trim();
  if (channel === 'email') {
    if (!/^[^\s@]+@[^\s@]+$/.test(value)) throw ValidationError.field('address', 'not an e-mail address');
    return value.toLowerCase();
  }
  const phone = parsePhoneNumberFromString(value, defaultCountry as CountryCode);
  if (!phone?.isPossible()) throw ValidationError.field('address', 'not a phone number');
  return phone.number;
}
