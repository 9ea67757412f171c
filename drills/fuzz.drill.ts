import { createBenchEnv } from '../bench/support/bench-env';
import { buildApp } from '../src/app';
import type { DrillResult, Scale } from './support/drill';
import { encodeLoosely, fuzzBody, fuzzSegment, nastyValue, pick } from './support/fuzz-inputs';

interface RouteSpec {
  method: string;
  path: string;
  fields: string[];
}

/** Every documented route (from the OpenAPI document) plus the hidden public pages. */
function routesOf(spec: { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>> }): RouteSpec[] {
  const routes: RouteSpec[] = [];
  for (const [path, operations] of Object.entries(spec.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      const schema = Object.values(operation.requestBody?.content ?? {})[0]?.schema;
      routes.push({ method: method.toUpperCase(), path, fields: Object.keys(schema?.properties ?? {}) });
    }
  }
  routes.push({ method: 'GET', path: '/unsubscribe/{token}', fields: [] }, { method: 'POST', path: '/unsubscribe/{token}', fields: [] });
  return routes;
}

/**
 * Drill 5 — 10,000 fuzzed requests (wrong types, huge strings, bad UTF-8, deep JSON, missing
 * fields, wrong content types, broken path segments and query strings) spread over every route,
 * mostly with a valid admin key so they reach validation: zero 5xx, heap stable.
 */
export async function fuzzDrill(scale: Scale): Promise<DrillResult> {
  const total = scale === 'small' ? 2_000 : 10_000;
  // Every request comes from one address: without a higher budget for keyless ones, the 15 % sent
  // without a valid key would get that address 429 for everything within the first minute.
  const env = await createBenchEnv({ env: { TWILIO_AUTH_TOKEN: 'drill-token-0123456789', LOG_LEVEL: 'silent', UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '1000000' } });
  const app = await buildApp({ ...env, pingDatabase: env.database.ping });
  try {
    await app.ready();
    const routes = routesOf(app.swagger() as never);
    const { key } = await env.services.auth.create({ name: 'fuzz', role: 'admin' });
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let heapAtWarmup = 0;
    for (let i = 0; i < total; i++) {
      if (i === Math.floor(total / 5)) {
        global.gc?.();
        heapAtWarmup = process.memoryUsage().heapUsed;
      }
      const route = pick(routes);
      const url = route.path.replace(/\{[^}]+\}/g, () => fuzzSegment())
        + (Math.random() < 0.5 ? `?${pick(['limit', 'cursor', 'status', 'q', 'days', 'tag', 'from'])}=${encodeLoosely(String(nastyValue()).slice(0, 2000))}` : '');
      const body = route.method === 'GET' || route.method === 'DELETE' ? { payload: undefined, contentType: undefined } : fuzzBody(route.fields);
      const headers: Record<string, string> = {};
      const auth = Math.random();
      if (auth < 0.85) headers.authorization = `Bearer ${key}`;
      else if (auth < 0.95) headers.authorization = `Bearer ${'x'.repeat(Math.floor(Math.random() * 300))}`;
      if (body.contentType) headers['content-type'] = body.contentType;
      if (Math.random() < 0.05) headers['x-twilio-signature'] = String(nastyValue()).slice(0, 500);
      if (Math.random() < 0.05) headers['idempotency-key'] = String(nastyValue()).slice(0, 1000);
      const response = await app.inject({ method: route.method as 'GET', url, headers, payload: body.payload });
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      if (response.statusCode >= 500 && failures.length < 5) failures.push(`${route.method} ${url.slice(0, 160)} [${body.contentType}; headers ${Object.keys(headers).join(',')}; idem ${String(headers['idempotency-key']).slice(0, 40)}; body ${String(body.payload).slice(0, 80)}] → ${response.statusCode} ${response.body.slice(0, 200)}`);
    }
    global.gc?.();
    const heapAtEnd = process.memoryUsage().heapUsed;
    const growthMiB = (heapAtEnd - heapAtWarmup) / 2 ** 20;
    const fiveXx = [...statuses].filter(([code]) => code >= 500).reduce((sum, [, n]) => sum + n, 0);
    const byCode = [...statuses].sort(([a], [b]) => a - b).map(([code, n]) => `${code}×${n}`).join(' ');
    return {
      name: 'fuzzed requests against every route',
      pass: fiveXx === 0 && growthMiB < 32,
      detail: `${total} requests over ${routes.length} routes; 5xx ${fiveXx}; ${byCode}; heap ${(heapAtWarmup / 2 ** 20).toFixed(0)} → ${(heapAtEnd / 2 ** 20).toFixed(0)} MiB after warm-up`,
      note: failures.length ? `first 5xx: ${failures.join(' | ')}` : undefined,
    };
  } finally {
    await app.close();
    await env.close();
  }
}
