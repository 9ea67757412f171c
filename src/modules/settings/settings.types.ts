import { smsPricePerSegment, type Config } from '../../config';

/** SMS gateways a per-segment price can be given for. */
export const SMS_PRICE_PROVIDERS = ['console', 'twilio', 'aliyun', 'tencent'] as const;
export type SmsPriceProvider = (typeof SMS_PRICE_PROVIDERS)[number];

/**
 * The shop's settings (API.md "The console's server side"): what admins change in the console.
 * Stored under one key of the `settings` table; every value absent there is the environment's.
 */
export interface ShopSettings {
  brand: { name: string; phone: string; smsSignature: string };
  /** `HH:MM-HH:MM` in each recipient's own zone, or `off`. */
  quietHours: string;
  /** Marketing (holiday/promo) messages per contact within `days`; `max` 0 turns the cap off. */
  frequencyCap: { max: number; days: number };
  /** Price of one SMS segment per gateway; a gateway not listed costs the environment's price. */
  smsPricePerSegment: Partial<Record<SmsPriceProvider, number>>;
  emailPrice: number;
  /** ISO 4217 code every estimate's cost is in. */
  currency: string;
}

/** What is stored: only what an admin set, so a changed environment default still shows through the rest. */
export type StoredShopSettings = {
  [K in keyof ShopSettings]?: ShopSettings[K] extends Record<string, unknown> ? Partial<ShopSettings[K]> : ShopSettings[K];
};

export type SettingsConfig = Pick<Config,
  'BRAND_NAME' | 'BRAND_PHONE' | 'SMS_SIGNATURE' | 'QUIET_HOURS' | 'FREQUENCY_CAP' | 'FREQUENCY_CAP_DAYS' | 'SMS_PRICES' | 'SMS_PROVIDER' | 'EMAIL_PRICE'>
  & Partial<Pick<Config, 'CURRENCY'>>;

/** The settings as the environment gives them (what GET answers before any PUT). */
export function settingsFromEnvironment(config: SettingsConfig): ShopSettings {
  const quiet = config.QUIET_HOURS as unknown as { start: string; end: string } | null;
  return {
    brand: { name: config.BRAND_NAME.trim(), phone: config.BRAND_PHONE.trim(), smsSignature: config.SMS_SIGNATURE.trim() },
    quietHours: quiet ? `${quiet.start}-${quiet.end}` : 'off',
    frequencyCap: { max: config.FREQUENCY_CAP, days: config.FREQUENCY_CAP_DAYS },
    // The environment's per-gateway prices (`smsPricePerSegment` in config parses SMS_PRICE_PER_SEGMENT).
    smsPricePerSegment: Object.fromEntries(SMS_PRICE_PROVIDERS.map((p) => [p, smsPricePerSegment(config, p)])),
    emailPrice: config.EMAIL_PRICE,
    currency: config.CURRENCY ?? 'CNY',
  };
}

/** Stored values over the environment's, one level deep (brand, frequencyCap and prices field by field). */
export function mergeSettings(base: ShopSettings, stored: StoredShopSettings): ShopSettings {
  return {
    brand: { ...base.brand, ...stored.brand },
    quietHours: stored.quietHours ?? base.quietHours,
    frequencyCap: { ...base.frequencyCap, ...stored.frequencyCap },
    smsPricePerSegment: { ...base.smsPricePerSegment, ...stored.smsPricePerSegment },
    emailPrice: stored.emailPrice ?? base.emailPrice,
    currency: stored.currency ?? base.currency,
  };
}

/**
 * THE price lookup of one SMS segment: the gateway's price in the settings (an admin's, else the
 * environment's per-gateway value from `SMS_PRICE_PER_SEGMENT`). Estimates and the console read it here only.
 */
export function smsSegmentPrice(settings: ShopSettings, provider: string): number {
  const prices = settings.smsPricePerSegment as Partial<Record<string, number>>;
  return prices[provider] ?? prices.console ?? 0;
}
