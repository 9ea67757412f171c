import type { Config } from '../../config';
import type { ContactRow, MessageStatus } from '../../db/schema';
import { ProviderError, type Providers } from '../../providers/types';
import { DomainError } from '../../shared/errors';
import type { Metrics } from '../../shared/metrics';
import type { Clock } from '../../time/clock';
import type { MessageRow, TransitionFields } from '../messages/message-rows';
import type { SendGate } from './send-gate';
import type { OutgoingText, SendRepository } from './send.repository';

/** What a send attempt came to. Expected no-ops are results, not exceptions. */
export type SendOutcome =
  | { outcome: 'sent'; providerMessageId: string }
  | { outcome: 'skipped' | 'suppressed' | 'expired' | 'failed' | 'unknown'; reason: string }
  /** Quiet hours: the job must wait until `until` (the row is `queued` again). */
  | { outcome: 'deferred'; until: Date; reason: string }
  /** A retryable provider failure: the row is `queued` again and the job should be retried. */
  | { outcome: 'retry'; reason: string };

export interface SendAttempt {
  /** 1-based attempt number of the job and how many it may have; the last retryable failure is final. */
  attempt: number;
  maxAttempts: number;
}

export interface RenderInput {
  templateKey: string | null;
  bodyTemplate: string | null;
  /** Subject of an inline e-mail body. */
  subjectTemplate: string | null;
  channel: 'sms' | 'email';
  kind: MessageRow['kind'];
  contact: ContactRow;
  data: Record<string, unknown>;
  /** The message's own unsubscribe link (e-mail), null for none; never taken from `data`. */
  unsubscribeUrl: string | null;
}
export interface RenderedMessage {
  subject?: string;
  text: string;
  html?: string;
}
export type MessageRenderer = (input: RenderInput) => Promise<RenderedMessage> | RenderedMessage;

export interface SendServiceDeps {
  repository: SendRepository;
  gate: SendGate;
  render: MessageRenderer;
  providers: Providers;
  /** Records an address the provider reports as opted out (Twilio 21610). */
  optOut: (channel: 'sms' | 'email', address: string, reason: string) => Promise<void>;
  /** The unsubscribe link for an e-mail to `address`, and the `List-Unsubscribe` headers carrying it. */
  unsubscribeLink: (contact: ContactRow, address: string) => Promise<UnsubscribeLink> | UnsubscribeLink;
  clock: Clock;
  metrics: Pick<Metrics, 'messagesByStatus'>;
  config: Pick<Config, 'PUBLIC_BASE_URL'>;
}

const MARKETING = new Set(['holiday', 'promo']);

export interface UnsubscribeLink {
  url: string;
  headers: Record<string, string>;
}

/** A rendered message ready for its one provider call, and the text to record with the outcome. */
interface PreparedSend {
  outgoing: OutgoingText;
  call(): Promise<string>;
}

