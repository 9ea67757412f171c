import { ConfigError } from '../../config';

/**
 * Providers validate their options when constructed, so a bad setting stops the process at
 * boot instead of failing every message later. `name` is the setting's env variable name.
 */
export function requireOption(value: string | undefined, name: string, pattern?: RegExp, expected?: string): string {
  if (value === undefined || value.trim() === '') throw new ConfigError(`${name} is required`);
  if (pattern && !pattern.test(value)) throw new ConfigError(`${name} is invalid: expected ${expected ?? String(pattern)}`);
  return value;
}
