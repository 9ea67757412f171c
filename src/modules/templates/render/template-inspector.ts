import { KNOWN_VARIABLES, type VariableSchema } from '../template-variables';

type Node = hbs.AST.Node;
type Expression = hbs.AST.Expression;

/** What a template references that the schema does not know, or does that we refuse. */
export interface TemplateProblem {
  kind: 'unknown_variable' | 'unknown_helper' | 'unsupported' | 'too_complex' | 'invalid_argument' | 'unsafe_html';
  /** The variable or helper as written in the template, e.g. `contact.nmae`; the whole message for the last three kinds. */
  name: string;
}

/**
 * Static bounds on a template's shape. Nested loops multiply (four `#each` over 100 tags are 10^8
 * passes), so two levels is the most a message needs; the other bounds keep every statement's own
 * cost, and the depth of the recursive walks over the tree, small.
 */
export const TEMPLATE_SHAPE_LIMITS = { maxEachDepth: 2, maxBlockDepth: 6, maxExpressionDepth: 4, maxArguments: 8, maxElseChain: 20 } as const;

/**
 * Bounds checked on the source text before Handlebars parses it. Its parser and compiler are
 * superlinear: 4,000 nested blocks take 15 s to parse, 2,000 nested `(…)` 2 s, and compiling
 * 5,000 `{{…}}` over a second; a template of a few hundred expressions compiles in ~0.1 s. Coarser
 * than the shape limits above (the scan does not know comments), which the parsed tree is held to.
 */
export const TEMPLATE_SOURCE_LIMITS = { maxExpressions: 500, maxExpressionChars: 1000, maxNesting: 16, maxParens: 8, maxElseChain: 32 } as const;

/** A cheap linear scan of the source; answers why it is too costly to parse, if it is. */
export function prescanTemplate(source: string): string | undefined {
  const limits = TEMPLATE_SOURCE_LIMITS;
  const chains: number[] = []; // one entry per open block: its `{{else if}}` count
  let expressions = 0;
  for (let at = source.indexOf('{{'); at !== -1; ) {
    const end = source.indexOf('}}', at + 2);
    if (end === -1) return undefined; // unclosed: the parser reports it, cheaply
    if (++expressions > limits.maxExpressions) return `more than ${limits.maxExpressions} {{…}} expressions`;
    const inner = source.slice(at + 2, end).replace(/^[{~\s]+/, '');
    at = source.indexOf('{{', end + 2);
    if (inner.startsWith('!')) continue; // a comment (its text is not parsed)
    if (inner.length > limits.maxExpressionChars) return `an expression longer than ${limits.maxExpressionChars} characters`;
    let parens = 0;
    for (let i = 0; i < inner.length; i++) {
      if (inner[i] === '(' && ++parens > limits.maxParens) return `helper calls nested deeper than ${limits.maxParens}`;
      if (inner[i] === ')') parens--;
    }
    if (inner.startsWith('#') || /^\^\s*[^\s~}]/.test(inner)) {
      chains.push(0);
      if (chains.length > limits.maxNesting) return `blocks nested more than ${limits.maxNesting} deep`;
    } else if (inner.startsWith('/')) {
      chains.pop();
    } else if (chains.length && /^else\s+[^\s~}]/.test(inner) && ++chains[chains.length - 1] > limits.maxElseChain) {
      return `more than ${limits.maxElseChain} {{else if}} in a row`;
    }
  }
  return undefined;
}

export interface InspectOptions {
  /** Save-time check of a call's arguments; answers the problem, if any. */
  checkCall?(name: string, params: Expression[], hash: hbs.AST.Hash | undefined): string | undefined;
  /**
   * For HTML: the root variables that may be written unescaped (`{{{unsubscribeUrl}}}`). Anything else in a
   * triple-stash could put markup from contact data into the e-mail. Undefined: no restriction (plain text).
   */
  trustedRaw?: ReadonlySet<string>;
}

/** How many blocks, and how many of them loops, enclose a statement. */
type Nesting = { blocks: number; loops: number; chain: number };

/** A scope is a part of the schema (`with contact`), or anything (`each contact.tags`). */
type Scope = { node: VariableSchema | '*'; blockParams: string[] };

const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);
const LOOP_DATA = new Set(['index', 'key', 'first', 'last']);

