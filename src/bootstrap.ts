import type { Infrastructure, Services } from './container/types';

export interface BootstrapResult {
  /** Set only on the very first boot without ADMIN_API_KEY: print it once. */
  generatedAdminKey?: string;
}

/** First-boot work every role may run concurrently: each step is idempotent. */
export async function bootstrap(infra: Infrastructure, services: Services): Promise<BootstrapResult> {
  const generatedAdminKey = await services.auth.bootstrapAdmin(infra.config.ADMIN_API_KEY);
  await services.templates.seedDefaults(); // shipped defaults, only where ops have no such template yet
  await services.secrets.appSecret(); // generate and store APP_SECRET on first boot, before any link is signed
  if (infra.config.NODE_ENV === 'production' && !infra.config.PUBLIC_BASE_URL.startsWith('https://')) {
    infra.logger.warn('PUBLIC_BASE_URL is not https: mail clients ignore one-click unsubscribe links (RFC 8058)');
  }
  if (!(await services.settings.brand()).name) {
    // Not an error (a demo runs fine without it), but every shipped greeting names the shop through
    // {{brand.name}} (taken from SMS_SIGNATURE when BRAND_NAME is empty, see brandOf), so without
    // either they go out with the name missing: say so where ops look first (the console flags it too).
    infra.logger.warn({ setting: 'BRAND_NAME' }, 'BRAND_NAME is not set (nor SMS_SIGNATURE): greetings (birthday, festival, first-order, promo) go out without the shop\'s name; set BRAND_NAME (or the brand in the console\'s Settings) to the name customers know you by');
  }
  return { generatedAdminKey };
}
