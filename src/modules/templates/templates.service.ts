import type { Config } from '../../config';
import type { Channel } from '../../db/schema';
import { NotFoundError, UnprocessableError, ValidationError } from '../../shared/errors';
import { z } from 'zod';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import type { BrandVariables } from './brand';
import { checkEmailHtml } from './render/email-renderer';
import { checkTemplate } from './render/handlebars-engine';
import { DEFAULT_RENDER_LIMITS } from './render/render-budget';
import { smsStats } from './render/sms-counter';
import { createTemplateCache } from './template-cache';
import { createTemplateKeyCheck } from './template-keys';
import { pickTemplate } from './template-resolution';
import { checkTemplateLocale, createTemplateRendering, type RenderConfig } from './template-rendering';
import type { TemplateContent, TemplateIdentity, TemplateRow, TemplatesRepository } from './templates.repository';
import type { CreateTemplateInput } from './templates.schemas';
import { loadDefaultTemplates } from './templates.seed';
import { gatewayWarnings, validateGatewayTemplate } from './gateway-template';
import type { GatewayTemplate } from '../../db/schema';

/** Current templates list by identity: `[key, channel, locale, variant]`. */
const identityCursor = z.tuple([z.string(), z.string(), z.string(), z.string()]);

export interface TemplateView {
  id: string;
  key: string;
  channel: Channel;
  locale: string;
  variant: string | null;
  version: number;
  isCurrent: boolean;
  subject: string | null;
  body: string;
  html: string | null;
  gateway: GatewayTemplate | null;
  createdAt: string;
  warnings?: string[];
}

export const toTemplateView = (row: TemplateRow): TemplateView => ({
  id: row.id,
  key: row.key,
  channel: row.channel,
  locale: row.locale,
  variant: row.variant || null,
  version: row.version,
  isCurrent: row.isCurrent,
  subject: row.subject,
  body: row.body,
  html: row.html,
  gateway: row.gateway ?? null,
  createdAt: row.createdAt.toISOString(),
});

/** A part whose own text is longer than what a render may produce could never be sent. */
function checkSourceSize(content: TemplateContent, maxOutputChars: number): void {
  for (const part of ['subject', 'body', 'html'] as const) {
    if ((content[part]?.length ?? 0) > maxOutputChars) {
      const message = `longer than the ${maxOutputChars} characters a template may render to`;
      throw new UnprocessableError(`${part}: ${message}`, [{ field: part, message }], 'template_too_complex');
    }
  }
}

/** Save-time rules: what each channel needs, and every part compiles against the known variables. */
export function validateTemplateContent(channel: Channel, content: TemplateContent, maxOutputChars = DEFAULT_RENDER_LIMITS.maxOutputChars): void {
  checkSourceSize(content, maxOutputChars);
  if (channel === 'sms') {
    if (!content.body.trim()) throw ValidationError.field('body', 'an SMS template needs a body');
    if (content.html) throw ValidationError.field('html', 'only e-mail templates have html');
    if (content.subject) throw ValidationError.field('subject', 'only e-mail templates have a subject');
  } else {
    if (!content.subject?.trim()) throw ValidationError.field('subject', 'an e-mail template needs a subject');
    if (!content.body.trim() && !content.html?.trim()) throw ValidationError.field('body', 'an e-mail template needs a body or html');
    checkTemplate(content.subject, 'subject');
    if (content.html) checkEmailHtml(content.html);
  }
  checkTemplate(content.body, 'body');
  validateGatewayTemplate(channel, content.gateway);
}

type ListFilter = { key?: string; channel?: Channel; locale?: string; limit: number; cursor?: string };

type TemplatesConfig = RenderConfig & Partial<Pick<Config, 'TEMPLATE_CACHE_TTL_MS' | 'SMS_PROVIDER'>>;

