import { randomBytes } from 'node:crypto';
import type { SecretsRepository } from './secrets.repository';

const APP_SECRET_KEY = 'app_secret';

/**
 * APP_SECRET signs unsubscribe tokens, so every replica must use the same one: the configured
 * value if set, else one generated on first use and stored in the database. Replicas racing on
 * first boot all insert-or-ignore and then read back the winner.
 */
export function createSecretsService(deps: { repository: SecretsRepository; configuredAppSecret?: string }) {
  const { repository, configuredAppSecret } = deps;
  let appSecret: Promise<string> | undefined;

  async function loadOrCreate(): Promise<string> {
    if (configuredAppSecret) return configuredAppSecret;
    await repository.insertIfAbsent(APP_SECRET_KEY, randomBytes(32).toString('base64url'));
    const stored = await repository.find(APP_SECRET_KEY);
    if (!stored) throw new Error('app_secret could not be stored in settings');
    return stored;
  }

  return {
    /** The shared secret (cached after the first read). */
    appSecret(): Promise<string> {
      appSecret ??= loadOrCreate().catch((error: unknown) => {
        appSecret = undefined; // a failed read (database down) must not be cached forever
        throw error;
      });
      return appSecret;
    },
  };
}
export type SecretsService = ReturnType<typeof createSecretsService>;
