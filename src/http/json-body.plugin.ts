import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../shared/errors';

/** Deeper than any real payload (contacts nest attributes a level or two); deeper is an attack or a bug. */
export const MAX_JSON_DEPTH = 32;

/**
 * JSON bodies through Fastify's own parser (prototype-poisoning checks included), then a depth
 * limit: a 5,000-level array would otherwise overflow the stack of whatever walks it later.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      if (depthOf(value) > MAX_JSON_DEPTH) return done(ValidationError.field('body', `nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      done(null, value);
    });
  });
}

/** Iterative, so measuring a hostile document cannot itself overflow the stack. */
function depthOf(root: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}