export function createTemplatesService(deps: {
  repository: TemplatesRepository; config: TemplatesConfig; templatesDir?: string;
  /** The shop's brand from the settings service (read per render); the environment's without it. */
  brand?: () => Promise<BrandVariables>;
}) {
  const { repository, config } = deps;
  const cache = createTemplateCache(repository.currentCandidates, config.TEMPLATE_CACHE_TTL_MS ?? 5000);
  /** Every write goes through here, so this process never renders a version older than its own save. */
  const written = <T>(result: T): T => {
    cache.invalidate();
    return result;
  };

  const getRow = async (id: string): Promise<TemplateRow> => {
    const row = await repository.findById(id);
    if (!row) throw new NotFoundError('template', id);
    return row;
  };

  const resolve = async (query: { key: string; channel: Channel; locale?: string | null; gender?: string | null }): Promise<TemplateRow | null> =>
    pickTemplate(await cache.currentCandidates(query.key, query.channel), { ...query, defaultLocale: config.DEFAULT_LOCALE });

  let shipped: ReadonlySet<string> | undefined;
  /** `key.channel` of every shipped default template, read once. */
  const shippedKeys = () => (shipped ??= new Set(loadDefaultTemplates(deps.templatesDir).map(({ identity }) => `${identity.key}.${identity.channel}`)));

  const rendering = createTemplateRendering({
    config,
    resolve,
    findTemplate: repository.findById,
    findContact: repository.findContact,
    brand: deps.brand,
  });

  return {
    /** Saves version 1, or the next version of an existing (key, channel, locale, variant), as current. */
    async create(input: CreateTemplateInput): Promise<TemplateView> {
      const identity: TemplateIdentity = { key: input.key, channel: input.channel, locale: input.locale, variant: input.variant ?? '' };
      const gateway = input.gateway ? { templateCode: input.gateway.templateCode ?? null, params: input.gateway.params } : null;
      const content: TemplateContent = { subject: input.subject?.trim() || null, body: input.body, html: input.html?.trim() || null, gateway };
      checkTemplateLocale(input.locale);
      validateTemplateContent(input.channel, content, config.TEMPLATE_RENDER_MAX_OUTPUT_CHARS);
      const view = toTemplateView(written(await repository.insertVersion(identity, content)));
      const warnings = gatewayWarnings(input.channel, gateway, config.SMS_PROVIDER);
      return warnings.length ? { ...view, warnings } : view;
    },

    async list(filter: ListFilter): Promise<Page<TemplateView>> {
      const after = decodeCursor(filter.cursor, identityCursor);
      const rows = await repository.listCurrent(filter, filter.limit + 1, after);
      return toPage(rows, filter.limit, toTemplateView, (row) => [row.key, row.channel, row.locale, row.variant]);
    },

    get: async (id: string): Promise<TemplateView> => toTemplateView(await getRow(id)),

    versions: async (id: string): Promise<TemplateView[]> => (await repository.versionsOf(await getRow(id))).map(toTemplateView),

    /** Makes an earlier (or later) version current again; the history is kept as it is. */
    async restore(id: string): Promise<TemplateView> {
      const row = written(await repository.makeCurrent(id));
      if (!row) throw new NotFoundError('template', id);
      return toTemplateView(row);
    },

    /** The current template for a contact: key+channel, contact locale → default locale, gender variant → none. */
    resolve,

    /** 422 (`unknown_template`, naming the field) unless a current template has this key on one of the channels. */
    assertKey: createTemplateKeyCheck(repository.currentCandidates, shippedKeys),

    renderMessage: rendering.renderMessage,
    renderAutoReply: rendering.renderAutoReply,
    preview: rendering.preview,
    smsStats,

    /** Inserts each shipped template whose identity does not exist yet; safe on every boot. */
    async seedDefaults(): Promise<{ inserted: number }> {
      let inserted = 0;
      for (const template of loadDefaultTemplates(deps.templatesDir)) {
        validateTemplateContent(template.identity.channel, template.content);
        if (await repository.insertIfAbsent(template.identity, template.content)) inserted++;
      }
      if (inserted) cache.invalidate();
      return { inserted };
    },
  };
}
export type TemplatesService = ReturnType<typeof createTemplatesService>;
