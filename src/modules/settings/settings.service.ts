import { performance } from 'node:perf_hooks';
import type { Clock } from '../../time/clock';
import { localDateOf } from '../../time/local-time';
import { parseQuietHours, type QuietHours } from '../../time/quiet-hours';
import { brandOf, type BrandVariables } from '../templates/brand';
import type { SettingsRepository } from './settings.repository';
import type { SettingsUpdate } from './settings.schemas';
import {
  mergeSettings, settingsFromEnvironment, smsSegmentPrice, type SettingsConfig, type ShopSettings, type StoredShopSettings,
} from './settings.types';

/**
 * How long a process reuses the settings it read. The send gate asks per message and every render
 * asks for the brand, so this saves a query per message. A PUT through this process shows at once
 * (the cache is dropped); through another process (a worker, a second API) within this many ms:
 * a brand or quiet-hours change reaches every send at most 5 s late (monotonic timer: freshness,
 * not domain time).
 */
export const SETTINGS_CACHE_MS = 5000;

export interface SendPolicy {
  quietHours: QuietHours | null;
  frequencyCap: { max: number; days: number };
}

/** One source of the shop's settings for preview, estimate and send alike (environment as defaults). */
export function createSettingsService(deps: { repository: SettingsRepository; config: SettingsConfig & { DEFAULT_TIMEZONE?: string }; clock: Clock }) {
  const { repository, config, clock } = deps;
  const defaults = settingsFromEnvironment(config);
  let cached: { value: Promise<StoredShopSettings>; until: number } | undefined;

  async function stored(): Promise<StoredShopSettings> {
    const now = performance.now();
    if (cached && cached.until > now) return cached.value;
    const entry = { value: repository.read(), until: now + SETTINGS_CACHE_MS };
    cached = entry;
    entry.value.catch(() => cached === entry && (cached = undefined));
    return entry.value;
  }

  const current = async (): Promise<ShopSettings> => mergeSettings(defaults, await stored());

  /** The `brand.*` variables: name (or the signature's), phone and bracketed signature. */
  const brand = async (): Promise<BrandVariables> => {
    const { brand: value } = await current();
    return brandOf({ BRAND_NAME: value.name, BRAND_PHONE: value.phone, SMS_SIGNATURE: value.smsSignature });
  };

  return {
    current,
    brand,

    /** The settings as GET answers them, with `brandMissing` while no name (nor signature) is set. */
    async view() {
      const settings = await current();
      const timeZone = config.DEFAULT_TIMEZONE ?? 'Asia/Shanghai';
      // The shop's zone and its date by the server's clock: the console offers dates from here on.
      return { ...settings, brandMissing: !(await brand()).name, defaults, timeZone, today: localDateOf(clock.now(), timeZone) };
    },

    /** Partial update: objects merge field by field; `null` for a field brings the environment's value back. */
    async update(patch: SettingsUpdate) {
      const previous = await repository.read();
      const next: StoredShopSettings = { ...previous };
      for (const [key, value] of Object.entries(patch) as [keyof StoredShopSettings, unknown][]) {
        if (value === undefined) continue;
        if (value === null) delete next[key];
        else if (typeof value === 'object') {
          const merged = { ...(previous[key] as object | undefined), ...(value as object) } as Record<string, unknown>;
          for (const [field, fieldValue] of Object.entries(merged)) if (fieldValue === null) delete merged[field];
          (next as Record<string, unknown>)[key] = merged;
        } else (next as Record<string, unknown>)[key] = value;
      }
      cached = undefined;
      await repository.write(next, clock.now());
      cached = undefined; // a read that raced the write must not keep the old value
      return this.view();
    },

    /** Quiet hours and the frequency cap as the send gate applies them (read per message through the cache). */
    async sendPolicy(): Promise<SendPolicy> {
      const settings = await current();
      return { quietHours: parseQuietHours(settings.quietHours), frequencyCap: settings.frequencyCap };
    },

    /** Prices of an estimate: one SMS segment on the active gateway (see `smsSegmentPrice`), one e-mail, the currency. */
    async prices(provider: string = config.SMS_PROVIDER ?? 'console') {
      const settings = await current();
      return { smsPerSegment: smsSegmentPrice(settings, provider), email: settings.emailPrice, currency: settings.currency };
    },

    /** Drops this process's cached copy (tests that write the table directly). */
    invalidate(): void {
      cached = undefined;
    },
  };
}
export type SettingsService = ReturnType<typeof createSettingsService>;
