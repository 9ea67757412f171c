import { convert } from 'html-to-text';
import juice from 'juice';
import { renderTemplate } from './handlebars-engine';
import type { RenderSettings } from './helpers';

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
 * Subject and text are plain (never escaped); HTML escapes every variable, then gets its CSS
 * inlined because most mail clients drop `<style>` blocks.
 */
export function renderEmail(source: EmailSource, variables: object, settings: RenderSettings): RenderedEmail {
  const subject = source.subject ? renderTemplate(source.subject, 'subject', variables, settings, false).trim() : '';
  const html = source.html ? juice(renderTemplate(source.html, 'html', variables, settings, true)) : undefined;
  const text = source.body.trim()
    ? renderTemplate(source.body, 'body', variables, settings, false)
    : html
      ? convert(html, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }] })
      : '';
  return html ? { subject, text, html } : { subject, text };
}
