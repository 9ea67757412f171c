import type { Config } from '../../config';
import type { ContactRow, MessageStatus } from '../../db/schema';
import { ProviderError, type Providers } from '../../providers/types';
import { DomainError } from '../../shared/errors';
import type { Metrics } from '../../shared/metrics';
import type { Clock } from '../../time/clock';
import type { MessageRow, TransitionFields } from '../messages/message-rows';
import { smsStats } from '../templates/render/sms-counter';
import type { ProviderCalls } from './provider-calls';
import { createRequeue } from './send-requeue';
import type { SendOutcome, SendRequest } from './send.types';
import type { SendGate } from './send-gate';
import type { ClaimedMessage, OutgoingText, SendRepository } from './send.repository';

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
  /** SMS: a gateway template's code (null: none) and params rendered for this message. */
  gateway?: { templateCode: string | null; params: Record<string, string> };
}
export type MessageRenderer = (input: RenderInput) => Promise<RenderedMessage> | RenderedMessage;

export interface SendServiceDeps {
  repository: SendRepository;
  gate: SendGate;
  render: MessageRenderer;
  providers: Pick<Providers, 'sms' | 'email'>;
  /** The provider calls, batched where the provider takes many messages per call (provider-calls.ts). */
  calls: ProviderCalls;
  /** Records an address the provider reports as opted out (Twilio 21610). */
  optOut: (channel: 'sms' | 'email', address: string, reason: string) => Promise<void>;
  /** The unsubscribe link for an e-mail to `address`, and the `List-Unsubscribe` headers carrying it. */
  unsubscribeLink: (contact: ContactRow, address: string) => Promise<UnsubscribeLink> | UnsubscribeLink;
  clock: Clock;
  metrics: Pick<Metrics, 'messagesByStatus'>;
  config: Pick<Config, 'PUBLIC_BASE_URL' | 'SEND_ATTEMPTS' | 'SEND_BACKOFF_MS'>;
}

const MARKETING = new Set(['holiday', 'promo', 'festival']);

export interface UnsubscribeLink {
  url: string;
  headers: Record<string, string>;
}

/** A rendered message ready for its one provider call, and the text to record with the outcome. */
interface PreparedSend {
  outgoing: OutgoingText;
  call(): Promise<string>;
}

/** The longest pause between two tries of a write that records what happened to a claimed message. */
const RECORD_RETRY_MAX_MS = 32_000;

/**
 * Runs a write that records a claimed message's fate, again and again (250 ms, doubling, about a
 * minute in all) while the database refuses it. A claimed row left `sending` becomes `unknown`
 * (the reconciler): recording what is known — it never went out, or the provider took it — beats that.
 * Past the last try the error stands and the row is left to the reconciler, as after a crash.
 */
