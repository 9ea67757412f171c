/**
 * The public survey page: self-contained HTML (inline style only, no scripts, no external resources)
 * that works without JavaScript — five submit buttons carry the score, the comment box rides along.
 * In the contact's language (Chinese for zh-*, English otherwise).
 */
const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export type PageLocale = 'zh-CN' | 'en';
export const pageLocale = (locale: string | null | undefined): PageLocale => (locale?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');

const TEXT = {
  'zh-CN': {
    title: '满意度调查', ask: '您对本次购物满意吗？请点击 1–5 分（5 分最满意）。', comment: '想对我们说的话（可选）',
    labels: ['很不满意', '不满意', '一般', '满意', '非常满意'], thanks: '感谢您的评价！', recorded: (s: number) => `您的评分：${s} 分`,
    yourComment: '您的留言：', sorry: '很抱歉让您不满意，客服会在 24 小时内联系您。', notFound: '链接无效', notFoundText: '此调查链接无效或已过期。',
    expired: '页面已过期，请重新打开短信或邮件中的链接。', invalid: '请选择 1–5 分。',
  },
  en: {
    title: 'How did we do?', ask: 'How satisfied are you with your order? Tap 1–5 (5 is best).', comment: 'Anything you would like to tell us (optional)',
    labels: ['Very unhappy', 'Unhappy', 'OK', 'Happy', 'Very happy'], thanks: 'Thank you for your feedback!', recorded: (s: number) => `Your score: ${s} of 5`,
    yourComment: 'Your comment:', sorry: 'We are sorry we let you down: our team will contact you within 24 hours.', notFound: 'Link not valid',
    notFoundText: 'This survey link is not valid.', expired: 'This page has expired: please open the link in your message again.', invalid: 'Please choose a score from 1 to 5.',
  },
};

const STYLE = `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222;line-height:1.6}
h1{font-size:1.4rem}.brand{color:#c0392b;font-weight:600}.scores{display:flex;gap:.5rem;flex-wrap:wrap;margin:1rem 0}
.scores button{flex:1;min-width:4.5rem;font-size:1rem;padding:.6rem .4rem;border:1px solid #c0392b;border-radius:.4rem;background:#fff;color:#c0392b;cursor:pointer}
.scores button strong{display:block;font-size:1.4rem}textarea{width:100%;min-height:5rem;box-sizing:border-box;font:inherit;padding:.5rem}
.error{color:#c0392b}.answer{font-size:1.2rem;font-weight:600}`;

function page(locale: PageLocale, title: string, brand: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(brand ? `${title} · ${brand}` : title)}</title><style>${STYLE}</style></head>
<body>${brand ? `<p class="brand">${escapeHtml(brand)}</p>` : ''}${body}</body></html>`;
}

export function surveyFormPage(input: { locale: PageLocale; brand: string; formKey: string; error?: 'invalid' | 'expired'; comment?: string }): string {
  const t = TEXT[input.locale];
  const buttons = t.labels.map((label, i) =>
    `<button type="submit" name="score" value="${i + 1}"><strong>${i + 1}</strong>${escapeHtml(label)}</button>`).join('');
  // No action attribute: the form posts back to this very URL.
  return page(input.locale, t.title, input.brand, `<h1>${escapeHtml(t.title)}</h1>
${input.error ? `<p class="error">${escapeHtml(t[input.error])}</p>` : ''}<p>${escapeHtml(t.ask)}</p>
<form method="post"><input type="hidden" name="csrf" value="${escapeHtml(input.formKey)}">
<label for="comment">${escapeHtml(t.comment)}</label><textarea id="comment" name="comment" maxlength="1000">${escapeHtml(input.comment ?? '')}</textarea>
<div class="scores">${buttons}</div></form>`);
}

export function surveyAnsweredPage(input: { locale: PageLocale; brand: string; score: number; comment: string | null }): string {
  const t = TEXT[input.locale];
  return page(input.locale, t.title, input.brand, `<h1>${escapeHtml(t.thanks)}</h1>
<p class="answer" data-score="${input.score}">${escapeHtml(t.recorded(input.score))}</p>
${input.comment ? `<p>${escapeHtml(t.yourComment)}</p><blockquote>${escapeHtml(input.comment)}</blockquote>` : ''}
${input.score <= 2 ? `<p>${escapeHtml(t.sorry)}</p>` : ''}`);
}

/** Bilingual: a forged link tells us nothing about who holds it. */
export function surveyNotFoundPage(): string {
  return page('zh-CN', `${TEXT['zh-CN'].notFound} · ${TEXT.en.notFound}`, '', `<h1>${TEXT['zh-CN'].notFound} · ${TEXT.en.notFound}</h1>
<p>${TEXT['zh-CN'].notFoundText}</p><p>${TEXT.en.notFoundText}</p>`);
}
