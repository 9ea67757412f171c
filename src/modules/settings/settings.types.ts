import type { Config } from '../../config';

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
  'BRAND_NAME' | 'BRAND_PHONE' | 'SMS_SIGNATURE' | 'QUIET_HOURS' | 'FREQUENCY_CAP' | 'FREQUENCY_CAP_DAYS' | 'SMS_PRICE_PER_SEGMENT' | 'EMAIL_PRICE'>
  & Partial<Pick<Config, 'SMS_PROVIDER' | 'CURRENCY'>>;

/**
 * The environment's price as a per-gateway map. `SMS_PRICE_PER_SEGMENT` is one number today; the
 * gateways work makes it per gateway (`twilio=0.06,aliyun=0.045` parsed to an object), so both shapes are read.
 */
function envSmsPrices(value: unknown): { fallback: number; byProvider: Partial<Record<string, number>> } {
  if (typeof value === 'number') return { fallback: value, byProvider: {} };
  if (value && typeof value === 'object') {
    const byProvider = value as Partial<Record<string, number>>;
    const fallback = byProvider.default ?? byProvider.console ?? Object.values(byProvider).find((v) => typeof v === 'number') ?? 0;
    return { fallback, byProvider };
  }
  return { fallback: 0, byProvider: {} };
}

/** The settings as the environment gives them (what GET answers before any PUT). */
export function settingsFromEnvironment(config: SettingsConfig): ShopSettings {
  const prices = envSmsPrices(config.SMS_PRICE_PER_SEGMENT);
  const quiet = config.QUIET_HOURS as unknown as { start: string; end: string } | null;
  return {
    brand: { name: config.BRAND_NAME.trim(), phone: config.BRAND_PHONE.trim(), smsSignature: config.SMS_SIGNATURE.trim() },
    quietHours: quiet ? `${quiet.start}-${quiet.end}` : 'off',
    frequencyCap: { max: config.FREQUENCY_CAP, days: config.FREQUENCY_CAP_DAYS },
    smsPricePerSegment: Object.fromEntries(SMS_PRICE_PROVIDERS.map((p) => [p, prices.byProvider[p] ?? prices.fallback])),
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
 * environment's per-gateway value, else its single value). Estimates and the console read it here only.
 */
export function smsSegmentPrice(settings: ShopSettings, provider: string): number {
  const prices = settings.smsPricePerSegment as Partial<Record<string, number>>;
  return prices[provider] ?? prices.console ?? 0;
}
