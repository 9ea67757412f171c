import { convert } from 'html-to-text';
import juice from 'juice';
import { UnprocessableError } from '../../../shared/errors';
import { checkTemplate, renderFailure, renderTemplate } from './handlebars-engine';
import { parseEmailHtml, sanitizeEmailDocument } from './email-html-safety';
import type { RenderSettings } from './helpers';
import { DEFAULT_RENDER_LIMITS, TemplateBudgetError } from './render-budget';

export interface EmailSource {
  subject: string | null;
  /** Plain-text body; when empty, the text part is derived from the HTML. */
  body: string;
  html: string | null;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html?: string;
}

/**
 * CSS inlining matches every rule against every element, at about 1 µs a match: 500 rules × 10,000
 * elements take 1.5 s. 250,000 matches (≤ 0.3 s) is far above any real e-mail (100 rules × 500
 * elements is 50,000) and bounds what a template can ask.
 */
export const MAX_CSS_INLINE_WORK = 250_000;

/** Rules (selectors) in `<style>` blocks times elements: what juice will match. Linear in the HTML. */
export function cssInliningWork(html: string): number {
  const lower = html.toLowerCase();
  let selectors = 0;
  for (let at = lower.indexOf('<style'); at !== -1; ) {
    const open = lower.indexOf('>', at);
    if (open === -1) break;
    const close = lower.indexOf('</style', open);
    const css = lower.slice(open + 1, close === -1 ? undefined : close);
    for (let i = 0; i < css.length; i++) if (css[i] === '{' || css[i] === ',') selectors++;
    if (close === -1) break;
    at = lower.indexOf('<style', close);
  }
  if (!selectors) return 0;
  let elements = 0;
  for (let i = lower.indexOf('<'); i !== -1; i = lower.indexOf('<', i + 1)) {
    const next = lower.charCodeAt(i + 1);
    if (next >= 97 && next <= 122) elements++;
  }
  return selectors * elements;
}

/** Save-time check of an e-mail's HTML part: the template checks, and CSS it could never inline in time. */
export function checkEmailHtml(html: string): void {
  checkTemplate(html, 'html');
  if (cssInliningWork(html) > MAX_CSS_INLINE_WORK) {
    const message = `too much CSS for its elements: inlining would take more than ${MAX_CSS_INLINE_WORK} rule/element matches`;
    throw new UnprocessableError(`html: ${message}`, [{ field: 'html', message }], 'template_too_complex');
  }
}

/** Inlines the CSS (most mail clients drop `<style>` blocks) within its bound, then makes the result safe. */
function finishHtml(rendered: string, settings: RenderSettings): string {
  const limits = settings.limits ?? DEFAULT_RENDER_LIMITS;
  try {
    if (cssInliningWork(rendered) > MAX_CSS_INLINE_WORK) throw new TemplateBudgetError('css', MAX_CSS_INLINE_WORK);
    // One parse for both: juice works on the document the sanitiser then cleans and serialises.
    const $ = parseEmailHtml(rendered);
    juice.juiceDocument($);
    sanitizeEmailDocument($);
    const html = $.html();
    // Inlined styles make the HTML longer, but within reason: the text part parses it again.
    const inlinedLimit = Math.floor(1.5 * limits.maxOutputChars);
    if (html.length > inlinedLimit) throw new TemplateBudgetError('output', inlinedLimit);
    return html;
  } catch (error) {
    throw renderFailure(error, 'html');
  }
}

/**
 * Subject and text are plain (never escaped); HTML escapes every variable, gets its CSS inlined,
 * and loses any link or script that could run in the reader's mail client.
 */
export function renderEmail(source: EmailSource, variables: object, settings: RenderSettings): RenderedEmail {
  const subject = source.subject ? renderTemplate(source.subject, 'subject', variables, settings, false).trim() : '';
  const html = source.html ? finishHtml(renderTemplate(source.html, 'html', variables, settings, true), settings) : undefined;
  const text = source.body.trim()
    ? renderTemplate(source.body, 'body', variables, settings, false)
    : html
      ? convert(html, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }] })
      : '';
  return html ? { subject, text, html } : { subject, text };
}
