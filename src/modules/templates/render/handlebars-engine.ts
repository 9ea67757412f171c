import Handlebars from 'handlebars';
import { UnprocessableError, ValidationError } from '../../../shared/errors';
import { helperCallProblem, HELPER_NAMES, TEMPLATE_HELPERS, type RenderSettings } from './helpers';
import { DEFAULT_RENDER_LIMITS, RenderBudget, TemplateBudgetError } from './render-budget';
import { inspectTemplate, prescanTemplate, type TemplateProblem } from './template-inspector';

/** Which part of a template a source is: names the field in errors. */
export type TemplatePart = 'body' | 'subject' | 'html';

/** Root variables an HTML template may write unescaped: ours, never the contact's. */
export const TRUSTED_RAW_VARIABLES: ReadonlySet<string> = new Set(['unsubscribeUrl', 'brand.name', 'brand.phone', 'brand.signature']);

type HelperOptions = Handlebars.HelperOptions;
type Helper = (...args: unknown[]) => unknown;

// Internal helpers every mustache is routed through (see `meter`); templates cannot name them.
const OUT = '__out';
const RAW = '__raw';

const budgetOf = (options: HelperOptions): RenderBudget => options.data.budget as RenderBudget;
const escapeMode = (options: HelperOptions): boolean => options.data.escape === true;
const optionsOf = (args: unknown[]) => args[args.length - 1] as HelperOptions;

/** What Handlebars itself would write for a value (`escapeExpression` / buffer append semantics). */
function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const html = (value as { toHTML?: () => string }).toHTML;
  return typeof html === 'function' ? html.call(value) : String(value);
}

// An isolated environment: our helpers only, nothing registered globally by another library.
const env = Handlebars.create();
const builtin = { each: env.helpers.each as Helper, if: env.helpers.if as Helper, with: env.helpers.with as Helper };

/** Every helper call is a step of the render budget. */
const counted = (helper: Helper): Helper =>
  function (this: unknown, ...args: unknown[]) {
    budgetOf(optionsOf(args)).step();
    return helper.apply(this, args);
  };

for (const [name, helper] of Object.entries(TEMPLATE_HELPERS)) env.registerHelper(name, counted(helper as Helper));
env.registerHelper('if', counted(builtin.if));
// The built-in `unless` calls `if` without the data frame (so without the budget): call the original directly.
env.registerHelper('unless', counted(function (this: unknown, conditional: unknown, options: HelperOptions) {
  return builtin.if.call(this, conditional, { ...options, fn: options.inverse, inverse: options.fn });
} as Helper));
env.registerHelper('with', counted(builtin.with));

/**
 * `#each` with every pass counted: an iteration (and a step), and the pass's exact length added to
 * the output, so a loop body of static text cannot grow the message unseen either.
 */
env.registerHelper('each', function (this: unknown, context: unknown, options: HelperOptions) {
  const budget = budgetOf(options);
  budget.step();
  const body = options.fn;
  const pass = (value: unknown, frame?: Handlebars.RuntimeOptions) => {
    budget.iterate();
    const before = budget.output;
    const piece = body(value, frame);
    budget.setOutput(before + piece.length);
    return piece;
  };
  return builtin.each.call(this, context, { ...options, fn: pass });
});

/** A value written by `{{…}}`: escaped here (in HTML) so its real length counts against the budget. */
env.registerHelper(OUT, (value: unknown, options: HelperOptions) => {
  const budget = budgetOf(options);
  budget.step();
  const text = asText(value);
  const written = escapeMode(options) ? Handlebars.Utils.escapeExpression(text) : text;
  budget.addOutput(written.length);
  return escapeMode(options) ? new Handlebars.SafeString(written) : written;
});

/** A value written by `{{{…}}}` (only trusted variables in HTML, see the inspector). */
env.registerHelper(RAW, (value: unknown, options: HelperOptions) => {
  const budget = budgetOf(options);
  budget.step();
  const text = asText(value);
  budget.addOutput(text.length);
  return escapeMode(options) ? new Handlebars.SafeString(text) : text;
});

const knownHelpers = Object.fromEntries([...HELPER_NAMES, OUT, RAW].map((name) => [name, true]));

type Compiled = Handlebars.TemplateDelegate;
const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 500;
/** Sources are kept as keys: bound their total size too, not only their number. */
const CACHE_CHAR_LIMIT = 20_000_000;
let cachedChars = 0;

const CODES: Record<TemplateProblem['kind'], string> = {
  unknown_variable: 'unknown_variable',
  unknown_helper: 'unknown_helper',
  unsupported: 'unknown_helper',
  too_complex: 'template_too_complex',
  invalid_argument: 'invalid_helper_argument',
  unsafe_html: 'unsafe_html',
};
const CODE_ORDER: TemplateProblem['kind'][] = ['unknown_variable', 'unknown_helper', 'unsupported', 'too_complex', 'invalid_argument', 'unsafe_html'];

const describeProblem = (p: TemplateProblem): string => {
  switch (p.kind) {
    case 'unknown_variable':
      return `unknown variable ${p.name}`;
    case 'unknown_helper':
      return `unknown helper ${p.name}`;
    case 'unsupported':
      return `${p.name} are not supported`;
    default:
      return p.name;
  }
};

function parse(source: string, part: TemplatePart): hbs.AST.Program {
  const tooCostly = prescanTemplate(source);
  if (tooCostly) throw new UnprocessableError(`${part}: ${tooCostly}`, [{ field: part, message: tooCostly }], 'template_too_complex');
  try {
    // Unprocessed: `compile` applies whitespace control itself, and applying it twice would eat whitespace.
    return env.parseWithoutProcessing(source);
  } catch (error) {
    throw syntaxError(error as Error, part);
  }
}

