import type { Infrastructure, Services } from './container';

export interface BootstrapResult {
  /** Set only on the very first boot without ADMIN_API_KEY: print it once. */
  generatedAdminKey?: string;
}

/** First-boot work every role may run concurrently: each step is idempotent. */
export async function bootstrap(infra: Infrastructure, services: Services): Promise<BootstrapResult> {
  const generatedAdminKey = await services.auth.bootstrapAdmin(infra.config.ADMIN_API_KEY);
  return { generatedAdminKey };
}