async function onceWritten<T>(write: () => Promise<T>): Promise<T> {
  for (let waitMs = 250; ; waitMs *= 2) {
    try {
      return await write();
    } catch (error) {
      if (waitMs > RECORD_RETRY_MAX_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** Sends one message: claim, send-time checks (the gate), render, provider call, record. */
export function createSendService(deps: SendServiceDeps) {
  const { repository, clock, metrics, config } = deps;

  async function move(message: MessageRow, from: MessageStatus[], to: MessageStatus, reason: string | null, fields?: TransitionFields, refundAttempt = false) {
    const row = await repository.transition(message.id, { from, to, reason, at: clock.now(), fields, refundAttempt });
    if (row) metrics.messagesByStatus.inc({ channel: message.channel, status: to });
    return row;
  }

  const { hold, retryOrFail } = createRequeue({ move, clock, config });

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
    // The SMS segments billed are recorded with `sent` (reports: cost = segments × the provider's price).
    const outgoing: OutgoingText = { toAddress: to, subject, body: rendered.text, segments: message.channel === 'sms' ? smsStats(rendered.text).segments : null };
    if (message.channel === 'sms') {
      const statusCallbackUrl = new URL('/webhooks/twilio/status', deps.config.PUBLIC_BASE_URL).toString();
      const gateway = rendered.gateway?.templateCode ? { templateCode: rendered.gateway.templateCode, params: rendered.gateway.params } : undefined;
      return { outgoing, call: async () => (await deps.calls.sms({ ...common, statusCallbackUrl, ...(gateway ? { gateway } : {}) })).providerMessageId };
    }
    return { outgoing, call: async () => (await deps.calls.email({ ...common, subject: subject ?? '', html: rendered.html, headers })).providerMessageId };
  }

  async function onProviderError(message: MessageRow, request: SendRequest, outgoing: OutgoingText, error: unknown): Promise<SendOutcome> {
    // Anything that is not a classified ProviderError may have gone out: treat it as unknown, never resend blindly.
    const failure = error instanceof ProviderError ? error : new ProviderError('unknown-outcome', String((error as Error)?.message ?? error));
    const reason = failure.providerCode ? `${failure.message} (code ${failure.providerCode})` : failure.message;
    const fields = { ...outgoing, error: reason };
    switch (failure.kind) {
      case 'retryable':
        return retryOrFail(message, request, reason, fields);
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

  /** The send-time checks, then the rendering: a final outcome (recorded), or the provider call to make. */
  async function checkAndPrepare(claim: ClaimedMessage, request: SendRequest): Promise<SendOutcome | PreparedSend> {
    const claimed = claim.message;
    const decision = await deps.gate(claim);
    switch (decision.verdict) {
      case 'expired':
      case 'cancelled':
      case 'suppressed':
        await move(claimed, ['sending'], decision.verdict, decision.reason, { error: decision.reason });
        return { outcome: decision.verdict, reason: decision.reason };
      case 'deferred':
        return hold(claimed, request, decision.until, decision.reason);
      case 'go':
        break;
    }
    try {
      return await prepare(claimed, decision.contact, decision.to);
    } catch (error) {
      if (!(error instanceof RenderFailure)) throw error;
      await move(claimed, ['sending'], 'failed', `rendering failed: ${error.message}`, { error: error.message });
      return { outcome: 'failed', reason: error.message };
    }
  }

  /**
   * An error between the claim and the provider call (PostgreSQL gone mid-check, say): nothing went
   * out, so the message is retried like a retryable failure, once the database answers again.
   */
  async function notSent(message: MessageRow, request: SendRequest, error: unknown): Promise<SendOutcome> {
    const reason = `error before sending: ${error instanceof Error ? error.message : String(error)}`;
    return onceWritten(() => retryOrFail(message, request, reason));
  }

  return {
    async send(request: SendRequest): Promise<SendOutcome> {
      const claim = await repository.claim({ id: request.messageId, jobKey: request.jobKey, at: clock.now() });
      if (!claim) return { outcome: 'skipped', reason: 'not queued for this job (already handled, cancelled or moved to another job)' };
      const claimed = claim.message;
      metrics.messagesByStatus.inc({ channel: claimed.channel, status: 'sending' });

      let ready: SendOutcome | PreparedSend;
      try {
        ready = await checkAndPrepare(claim, request);
      } catch (error) {
        return notSent(claimed, request, error);
      }
      if ('outcome' in ready) return ready;
      const prepared = ready;
      let providerMessageId: string;
      try {
        providerMessageId = await prepared.call();
      } catch (error) {
        return onceWritten(() => onProviderError(claimed, request, prepared.outgoing, error));
      }
      const sentAt = clock.now();
      const provider = providerIdOf(deps.providers, claimed.channel);
      // The provider took it: if PostgreSQL is away right now, `sent` is recorded once it is back.
      const recorded = await onceWritten(() => repository.markSent({ id: claimed.id, provider, providerMessageId, sentAt, ...prepared.outgoing }));
      if (recorded) metrics.messagesByStatus.inc({ channel: claimed.channel, status: 'sent' });
      return { outcome: 'sent', providerMessageId };
    },
  };
}
export type SendService = ReturnType<typeof createSendService>;

const providerIdOf = (providers: Pick<Providers, 'sms' | 'email'>, channel: 'sms' | 'email') => (channel === 'sms' ? providers.sms.id : providers.email.id);

/** Marks an error thrown while rendering, so it is not mistaken for a provider failure. */
export class RenderFailure extends Error {}
