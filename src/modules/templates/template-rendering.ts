import type { Config } from '../../config';
import type { Channel, ContactRow, MessageKind } from '../../db/schema';
import { NotFoundError, UnprocessableError, ValidationError } from '../../shared/errors';
import { brandOf, type BrandVariables } from './brand';
import { isWellFormedLocale } from './render/locale-text';
import { DEFAULT_RENDER_LIMITS, type RenderLimits } from './render/render-budget';
import { renderForChannel, type RenderedMessage, type TemplateSource } from './render/message-renderer';
import { smsStats, type SmsStats } from './render/sms-counter';
import {
  anonymousContact, contactVariables, sampleVariables, type MessageData, type TemplateVariables,
} from './template-variables';
import type { TemplateRow } from './templates.repository';
import type { PreviewInput } from './templates.schemas';

/** No current template for the key/channel in any fallback locale: the message can't be rendered. */
export class TemplateNotFoundError extends NotFoundError {
  constructor(key: string, channel: string) {
    super('template', `${key} (${channel})`);
  }
}

export type RenderConfig = Pick<Config, 'BRAND_NAME' | 'BRAND_PHONE' | 'SMS_SIGNATURE' | 'SMS_OPT_OUT_HINT' | 'DEFAULT_LOCALE' | 'DEFAULT_TIMEZONE'>
  & Partial<Pick<Config, 'TEMPLATE_RENDER_MAX_ITERATIONS' | 'TEMPLATE_RENDER_MAX_STEPS' | 'TEMPLATE_RENDER_MAX_OUTPUT_CHARS'>>;

/** A locale the formatters refuse (`en-a1`) would fail every render: 422 naming `locale`. */
export function checkTemplateLocale(locale: string): void {
  if (!isWellFormedLocale(locale)) {
    const message = `${locale} is not a valid BCP 47 locale (e.g. zh-CN, en)`;
    throw new UnprocessableError(`locale: ${message}`, [{ field: 'locale', message }], 'invalid_locale');
  }
}

export interface RenderMessageInput {
  templateKey?: string | null;
  /** An inline one-off body (ops' test send) instead of a stored template. */
  bodyTemplate?: string | null;
  subjectTemplate?: string | null;
  channel: Channel;
  kind: MessageKind;
  contact: ContactRow;
  data?: MessageData;
  /**
   * The message's own unsubscribe link (the send path's, bound to the address it goes to). When
   * given, null included, it replaces any `unsubscribeUrl` in `data`: a link is never taken from data.
   */
  unsubscribeUrl?: string | null;
}

export interface PreviewResult extends RenderedMessage {
  sms: SmsStats;
}

interface RenderingDeps {
  config: RenderConfig;
  resolve(query: { key: string; channel: Channel; locale?: string | null; gender?: string | null }): Promise<TemplateRow | null>;
  findTemplate(id: string): Promise<TemplateRow | undefined>;
  findContact(id: string): Promise<ContactRow | undefined>;
  /**
   * The shop's brand now (the settings service: the database over the environment, cached a few
   * seconds). Read on every render, so a preview, an estimate and a send made after a change all
   * carry the same brand and signature. Without it, the environment's.
   */
  brand?: () => Promise<BrandVariables>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function mergeDeep(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const result = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    result[key] = isPlainObject(value) && isPlainObject(result[key]) ? mergeDeep(result[key] as Record<string, unknown>, value) : value;
  }
  return result;
}

/**
 * The kind a shipped template key is sent as (campaign promos and lifecycle journeys are `promo`, the
 * standing festival greeting `festival`), for a preview that names no kind; other keys: none (as written).
 */
const KIND_OF_KEY: Readonly<Record<string, MessageKind>> = {
  promo: 'promo', festival: 'festival', winback: 'promo', care: 'promo', 'second-purchase': 'promo',
};
export const defaultKindOf = (key: string | null | undefined): MessageKind | undefined => (key ? KIND_OF_KEY[key] : undefined);

