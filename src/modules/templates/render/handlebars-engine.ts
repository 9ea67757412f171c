import Handlebars from 'handlebars';
import { UnprocessableError, ValidationError } from '../../../shared/errors';
import { HELPER_NAMES, TEMPLATE_HELPERS, type RenderSettings } from './helpers';
import { inspectTemplate } from './template-inspector';

/** Which part of a template a source is: names the field in errors. */
export type TemplatePart = 'body' | 'subject' | 'html';

// An isolated environment: our helpers only, nothing registered globally by another library.
const env = Handlebars.create();
for (const [name, helper] of Object.entries(TEMPLATE_HELPERS)) env.registerHelper(name, helper);
const knownHelpers = Object.fromEntries([...HELPER_NAMES].map((name) => [name, true]));

type Compiled = Handlebars.TemplateDelegate;
const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 500;

/**
 * Parses and statically checks a template: a syntax error is bad input (400, naming the part),
 * an unknown variable or helper is well-formed but impossible (422, naming the variable).
 */
export function checkTemplate(source: string, part: TemplatePart): void {
  let ast: hbs.AST.Program;
  try {
    ast = env.parse(source);
  } catch (error) {
    throw ValidationError.field(part, `template does not compile: ${(error as Error).message.split('\n')[0]}`);
  }
  const problems = inspectTemplate(ast, HELPER_NAMES);
  if (!problems.length) return;
  const describe = (p: (typeof problems)[number]) =>
    p.kind === 'unknown_variable' ? `unknown variable ${p.name}` : p.kind === 'unknown_helper' ? `unknown helper ${p.name}` : `${p.name} are not supported`;
  const details = problems.map((p) => ({ field: part, message: describe(p) }));
  const code = problems.some((p) => p.kind === 'unknown_variable') ? 'unknown_variable' : 'unknown_helper';
  throw new UnprocessableError(`${part}: ${details.map((d) => d.message).join(', ')}`, details, code);
}

function compiled(source: string, part: TemplatePart, escape: boolean): Compiled {
  const cacheKey = `${escape ? 'h' : 't'}:${source}`;
  let template = cache.get(cacheKey);
  if (!template) {
    checkTemplate(source, part);
    template = env.compile(source, { noEscape: !escape, knownHelpers, knownHelpersOnly: true });
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(cacheKey, template);
  }
  return template;
}

/**
 * Checks (once per source) and renders a template. `escape` is for HTML only: SMS and plain text go out verbatim
 * (an escaped `&amp;` in an SMS is a visible bug).
 */
export function renderTemplate(source: string, part: TemplatePart, variables: object, settings: RenderSettings, escape: boolean): string {
  return compiled(source, part, escape)(variables, { data: { render: settings } });
}
