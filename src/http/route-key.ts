import type { FastifyRequest } from 'fastify';

/**
 * The path a request matched, rebuilt from its route pattern and parsed parameters: one spelling
 * per resource. The raw URL has many (`/%761/contacts`, `/v%31/contacts`, `/v1/contacts?x` all
 * reach `/v1/contacts`), so anything that identifies or counts requests by path uses this.
 * Undefined when no route matched.
 */
export function routePath(request: FastifyRequest): string | undefined {
  const pattern = request.routeOptions.url;
  if (pattern === undefined) return undefined;
  const params = (request.params ?? {}) as Record<string, unknown>;
  return pattern.replace(/:([A-Za-z0-9_]+)|\*$/g, (_whole, name: string | undefined) =>
    encodeURIComponent(String(params[name ?? '*'] ?? '')));
}
