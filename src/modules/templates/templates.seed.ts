import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TemplateContent, TemplateIdentity } from './templates.repository';
import { PLACEHOLDER_GATEWAY_CODE } from './gateway-template';

export interface DefaultTemplate {
  file: string;
  identity: TemplateIdentity;
  content: TemplateContent;
}

/**
 * `templates/` sits at the repository root; walk up from here so the same code finds it from
 * `src/` (tests, ts loaders) and from `dist/src/` (the compiled service).
 */
export function defaultTemplatesDir(start = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates'))) return join(dir, 'templates');
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no templates/ directory above ${start}`);
    dir = parent;
  }
}

const FILE_NAME = /^([a-z0-9][a-z0-9_-]*)\.(sms|email)\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)(?:\.(female|male))?\.hbs$/;

/** `subject: …` lines between `---` fences, then the content. */
function splitFrontMatter(text: string): { fields: Record<string, string>; content: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) return { fields: {}, content: text };
  const fields: Record<string, string> = {};
  for (const line of match[1].split(/\r?\n/)) {
    const separator = line.indexOf(':');
    if (separator > 0) fields[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
  }
  return { fields, content: match[2] };
}

/**
 * Reads `<key>.<channel>.<locale>[.<variant>].hbs`. SMS files are the text; e-mail files carry a
 * `subject:` in front matter and the HTML below it (the text part is derived from the HTML).
 */
export function loadDefaultTemplates(dir = defaultTemplatesDir()): DefaultTemplate[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.hbs'))
    .sort()
    .map((file) => {
      const name = FILE_NAME.exec(file);
      if (!name) throw new Error(`templates/${file}: expected <key>.<sms|email>.<locale>[.female|.male].hbs`);
      const [, key, channel, locale, variant] = name;
      const { fields, content } = splitFrontMatter(readFileSync(join(dir, file), 'utf8'));
      const identity: TemplateIdentity = { key, channel: channel as 'sms' | 'email', locale, variant: variant ?? '' };
      const body: TemplateContent =
        channel === 'sms'
          ? { subject: null, body: content.trim(), html: null, gateway: { templateCode: PLACEHOLDER_GATEWAY_CODE, params: {} } }
          : { subject: fields.subject ?? null, body: fields.text ?? '', html: content.trim() };
      return { file, identity, content: body };
    });
}