/** Rendering as the pipeline and the preview endpoint use it: variables built here, never by callers. */
export function createTemplateRendering(deps: RenderingDeps) {
  const { config } = deps;
  // One brand for sends, previews and replies alike; the signature put before marketing SMS is its signature.
  const envBrand = brandOf(config);
  const currentBrand = deps.brand ?? (async () => envBrand);

  const limits: RenderLimits = {
    maxIterations: config.TEMPLATE_RENDER_MAX_ITERATIONS ?? DEFAULT_RENDER_LIMITS.maxIterations,
    maxSteps: config.TEMPLATE_RENDER_MAX_STEPS ?? DEFAULT_RENDER_LIMITS.maxSteps,
    maxOutputChars: config.TEMPLATE_RENDER_MAX_OUTPUT_CHARS ?? DEFAULT_RENDER_LIMITS.maxOutputChars,
  };

  const render = (channel: Channel, kind: MessageKind | undefined, source: TemplateSource, variables: TemplateVariables, locale: string) => {
    checkTemplateLocale(locale);
    const settings = { locale, timeZone: variables.contact.timeZone ?? config.DEFAULT_TIMEZONE, limits };
    const smsRules = { signature: variables.brand.signature, optOutHint: config.SMS_OPT_OUT_HINT };
    return renderForChannel({ channel, kind, source, variables, settings }, smsRules);
  };

  /** The stored template a preview names by id, or by key as a real send would resolve it. */
  const storedSource = async (input: PreviewInput, channel: Channel | undefined, locale: string, gender: string | null): Promise<TemplateRow | undefined> => {
    if (input.templateId) {
      const row = await deps.findTemplate(input.templateId);
      if (!row) throw new NotFoundError('template', input.templateId);
      return row;
    }
    if (!input.templateKey) return undefined;
    if (!channel) throw ValidationError.field('channel', 'required with templateKey');
    const row = await deps.resolve({ key: input.templateKey, channel, locale, gender });
    if (!row) throw new TemplateNotFoundError(input.templateKey, channel);
    return row;
  };

  return {
    async renderMessage(input: RenderMessageInput): Promise<RenderedMessage> {
      const contact = contactVariables(input.contact);
      const brand = await currentBrand();
      const variables: TemplateVariables = { ...input.data, contact, brand };
      if (input.unsubscribeUrl !== undefined) variables.unsubscribeUrl = input.unsubscribeUrl ?? undefined;
      if (input.templateKey) {
        const row = await deps.resolve({ key: input.templateKey, channel: input.channel, locale: input.contact.locale, gender: input.contact.gender });
        if (!row) throw new TemplateNotFoundError(input.templateKey, input.channel);
        return render(input.channel, input.kind, row, variables, row.locale);
      }
      if (!input.bodyTemplate) throw ValidationError.field('templateKey', 'a template key or a body is required');
      const source = { subject: input.subjectTemplate ?? null, body: input.bodyTemplate, html: null };
      return render(input.channel, input.kind, source, variables, input.contact.locale);
    },

    /**
     * An automatic SMS answer (HELP) to a number that may be no contact: the current template for
     * `key`, chosen by locale as for any message, with the brand and no contact details.
     */
    async renderAutoReply(input: { key: string; locale?: string | null }): Promise<string> {
      const row = await deps.resolve({ key: input.key, channel: 'sms', locale: input.locale, gender: null });
      if (!row) throw new TemplateNotFoundError(input.key, 'sms');
      const brand = await currentBrand();
      const variables: TemplateVariables = { contact: anonymousContact(row.locale), brand };
      return render('sms', undefined, row, variables, row.locale).text;
    },

    async preview(input: PreviewInput): Promise<PreviewResult> {
      const contactRow = input.contactId ? await deps.findContact(input.contactId) : undefined;
      if (input.contactId && !contactRow) throw new NotFoundError('contact', input.contactId);

      let channel = input.channel;
      let locale = input.locale ?? contactRow?.locale ?? config.DEFAULT_LOCALE;
      let source: TemplateSource;
      const stored = await storedSource(input, channel, locale, contactRow?.gender ?? null);
      if (stored) {
        source = stored;
        channel = stored.channel;
        locale = stored.locale;
      } else {
        if (!channel) throw ValidationError.field('channel', 'required with body');
        if (input.body === undefined && !input.html) throw ValidationError.field('body', 'a body or a templateId is required');
        source = { subject: input.subject ?? null, body: input.body ?? '', html: input.html ?? null };
      }

      const brand = await currentBrand();
      const variables = contactRow
        ? ({ ...input.data, contact: contactVariables(contactRow), brand } as TemplateVariables)
        : (mergeDeep(sampleVariables(locale, brand), input.data ?? {}) as TemplateVariables);
      // A stored template previews as the kind that sends it, so the signature and 回T退订 a marketing
      // SMS gets are in the preview and in its segment count.
      const kind = input.kind ?? defaultKindOf(stored?.key ?? input.templateKey);
      const rendered = render(channel, kind, source, variables, locale);
      return { ...rendered, sms: smsStats(rendered.text) };
    },
  };
}
