import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../shared/errors';

/** Deeper than any real payload (contacts nest attributes a level or two); deeper is an attack or a bug. */
export const MAX_JSON_DEPTH = 32;
/**
 * Values (objects, arrays, strings, numbers…) one JSON body may hold. A contact, campaign or
 * preview is a few hundred; a 1 MiB body of `[0,0,…]` would be half a million for every route
 * to walk. A JSON-array import fits 10,000 small contacts; bigger imports stream as CSV or NDJSON.
 */
export const MAX_JSON_NODES = 100_000;

/**
 * Input no route should ever see: NUL in the URL, and JSON bodies that are too deep (a 5,000-level
 * array would overflow the stack of whatever walks it later), too many values, or hold NUL. JSON still goes through
 * Fastify's own parser first, prototype-poisoning checks included.
 */
export function registerInputGuards(app: FastifyInstance): void {
  // PostgreSQL text cannot hold NUL: refuse it in the path and query before any route sees it.
  app.addHook('onRequest', async (request) => {
    if (/%00|\u0000/i.test(request.url)) throw ValidationError.field('url', 'contains a NUL character');
  });

  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      const problem = inspect(value);
      if (problem) return done(ValidationError.field('body', problem), undefined);
      done(null, value);
    });
  });
}

/**
 * Iterative, so inspecting a hostile document cannot itself overflow the stack. Also refuses NUL
 * characters, which PostgreSQL text cannot hold (they would surface as a 500 on insert).
 */
function inspect(root: unknown): string | undefined {
  const stack: Array<[unknown, number]> = [[root, 1]];
  let nodes = 0;
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (++nodes > MAX_JSON_NODES) return `holds more than ${MAX_JSON_NODES} values`;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return 'contains a NUL character';
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH} levels`;
    // Counted before anything is pushed: one flat array or object must not fill the stack first.
    const children = Array.isArray(value) ? value : Object.keys(value);
    if (nodes + stack.length + children.length > MAX_JSON_NODES) return `holds more than ${MAX_JSON_NODES} values`;
    if (Array.isArray(value)) {
      for (const child of value) stack.push([child, depth + 1]);
      continue;
    }
    for (const key of children as string[]) {
      if (key.includes('\u0000')) return 'contains a NUL character';
      stack.push([(value as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return undefined;
}