/**
 * A syntax error whole, with where it is: Handlebars' parse errors carry no position, but its
 * (module-wide, synchronous) lexer still holds the offending token's; block mismatches carry theirs.
 */
function syntaxError(error: Error & { lineNumber?: number; column?: number }, part: TemplatePart): ValidationError {
  const lexed = ((env as unknown as { Parser?: unknown }).Parser as { lexer?: { yylloc?: { first_line: number; first_column: number } } }).lexer?.yylloc;
  const fromBlock = typeof error.lineNumber === 'number';
  const line = fromBlock ? error.lineNumber! : lexed?.first_line ?? 1;
  const column = (fromBlock ? error.column ?? 0 : lexed?.first_column ?? 0) + 1;
  const message = `template does not compile: line ${line}, column ${column}: ${error.message}`;
  return new ValidationError([{ field: part, message, line, column }], `${part}: ${message}`);
}

function inspect(ast: hbs.AST.Program, part: TemplatePart): void {
  const problems = inspectTemplate(ast, HELPER_NAMES, {
    checkCall: helperCallProblem,
    trustedRaw: part === 'html' ? TRUSTED_RAW_VARIABLES : undefined,
  });
  if (!problems.length) return;
  const details = problems.map((p) => ({ field: part, message: describeProblem(p) }));
  const code = CODES[CODE_ORDER.find((kind) => problems.some((p) => p.kind === kind))!];
  throw new UnprocessableError(`${part}: ${details.map((d) => d.message).join(', ')}`, details, code);
}

/**
 * Parses and statically checks a template: a syntax error is bad input (400, naming the part); an
 * unknown variable or helper, a shape past the nesting bounds, a helper argument the helper would
 * refuse, or unescaped contact data in HTML is well-formed but refused (422, naming the part).
 */
export function checkTemplate(source: string, part: TemplatePart): void {
  inspect(parse(source, part), part);
}

const pathTo = (name: string, loc: hbs.AST.SourceLocation): hbs.AST.PathExpression =>
  ({ type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc }) as hbs.AST.PathExpression;

/**
 * Routes every `{{…}}` through `__out` (or `{{{…}}}` through `__raw`): a plain lookup costs the
 * budget nothing otherwise, and 20,000 `{{contact.attributes.big}}` could build gigabytes.
 * `{{helper a}}` becomes `{{__out (helper a)}}`; `{{name}}` becomes `{{__out name}}` (or
 * `{{__out (name)}}` when `name` is a helper, as Handlebars would call it).
 */
function meter(program: hbs.AST.Program): void {
  program.body = program.body.map((statement) => {
    if (statement.type === 'BlockStatement') {
      const block = statement as hbs.AST.BlockStatement;
      if (block.program) meter(block.program);
      if (block.inverse) meter(block.inverse);
      return block;
    }
    if (statement.type !== 'MustacheStatement') return statement;
    const mustache = statement as hbs.AST.MustacheStatement;
    const path = mustache.path as hbs.AST.PathExpression;
    const isHelper = mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0
      || (path.parts.length === 1 && !path.data && path.depth === 0 && HELPER_NAMES.has(path.parts[0]));
    const value: hbs.AST.Expression = isHelper
      ? ({ type: 'SubExpression', path, params: mustache.params, hash: mustache.hash, loc: mustache.loc } as hbs.AST.SubExpression)
      : path;
    return { ...mustache, path: pathTo(mustache.escaped ? OUT : RAW, mustache.loc), params: [value], hash: undefined } as unknown as hbs.AST.MustacheStatement;
  });
}

function compiled(source: string, part: TemplatePart, escape: boolean): Compiled {
  const cacheKey = `${escape ? 'h' : 't'}:${part}:${source}`;
  let template = cache.get(cacheKey);
  if (!template) {
    const ast = parse(source, part);
    inspect(ast, part);
    meter(ast);
    template = env.compile(ast, { noEscape: !escape, knownHelpers, knownHelpersOnly: true });
    while (cache.size && (cache.size >= CACHE_LIMIT || cachedChars + cacheKey.length > CACHE_CHAR_LIMIT)) {
      const oldest = cache.keys().next().value as string;
      cache.delete(oldest);
      cachedChars -= oldest.length;
    }
    cache.set(cacheKey, template);
    cachedChars += cacheKey.length;
  }
  return template;
}

/** A render that went over its budget, or met a helper error (a data-fed date pattern): 422 naming the part. */
export function renderFailure(error: unknown, part: TemplatePart): UnprocessableError {
  if (error instanceof TemplateBudgetError) {
    return new UnprocessableError(`${part}: ${error.message}`, [{ field: part, message: error.message }], 'template_budget_exceeded');
  }
  const message = `could not be rendered: ${(error as Error)?.message ?? String(error)}`.split('\n')[0];
  return new UnprocessableError(`${part}: ${message}`, [{ field: part, message }], 'template_render_failed');
}

/**
 * Checks (once per source) and renders a template within `settings.limits`. `escape` is for HTML only:
 * SMS and plain text go out verbatim (an escaped `&amp;` in an SMS is a visible bug).
 */
export function renderTemplate(source: string, part: TemplatePart, variables: object, settings: RenderSettings, escape: boolean): string {
  const template = compiled(source, part, escape);
  const budget = new RenderBudget(settings.limits ?? DEFAULT_RENDER_LIMITS);
  let out: string;
  try {
    out = template(variables, { data: { render: settings, budget, escape } });
  } catch (error) {
    throw renderFailure(error, part);
  }
  // Static text outside loops is not metered as it is written; the whole is checked once here.
  if (out.length > budget.limits.maxOutputChars) throw renderFailure(new TemplateBudgetError('output', budget.limits.maxOutputChars), part);
  return out;
}