/**
 * Walks a parsed template and reports every path outside the known variable schema and every
 * helper we do not register. Static, so a typo fails at save time and not on a birthday morning.
 */
export function inspectTemplate(ast: hbs.AST.Program, helpers: ReadonlySet<string>, options: InspectOptions = {}): TemplateProblem[] {
  const limits = TEMPLATE_SHAPE_LIMITS;
  const problems: TemplateProblem[] = [];
  const report = (problem: TemplateProblem) => {
    if (!problems.some((p) => p.kind === problem.kind && p.name === problem.name)) problems.push(problem);
  };

  const checkPath = (path: hbs.AST.PathExpression, scopes: Scope[]): void => {
    if (path.data) {
      const [head, ...rest] = path.parts;
      if (head === 'root') return checkParts(rest, KNOWN_VARIABLES, path.original);
      if (!LOOP_DATA.has(head) || !scopes.some((s) => s.node === '*')) report({ kind: 'unknown_variable', name: path.original });
      return;
    }
    const scope = scopes[scopes.length - 1 - path.depth];
    if (!scope) return report({ kind: 'unknown_variable', name: path.original });
    if (path.depth === 0 && path.parts.length && scopes.some((s) => s.blockParams.includes(path.parts[0]))) return;
    checkParts(path.parts, scope.node, path.original);
  };

  const checkParts = (parts: string[], start: VariableSchema | '*', original: string): void => {
    let node: VariableSchema | true | '*' = start;
    for (const part of parts) {
      if (node === '*') return;
      const next: VariableSchema[string] | undefined = node === true ? undefined : Object.hasOwn(node, part) ? node[part] : undefined;
      if (next === undefined) return report({ kind: 'unknown_variable', name: original });
      node = next;
    }
  };

  const resolveScope = (expr: Expression | undefined, scopes: Scope[]): VariableSchema | '*' => {
    if (!expr || expr.type !== 'PathExpression') return '*';
    const path = expr as hbs.AST.PathExpression;
    let node: VariableSchema | true | '*' = path.data ? KNOWN_VARIABLES : scopes[scopes.length - 1 - path.depth]?.node ?? '*';
    for (const part of path.data ? path.parts.slice(1) : path.parts) {
      if (node === '*' || node === true) return '*';
      node = node[part] ?? '*';
    }
    return node === true ? '*' : node;
  };

  /** Too many arguments make one statement arbitrarily costly, and the render budget counts statements. */
  const checkArgumentCount = (node: { params: Expression[]; hash?: hbs.AST.Hash }, name: string): void => {
    if (node.params.length + (node.hash?.pairs.length ?? 0) > limits.maxArguments) {
      report({ kind: 'too_complex', name: `${name} has more than ${limits.maxArguments} arguments` });
    }
  };

  /** A triple-stash in HTML writes markup as is: only our own values (not contact data) may do that. */
  const checkRaw = (node: hbs.AST.MustacheStatement, scopes: Scope[]): void => {
    if (!options.trustedRaw || node.escaped) return;
    const path = node.path as hbs.AST.PathExpression;
    const rootPath =
      path.type !== 'PathExpression' || node.params.length || node.hash?.pairs.length ? undefined
        : path.data ? (path.parts[0] === 'root' ? path.parts.slice(1).join('.') : undefined)
          : path.depth === 0 && scopes.length === 1 ? path.parts.join('.') : undefined;
    if (rootPath === undefined || !options.trustedRaw.has(rootPath)) {
      const shown = path.type === 'PathExpression' ? path.original : 'a helper call';
      report({ kind: 'unsafe_html', name: `{{{${shown}}}} writes unescaped HTML; only ${[...options.trustedRaw].join(', ')} may (use {{${shown}}})` });
    }
  };

  const checkCall = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression, scopes: Scope[], depth: number): void => {
    const path = node.path as hbs.AST.PathExpression;
    if (path.type !== 'PathExpression') {
      // `{{"name"}}` is a lookup that would slip past the variable check.
      report({ kind: 'unsupported', name: 'literal expressions' });
      return;
    }
    const isCall = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || node.type === 'SubExpression';
    const helperName = path.parts.length === 1 && !path.data && path.depth === 0 ? path.parts[0] : undefined;
    if (helperName && helpers.has(helperName)) {
      const problem = options.checkCall?.(helperName, node.params, node.hash);
      if (problem) report({ kind: 'invalid_argument', name: problem });
    } else if (isCall) {
      report({ kind: 'unknown_helper', name: path.original ?? String(path) });
    } else {
      checkPath(path, scopes);
    }
    if (node.type === 'MustacheStatement') checkRaw(node, scopes);
    checkArgumentCount(node, path.original);
    node.params.forEach((param) => walkExpression(param, scopes, depth));
    node.hash?.pairs.forEach((pair) => walkExpression(pair.value, scopes, depth));
  };

  const walkExpression = (expr: Expression, scopes: Scope[], depth: number): void => {
    if (expr.type === 'PathExpression') checkPath(expr as hbs.AST.PathExpression, scopes);
    else if (expr.type === 'SubExpression') {
      if (depth + 1 > limits.maxExpressionDepth) {
        report({ kind: 'too_complex', name: `helper calls nested deeper than ${limits.maxExpressionDepth}` });
        return; // nor walk further: the walk itself must stay shallow
      }
      checkCall(expr as hbs.AST.SubExpression, scopes, depth + 1);
    }
  };

  const walkBlock = (block: hbs.AST.BlockStatement, scopes: Scope[], nesting: Nesting): void => {
    const path = block.path as hbs.AST.PathExpression;
    const name = path.type === 'PathExpression' ? path.original : String((block.path as unknown as { value: unknown }).value);
    if (path.type !== 'PathExpression' || !BLOCK_HELPERS.has(name)) report({ kind: 'unknown_helper', name });
    else if (block.params.length !== 1) report({ kind: 'invalid_argument', name: `#${name} takes exactly one argument` });
    checkArgumentCount(block, `#${name}`);
    block.params.forEach((param) => walkExpression(param, scopes, 0));
    block.hash?.pairs.forEach((pair) => walkExpression(pair.value, scopes, 0));
    const inside: Nesting = { blocks: nesting.blocks + 1, loops: nesting.loops + (name === 'each' ? 1 : 0), chain: 0 };
    if (inside.loops > limits.maxEachDepth) {
      report({ kind: 'too_complex', name: `#each loops nested more than ${limits.maxEachDepth} deep` });
      return; // nothing inside is reachable anyway; stopping keeps the walk shallow
    }
    if (inside.blocks > limits.maxBlockDepth) {
      report({ kind: 'too_complex', name: `blocks nested more than ${limits.maxBlockDepth} deep` });
      return;
    }
    const blockParams = block.program?.blockParams ?? [];
    let inner: Scope[] = scopes;
    if (name === 'each') inner = [...scopes, { node: '*', blockParams }];
    else if (name === 'with') inner = [...scopes, { node: blockParams.length ? scopes[scopes.length - 1].node : resolveScope(block.params[0], scopes), blockParams }];
    if (block.program) walkProgram(block.program, inner, inside);
    if (!block.inverse) return;
    // `{{else if}}` is a block inside the inverse; a chain of them is one level deep, with its own bound.
    const chained = (block.inverse as hbs.AST.Program & { chained?: boolean }).chained === true;
    const chain = chained ? nesting.chain + 1 : 0;
    if (chain > limits.maxElseChain) return report({ kind: 'too_complex', name: `more than ${limits.maxElseChain} {{else if}} in a row` });
    walkProgram(block.inverse, scopes, chained ? { ...nesting, chain } : { ...inside, loops: nesting.loops });
  };

  const walkProgram = (program: hbs.AST.Program, scopes: Scope[], nesting: Nesting): void => {
    for (const statement of program.body as Node[]) {
      switch (statement.type) {
        case 'MustacheStatement':
          checkCall(statement as hbs.AST.MustacheStatement, scopes, 0);
          break;
        case 'BlockStatement':
          walkBlock(statement as hbs.AST.BlockStatement, scopes, nesting);
          break;
        case 'PartialStatement':
        case 'PartialBlockStatement':
          report({ kind: 'unsupported', name: 'partials' });
          break;
        case 'DecoratorBlock':
        case 'Decorator':
          report({ kind: 'unsupported', name: 'decorators' });
          break;
        default:
          break; // content and comments
      }
    }
  };

  walkProgram(ast, [{ node: KNOWN_VARIABLES, blockParams: [] }], { blocks: 0, loops: 0, chain: 0 });
  return problems;
}
