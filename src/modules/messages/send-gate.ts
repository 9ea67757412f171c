import type { Config } from '../../config';
import type { MessageKind } from '../../db/schema';
import { normaliseAddress } from '../consent/consent-address';
import type { ConsentService, NotAllowedReason } from '../consent/consent.service';
import type { Clock } from '../../time/clock';
import { nextAllowedInstant } from '../../time/quiet-hours';
import type { MessageRow } from './message-rows';
import type { ContactRow, SendRepository } from './send.repository';

/** What the send-time checks decided for a claimed message. */
export type GateDecision =
  | { verdict: 'go'; contact: ContactRow; to: string }
  | { verdict: 'expired'; reason: string }
  | { verdict: 'suppressed'; reason: string }
  | { verdict: 'deferred'; until: Date; reason: string };

/** Kinds the frequency cap applies to; birthdays, follow-ups and ops' manual sends are exempt. */
const CAPPED_KINDS: ReadonlySet<MessageKind> = new Set(['holiday', 'promo']);
const DAY_MS = 24 * 3600 * 1000;
/** How long a paused campaign's message waits before it looks again; resuming needs no other signal. */
export const CAMPAIGN_PAUSE_RECHECK_MS = 60_000;

interface GateDeps {
  repository: SendRepository;
  consent: Pick<ConsentService, 'isAllowed'>;
  /** True while the campaign is paused: its messages are held (re-delayed), never dropped. */
  isCampaignPaused: (campaignId: string) => Promise<boolean>;
  clock: Clock;
  config: Pick<Config, 'QUIET_HOURS' | 'FREQUENCY_CAP' | 'FREQUENCY_CAP_DAYS' | 'DEFAULT_COUNTRY'>;
}

function notAllowedText(reason: NotAllowedReason, channel: 'sms' | 'email'): string {
  switch (reason) {
    case 'erased': return 'contact erased';
    case 'no-address': return channel === 'sms' ? 'no valid phone number' : 'no valid e-mail address';
    case 'consent-withdrawn': return `contact opted out of ${channel}`;
    case 'suppressed': return 'address on the suppression list';
  }
}

/** The address in its canonical form (E.164, lower-cased e-mail), or null when there is none usable. */
function addressOf(contact: ContactRow, channel: 'sms' | 'email', defaultCountry: string): string | null {
  const raw = channel === 'sms' ? contact.phone : contact.email;
  if (!raw) return null;
  try {
    return normaliseAddress(channel, raw, defaultCountry);
  } catch {
    return null;
  }
}

/**
 * Consent and address are checked at send time, not only when the message was created: an
 * opt-out between scheduling and sending must win (DESIGN principle 6).
 */
export function createSendGate({ repository, consent, isCampaignPaused, clock, config }: GateDeps) {
  return async function check(message: MessageRow): Promise<GateDecision> {
    const now = clock.now();
    if (message.expiresAt && message.expiresAt < now) return { verdict: 'expired', reason: `expired at ${message.expiresAt.toISOString()}` };
    // A cancelled campaign's messages are already `cancelled`, so the claim never reaches here for them.
    if (message.campaignId && (await isCampaignPaused(message.campaignId))) {
      return { verdict: 'deferred', until: new Date(now.getTime() + CAMPAIGN_PAUSE_RECHECK_MS), reason: 'campaign paused' };
    }

    const contact = await repository.findContact(message.contactId);
    if (!contact) return { verdict: 'suppressed', reason: 'contact deleted' };
    const permission = await consent.isAllowed(contact, message.channel);
    if (!permission.allowed) return { verdict: 'suppressed', reason: notAllowedText(permission.reason, message.channel) };
    const to = addressOf(contact, message.channel, config.DEFAULT_COUNTRY);
    if (!to) return { verdict: 'suppressed', reason: notAllowedText('no-address', message.channel) };

    const allowedAt = nextAllowedInstant(now, contact.timeZone, config.QUIET_HOURS);
    if (allowedAt.getTime() > now.getTime()) {
      return { verdict: 'deferred', until: allowedAt, reason: `quiet hours in ${contact.timeZone}; held until ${allowedAt.toISOString()}` };
    }

    if (CAPPED_KINDS.has(message.kind) && config.FREQUENCY_CAP > 0) {
      const since = new Date(now.getTime() - config.FREQUENCY_CAP_DAYS * DAY_MS);
      const recent = await repository.countRecentMarketing(contact.id, since, message.id);
      if (recent >= config.FREQUENCY_CAP) return { verdict: 'suppressed', reason: 'frequency cap' };
    }
    return { verdict: 'go', contact, to };
  };
}
export type SendGate = ReturnType<typeof createSendGate>;
