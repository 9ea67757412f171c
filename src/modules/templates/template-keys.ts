import { UnprocessableError } from '../../shared/errors';
import type { Channel } from '../../db/schema';

/**
 * Refuses a template key no template answers to (422 naming the field, code `unknown_template`):
 * an automation or campaign saved with a typo would otherwise fail every message, silently, later.
 * A key is known on a channel when a current template has it there, or when it is a shipped default
 * (`templates/`, seeded at every boot where ops have none of their own).
 */
export type TemplateKeyCheck = (key: string, channels: readonly Channel[], field?: string) => Promise<void>;

export function createTemplateKeyCheck(
  currentCandidates: (key: string, channel: Channel) => Promise<unknown[]>,
  shipped: () => ReadonlySet<string>,
): TemplateKeyCheck {
  return async (key, channels, field = 'templateKey') => {
    for (const channel of channels) {
      if (shipped().has(`${key}.${channel}`) || (await currentCandidates(key, channel)).length) return;
    }
    const on = channels.join(' or ');
    throw new UnprocessableError(`${field}: no template ${key} for ${on}`, [{ field, message: `no template ${key} for ${on}` }], 'unknown_template');
  };
}
