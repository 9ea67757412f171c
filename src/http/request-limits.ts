import type { Socket } from 'node:net';
import type { ServerOptions } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config';

/** Bodies anyone may send without a key (webhooks, unsubscribe, survey pages) only ever hold a few fields. */
export const PUBLIC_BODY_LIMIT_BYTES = 64 * 1024;

/** How often Node looks for requests past their header or request timeout (its default is 30 s). */
const TIMEOUT_CHECK_MS = 1000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Time this route's body may take to arrive, instead of REQUEST_TIMEOUT_MS (a streamed import's is read at the pace it is written). */
    bodyTimeoutMs?: number;
  }
}

type LimitsConfig = Pick<Config, 'BODY_LIMIT_BYTES' | 'REQUEST_TIMEOUT_MS' | 'IMPORT_TIMEOUT_MS' | 'TRUST_PROXY'>;

/**
 * The server-level bounds. Node can only time a whole request, and it cannot tell an import
 * (whose body arrives as fast as its rows are written, minutes for a big file) from a client
 * dribbling a byte at a time; so Node's own request timeout is only the backstop, and
 * `registerRequestDeadlines` gives each route its body deadline.
 */
export function serverLimits(config: LimitsConfig) {
  const backstop = config.REQUEST_TIMEOUT_MS + Math.max(config.REQUEST_TIMEOUT_MS, config.IMPORT_TIMEOUT_MS);
  const hops = config.TRUST_PROXY;
  return {
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: backstop,
    http: { headersTimeout: config.REQUEST_TIMEOUT_MS, requestTimeout: backstop, connectionsCheckingInterval: TIMEOUT_CHECK_MS } satisfies ServerOptions,
    trustProxy: typeof hops === 'number' ? (_address: string, hop: number) => hop < hops : hops,
  };
}

const DEADLINE = Symbol('bodyDeadline');

/** A body that did not arrive in time; the error handler answers it in API.md's shape. */
class RequestTimeoutError extends Error {
  readonly statusCode = 408;
  readonly code = 'FST_ERR_REQUEST_TIMEOUT';
  constructor(ms: number) {
    super(`the request body did not arrive within ${ms} ms`);
  }
}

/**
 * Slow or silent clients are cut off instead of holding a connection (and a parser) open:
 * - a new connection that sends nothing is closed after REQUEST_TIMEOUT_MS (Node's header timeout
 *   only starts at the first byte);
 * - a body gets REQUEST_TIMEOUT_MS (or its route's `bodyTimeoutMs`) from the end of the headers:
 *   while it is being parsed the parse fails with 408, otherwise the connection is closed;
 * - an answer sent before the body was read (401, 403, 404, 413, 415…) closes the connection, so
 *   Node does not keep reading the rest of a body nobody wants;
 * - an unknown route answers 404 without reading its body.
 */
export function registerRequestDeadlines(app: FastifyInstance, config: Pick<Config, 'REQUEST_TIMEOUT_MS'>): void {
  app.server.on('connection', (socket: Socket) => socket.setTimeout(config.REQUEST_TIMEOUT_MS));

  app.addHook('onRequest', async (request, reply) => {
    const raw = request.raw;
    // From the first request on, Node's own keep-alive timing applies (it clears only its own timeout).
    if (typeof raw.socket?.setTimeout === 'function') raw.socket.setTimeout(0);
    if (!hasBody(request)) return;
    if (request.is404) {
      return reply.code(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}`, details: [] } });
    }
    if (bodyRead(request)) return;
    const ms = request.routeOptions.config?.bodyTimeoutMs ?? config.REQUEST_TIMEOUT_MS;
    const deadline = setTimeout(() => expire(request, reply, ms), ms).unref();
    (request as unknown as Record<symbol, NodeJS.Timeout>)[DEADLINE] = deadline;
    raw.once('close', () => clearTimeout(deadline));
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (hasBody(request) && !bodyRead(request)) reply.header('connection', 'close');
    return payload;
  });

  app.addHook('onResponse', async (request) => {
    clearTimeout((request as unknown as Record<symbol, NodeJS.Timeout | undefined>)[DEADLINE]);
  });
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Every byte of the body has arrived (`complete` on a socket; `readableEnded` under `inject`). */
function bodyRead(request: FastifyRequest): boolean {
  return request.raw.complete === true || request.raw.readableEnded;
}

function expire(request: FastifyRequest, reply: FastifyReply, ms: number): void {
  if (bodyRead(request)) return;
  const raw = request.raw;
  request.log.warn({ ms }, 'request body too slow: cut off');
  // Whatever is reading the body (Fastify's body reader, an import's stream) listens for the
  // request's errors: failing it there fails the parse, and the error handler answers 408.
  // Nobody listening means nobody is reading: the connection just goes.
  if (!reply.sent && raw.listenerCount('error') > 0) raw.emit('error', new RequestTimeoutError(ms));
  else if (typeof raw.socket?.destroy === 'function') raw.socket.destroy();
}