/** Sends one message: claim, send-time checks (the gate), render, provider call, record — each step an event. */
export function createSendService(deps: SendServiceDeps) {
  const { repository, clock, metrics } = deps;

  async function move(message: MessageRow, from: MessageStatus[], to: MessageStatus, reason: string | null, fields?: TransitionFields) {
    const row = await repository.transition(message.id, { from, to, reason, at: clock.now(), fields });
    if (row) metrics.messagesByStatus.inc({ channel: message.channel, status: to });
    return row;
  }

  async function render(message: MessageRow, contact: ContactRow, unsubscribeUrl: string | null): Promise<RenderedMessage> {
    try {
      return await deps.render({
        templateKey: message.templateKey, bodyTemplate: message.bodyTemplate,
        subjectTemplate: message.bodyTemplate ? message.subject : null, channel: message.channel,
        kind: message.kind, contact, data: message.data, unsubscribeUrl,
      });
    } catch (error) {
      // The code first (`template_budget_exceeded: body: …`): the reason says which rule the template broke.
      const code = error instanceof DomainError && error.code !== error.kind ? `${error.code}: ` : '';
      throw new RenderFailure(`${code}${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Everything the provider needs, built before the one call that has side effects. */
  async function prepare(message: MessageRow, contact: ContactRow, to: string): Promise<PreparedSend> {
    // Every e-mail gets its link (a template may show `unsubscribeUrl`), made for the address it goes
    // to; marketing mail also carries it in the headers. Pure computation: no query per message.
    const link = message.channel === 'email' ? await deps.unsubscribeLink(contact, to) : undefined;
    const rendered = await render(message, contact, link?.url ?? null);
    const subject = message.channel === 'email' ? rendered.subject ?? message.subject ?? '' : null;
    const common = { messageId: message.id, to, text: rendered.text, templateKey: message.templateKey, variables: message.data };
    const headers = link && MARKETING.has(message.kind) ? link.headers : {};
    const outgoing: OutgoingText = { toAddress: to, subject, body: rendered.text };
    if (message.channel === 'sms') {
      const statusCallbackUrl = new URL('/webhooks/twilio/status', deps.config.PUBLIC_BASE_URL).toString();
      return { outgoing, call: async () => (await deps.providers.sms.send({ ...common, statusCallbackUrl })).providerMessageId };
    }
    return { outgoing, call: async () => (await deps.providers.email.send({ ...common, subject: subject ?? '', html: rendered.html, headers })).providerMessageId };
  }

  async function onProviderError(message: MessageRow, outgoing: OutgoingText, error: unknown, attempt: SendAttempt): Promise<SendOutcome> {
    // Anything that is not a classified ProviderError may have gone out: treat it as unknown, never resend blindly.
    const failure = error instanceof ProviderError ? error : new ProviderError('unknown-outcome', String((error as Error)?.message ?? error));
    const reason = failure.providerCode ? `${failure.message} (code ${failure.providerCode})` : failure.message;
    const fields = { ...outgoing, error: reason };
    switch (failure.kind) {
      case 'retryable':
        if (attempt.attempt >= attempt.maxAttempts) {
          await move(message, ['sending'], 'failed', `attempts exhausted: ${reason}`, fields);
          return { outcome: 'failed', reason };
        }
        await move(message, ['sending'], 'queued', `retry ${attempt.attempt + 1}/${attempt.maxAttempts} after: ${reason}`, fields);
        return { outcome: 'retry', reason };
      case 'permanent':
        await move(message, ['sending'], 'failed', reason, fields);
        if (failure.recipientOptedOut) await deps.optOut(message.channel, outgoing.toAddress, `provider: ${reason}`);
        return { outcome: 'failed', reason };
      case 'unknown-outcome':
        await move(message, ['sending'], 'unknown', `outcome unknown: ${reason}`, fields);
        return { outcome: 'unknown', reason };
      default: {
        const unhandled: never = failure.kind;
        throw new Error(`unhandled provider failure kind ${String(unhandled)}`);
      }
    }
  }

  return {
    async send(messageId: string, attempt: SendAttempt): Promise<SendOutcome> {
      const claim = await repository.claim({ id: messageId, reason: `attempt ${attempt.attempt}`, at: clock.now() });
      if (!claim) return { outcome: 'skipped', reason: 'not queued (already handled or cancelled)' };
      const claimed = claim.message;
      metrics.messagesByStatus.inc({ channel: claimed.channel, status: 'sending' });

      const decision = await deps.gate(claim);
      switch (decision.verdict) {
        case 'expired':
        case 'suppressed':
          await move(claimed, ['sending'], decision.verdict, decision.reason, { error: decision.reason });
          return { outcome: decision.verdict, reason: decision.reason };
        case 'deferred':
          await move(claimed, ['sending'], 'queued', decision.reason, { scheduledAt: decision.until });
          return { outcome: 'deferred', until: decision.until, reason: decision.reason };
        case 'go':
          break;
      }

      let prepared: PreparedSend;
      try {
        prepared = await prepare(claimed, decision.contact, decision.to);
      } catch (error) {
        if (!(error instanceof RenderFailure)) {
          // Nothing reached the provider yet: hand the row back so the job's retry can claim it again.
          await move(claimed, ['sending'], 'queued', `error before sending: ${(error as Error).message}`).catch(() => undefined);
          throw error;
        }
        await move(claimed, ['sending'], 'failed', `rendering failed: ${error.message}`, { error: error.message });
        return { outcome: 'failed', reason: error.message };
      }
      let providerMessageId: string;
      try {
        providerMessageId = await prepared.call();
      } catch (error) {
        return onProviderError(claimed, prepared.outgoing, error, attempt);
      }
      const sentAt = clock.now();
      const provider = providerIdOf(deps.providers, claimed.channel);
      const recorded = await repository.markSent({
        id: claimed.id, reason: `accepted by ${provider}`, at: sentAt, provider, providerMessageId, sentAt, ...prepared.outgoing,
      });
      if (recorded) metrics.messagesByStatus.inc({ channel: claimed.channel, status: 'sent' });
      return { outcome: 'sent', providerMessageId };
    },
  };
}
export type SendService = ReturnType<typeof createSendService>;

const providerIdOf = (providers: Providers, channel: 'sms' | 'email') => (channel === 'sms' ? providers.sms.id : providers.email.id);

/** Marks an error thrown while rendering, so it is not mistaken for a provider failure. */
export class RenderFailure extends Error {}
