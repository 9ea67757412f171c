import { KNOWN_VARIABLES, type VariableSchema } from '../template-variables';

type Node = hbs.AST.Node;
type Expression = hbs.AST.Expression;

/** What a template references that the schema does not know. */
export interface TemplateProblem {
  kind: 'unknown_variable' | 'unknown_helper' | 'unsupported';
  /** The variable or helper as written in the template, e.g. `contact.nmae`. */
  name: string;
}

/** A scope is a part of the schema (`with contact`), or anything (`each contact.tags`). */
type Scope = { node: VariableSchema | '*'; blockParams: string[] };

const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);
const LOOP_DATA = new Set(['index', 'key', 'first', 'last']);

/**
 * Walks a parsed template and reports every path outside the known variable schema and every
 * helper we do not register. Static, so a typo fails at save time and not on a birthday morning.
 */
export function inspectTemplate(ast: hbs.AST.Program, helpers: ReadonlySet<string>): TemplateProblem[] {
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

  const checkCall = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression, scopes: Scope[]): void => {
    const path = node.path as hbs.AST.PathExpression;
    const isCall = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || node.type === 'SubExpression';
    const helperName = path.type === 'PathExpression' && path.parts.length === 1 && !path.data && path.depth === 0 ? path.parts[0] : undefined;
    if (helperName && helpers.has(helperName)) {
      // fall through to the arguments
    } else if (isCall) {
      report({ kind: 'unknown_helper', name: path.original ?? String(path) });
    } else if (path.type === 'PathExpression') {
      checkPath(path, scopes);
    }
    node.params.forEach((param) => walkExpression(param, scopes));
    node.hash?.pairs.forEach((pair) => walkExpression(pair.value, scopes));
  };

  const walkExpression = (expr: Expression, scopes: Scope[]): void => {
    if (expr.type === 'PathExpression') checkPath(expr as hbs.AST.PathExpression, scopes);
    else if (expr.type === 'SubExpression') checkCall(expr as hbs.AST.SubExpression, scopes);
  };

  const walkBlock = (block: hbs.AST.BlockStatement, scopes: Scope[]): void => {
    const name = (block.path as hbs.AST.PathExpression).original;
    if (!BLOCK_HELPERS.has(name)) report({ kind: 'unknown_helper', name });
    block.params.forEach((param) => walkExpression(param, scopes));
    block.hash?.pairs.forEach((pair) => walkExpression(pair.value, scopes));
    const blockParams = block.program?.blockParams ?? [];
    let inner: Scope[] = scopes;
    if (name === 'each') inner = [...scopes, { node: '*', blockParams }];
    else if (name === 'with') inner = [...scopes, { node: blockParams.length ? scopes[scopes.length - 1].node : resolveScope(block.params[0], scopes), blockParams }];
    if (block.program) walkProgram(block.program, inner);
    if (block.inverse) walkProgram(block.inverse, scopes);
  };

  const walkProgram = (program: hbs.AST.Program, scopes: Scope[]): void => {
    for (const statement of program.body as Node[]) {
      switch (statement.type) {
        case 'MustacheStatement':
          checkCall(statement as hbs.AST.MustacheStatement, scopes);
          break;
        case 'BlockStatement':
          walkBlock(statement as hbs.AST.BlockStatement, scopes);
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

  walkProgram(ast, [{ node: KNOWN_VARIABLES, blockParams: [] }]);
  return problems;
}
