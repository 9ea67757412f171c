/**
 * The public unsubscribe pages: self-contained HTML (inline style only, no scripts, no external
 * resources) so they pass the app's Content-Security-Policy, in Chinese and English.
 */
const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** `alice@example.com` → `a***@example.com`: enough to recognise, not enough to harvest. */
export function maskEmail(email: string | null): string {
  if (!email) return '';
  const [local, domain] = email.split('@');
  return `${local.slice(0, 1)}***@${domain ?? ''}`;
}

const STYLE = `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222;line-height:1.6}
h1{font-size:1.4rem}p.en{color:#555}button{font-size:1rem;padding:.6rem 1.4rem;border:0;border-radius:.4rem;background:#c0392b;color:#fff;cursor:pointer}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

export function confirmPage(email: string | null): string {
  const who = email ? ` <strong>${escapeHtml(maskEmail(email))}</strong>` : '';
  // No action attribute: the form posts back to this very URL (the one-click endpoint).
  return page('退订邮件 · Unsubscribe', `<h1>退订邮件 · Unsubscribe</h1>
<p>确定不再接收发往${who} 的营销邮件吗？</p>
<p class="en">Stop receiving marketing e-mail at${who}?</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">退订 · Unsubscribe</button></form>`);
}

export function donePage(email: string | null): string {
  const who = email ? ` <strong>${escapeHtml(maskEmail(email))}</strong>` : '';
  return page('已退订 · Unsubscribed', `<h1>已退订 · Unsubscribed</h1>
<p>已为${who} 退订营销邮件，您将不会再收到此类邮件。</p>
<p class="en">${who ? `${who} has` : 'You have'} been unsubscribed from marketing e-mail.</p>`);
}

export function notFoundPage(): string {
  return page('链接无效 · Link not valid', `<h1>链接无效 · Link not valid</h1>
<p>此退订链接无效或已过期。</p><p class="en">This unsubscribe link is not valid.</p>`);
}
