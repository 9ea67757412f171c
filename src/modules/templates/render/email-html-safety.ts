import { load, type CheerioAPI } from 'cheerio';

/** Parses e-mail HTML as a browser would (parse5): a whole document, or a fragment without one. */
export function parseEmailHtml(html: string): CheerioAPI {
  return load(html, null, /<html[\s>]|<!doctype/i.test(html));
}

/**
 * Makes a rendered e-mail safe to open whatever the template or the contact's data put in it:
 * links only to http(s), mailto and tel (anything else, `javascript:` first, becomes `#`),
 * images only from http(s), `cid:` or inline `data:image/…`, and no scripts or event handlers.
 *
 * It runs on the final document (after CSS inlining), parsed as the mail client will parse it, so a
 * URL assembled from several values (`href="{{a}}{{b}}"`), written with entities (`&#106;avascript:`)
 * or with stray whitespace is judged as the client will see it.
 */
export function sanitizeEmailDocument($: CheerioAPI): void {
  $('script, meta[http-equiv]').each((_, element) => {
    const equiv = element.attribs['http-equiv'];
    if (element.tagName === 'script' || equiv?.toLowerCase() === 'refresh') $(element).remove();
  });
  $('style').each((_, element) => {
    if (unsafeCss($(element).text())) $(element).remove();
  });
  $('*').each((_, element) => {
    if ('attribs' in element) sanitizeAttributes(element);
  });
}

/** Attributes that hold a link someone follows. */
const LINK_ATTRIBUTES = new Set(['href', 'action', 'formaction', 'cite', 'longdesc', 'usemap', 'codebase', 'data', 'xlink:href', 'manifest', 'ping', 'icon']);
/** Attributes that hold something the client fetches and shows. */
const SOURCE_ATTRIBUTES = new Set(['src', 'background', 'poster', 'lowsrc', 'dynsrc']);

const LINK_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);
const SOURCE_SCHEMES = new Set(['http', 'https', 'cid']);

function sanitizeAttributes(element: { attribs: Record<string, string> }): void {
  for (const [name, value] of Object.entries(element.attribs)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('on')) delete element.attribs[name];
    else if (LINK_ATTRIBUTES.has(lower)) {
      if (!safeUrl(value, false)) element.attribs[name] = '#';
    } else if (SOURCE_ATTRIBUTES.has(lower)) {
      if (!safeUrl(value, true)) delete element.attribs[name];
    } else if (lower === 'srcset') {
      if (!value.split(',').every((candidate) => safeUrl(candidate.trim().split(/\s+/)[0] ?? '', true))) delete element.attribs[name];
    } else if (lower === 'style') {
      if (unsafeCss(value)) delete element.attribs[name];
    }
  }
}

/** Scheme-less values (`#top`, `/path`, `page.html`) are relative: they cannot run anything. */
export function safeUrl(value: string, isSource: boolean): boolean {
  // Browsers drop control characters and whitespace in a scheme (`java\tscript:` runs).
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1]?.toLowerCase();
  if (!scheme) return true;
  if (isSource) return SOURCE_SCHEMES.has(scheme) || (scheme === 'data' && /^data:image\/(png|gif|jpe?g|webp)[;,]/i.test(compact));
  return LINK_SCHEMES.has(scheme);
}

/** Script URLs and IE's `expression()` in CSS; CSS escapes (`\6a`) are refused as they could spell either. */
function unsafeCss(css: string): boolean {
  const compact = css.replace(/[\u0000-\u0020\u007f-\u009f]+/g, '').toLowerCase();
  return /(?:java|vb|live)script:|expression\(|-moz-binding|\\[0-9a-f]/.test(compact);
}
