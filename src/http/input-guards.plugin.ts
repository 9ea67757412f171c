import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../shared/errors';

/** Deeper than any real payload (contacts nest attributes a level or two); deeper is an attack or a bug. */
export const MAX_JSON_DEPTH = 32;

/**
 * Input no route should ever see: NUL in the URL, and JSON bodies that are too deep (a 5,000-level
 * array would overflow the stack of whatever walks it later) or hold NUL. JSON still goes through
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
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return 'contains a NUL character';
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH} levels`;
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) return 'contains a NUL character';
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}
