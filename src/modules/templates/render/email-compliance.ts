import Handlebars from 'handlebars';
import type { MessageKind } from '../../../db/schema';
import type { RenderedEmail } from './email-renderer';
import { isMarketing } from './sms-compliance';

const label = (locale: string) => (locale.toLowerCase().startsWith('zh') ? '退订邮件' : 'Unsubscribe');

/**
 * Marketing e-mail must show a visible way out, not only the List-Unsubscribe header (which many
 * clients never show): like 回T退订 on a marketing SMS, a link is added wherever the template did
 * not show `unsubscribeUrl` itself — a footer line in the HTML (before `</body>`) and a last line
 * in the text part. A template that shows it is left as written, and so are other kinds.
 */
export function withUnsubscribeLink(email: RenderedEmail, kind: MessageKind | undefined, url: unknown, locale: string): RenderedEmail {
  if (!isMarketing(kind) || typeof url !== 'string' || !url) return email;
  const result = { ...email };
  if (!result.text.includes(url)) {
    result.text = `${result.text.trimEnd()}\n\n${label(locale)}${locale.toLowerCase().startsWith('zh') ? '：' : ': '}${url}\n`;
  }
  const escaped = Handlebars.escapeExpression(url);
  if (result.html !== undefined && !result.html.includes(url) && !result.html.includes(escaped)) {
    const footer = `<p style="font-size: 12px; color: #999999;"><a href="${escaped}" style="color: #999999;">${label(locale)}</a></p>`;
    const end = result.html.search(/<\/body>(?![\s\S]*<\/body>)/i);
    result.html = end < 0 ? `${result.html}\n${footer}` : `${result.html.slice(0, end)}${footer}\n${result.html.slice(end)}`;
  }
  return result;
}
