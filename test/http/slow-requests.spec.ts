import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { insertContact } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';
import { twilioEnv } from '../webhooks/twilio-webhook-client';

jest.setTimeout(60_000);

/** Short enough to keep the suite quick; the dribblers write every 4 s, as in the attack. */
const REQUEST_TIMEOUT_MS = 5000;
const DRIBBLE_EVERY_MS = 4000;
/** An import's upload gets longer, but not forever. */
const IMPORT_TIMEOUT_MS = 12_000;

interface Ended {
  afterMs: number;
  response: string;
}

/**
 * A raw client: sends `head` (and `body`, if any) at once, then one more byte every `everyMs`
 * (if given) until the server closes the connection.
 */
function rawClient(port: number, head: string, options: { body?: string; everyMs?: number; trickle?: string } = {}): Promise<Ended> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (response += chunk));
    socket.on('error', () => undefined); // a reset is one way of being cut off
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ afterMs: performance.now() - started, response });
    });
    socket.on('connect', () => {
      if (head) socket.write(head + (options.body ?? ''));
      if (options.everyMs) timer = setInterval(() => socket.writable && socket.write(options.trickle ?? 'a'), options.everyMs);
    });
  });
}

/** One chunk of a chunked body. */
const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

const requestHead = (method: string, path: string, headers: Record<string, string | number>) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;

async function timedHealthz(baseUrl: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
  expect(res.status).toBe(200);
  return performance.now() - started;
}

describe('slow and silent clients on a listening server', () => {
  let ctx: TestContext;
  let baseUrl: string;
  let port: number;
  let ops: string;

  beforeAll(async () => {
    ctx = await createTestContext({
      env: { ...twilioEnv, REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), IMPORT_TIMEOUT_MS: String(IMPORT_TIMEOUT_MS), IMPORT_MAX_BYTES: '20000' },
    });
    baseUrl = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(baseUrl).port);
    ops = (await ctx.auth('ops')).authorization;
  });
  afterAll(() => ctx.close());

  it('cuts off twenty connections dribbling a byte every 4 s (and header and idle ones) within the request timeout, /healthz answering throughout', async () => {
    const contact = await insertContact(ctx.db, { email: 'slow@example.com' });
    const unsubscribe = new URL(await ctx.services.unsubscribe.urlFor(contact, contact.email!)).pathname;
    const dribbled = { 'content-length': 1000, 'content-type': 'application/x-www-form-urlencoded' };
    const heads = [
      ...Array.from({ length: 7 }, () => requestHead('POST', '/webhooks/twilio/status', { ...dribbled, 'x-twilio-signature': 'sig' })),
      ...Array.from({ length: 7 }, () => requestHead('POST', unsubscribe, dribbled)),
      ...Array.from({ length: 6 }, () => requestHead('POST', '/v1/contacts', { 'content-length': 1000, 'content-type': 'application/json', authorization: ops })),
    ];
    const bodies = heads.map((head) => rawClient(port, head, { everyMs: DRIBBLE_EVERY_MS }));
    // Slowloris on the headers, and connections that never send a byte.
    const headers = [0, 1].map(() => rawClient(port, 'POST /webhooks/twilio/status HTTP/1.1\r\nHost: x\r\n', { everyMs: 1000, trickle: 'X-A: b\r\n' }));
    const idle = [0, 1].map(() => rawClient(port, ''));
    // An import dribbled the same way lasts until IMPORT_TIMEOUT_MS instead.
    const importHead = requestHead('POST', '/v1/contacts/import', { 'transfer-encoding': 'chunked', 'content-type': 'text/csv', authorization: ops });
    const dribbledImport = rawClient(port, importHead, { body: chunk('externalId,name,phone\n'), everyMs: DRIBBLE_EVERY_MS, trickle: chunk('a') });

    const healthz: number[] = [];
    for (const pause of [1000, 2000, 1500]) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      healthz.push(await timedHealthz(baseUrl));
    }
    const ended = await Promise.all([...bodies, ...headers, ...idle]);

    for (const end of ended) expect(end.afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 10_000);
    for (const end of ended.slice(0, 20)) {
      expect(end.afterMs).toBeGreaterThan(REQUEST_TIMEOUT_MS - 1000); // cut off by the deadline, not refused early
      expect(end.response).toMatch(/^HTTP\/1\.1 408 /);
      expect(end.response).toContain('"code":"request_timeout"');
    }
    for (const end of ended.slice(20, 22)) expect(end.response).toMatch(/^HTTP\/1\.1 408 /);
    for (const end of ended.slice(22)) expect(end.response).toBe('');
    for (const ms of healthz) expect(ms).toBeLessThan(1000);
    expect(await timedHealthz(baseUrl)).toBeLessThan(1000);

    const imported = await dribbledImport;
    expect(imported.afterMs).toBeGreaterThan(IMPORT_TIMEOUT_MS - 1000);
    expect(imported.afterMs).toBeLessThan(IMPORT_TIMEOUT_MS + 10_000);
    expect(imported.response).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers a keyless, unsigned, mistyped or unrouted request announcing 50 MB at once and hangs up, without waiting for the body', async () => {
    const fifty = 50 * 1024 * 1024;
    const cases: Array<[string, number]> = [
      [requestHead('POST', '/v1/contacts', { 'content-length': fifty, 'content-type': 'application/json', authorization: 'Bearer nope' }), 401],
      [requestHead('POST', '/webhooks/twilio/status', { 'content-length': fifty, 'content-type': 'application/json' }), 403],
      [requestHead('POST', '/webhooks/twilio/status', { 'content-length': fifty, 'content-type': 'application/json', 'x-twilio-signature': 's' }), 415],
      [requestHead('POST', '/webhooks/twilio/status', { 'content-length': fifty, 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 's' }), 413],
      [requestHead('POST', '/unsubscribe/bm9wZQ.AAAAAAAAAAAAAAAAAAAAAA', { 'content-length': fifty, 'content-type': 'application/x-www-form-urlencoded' }), 404],
      [requestHead('POST', '/v1/contacts/import', { 'content-length': fifty, 'content-type': 'text/csv', authorization: ops }), 413],
      [requestHead('POST', '/no/such/route', { 'content-length': fifty, 'content-type': 'application/json' }), 404],
    ];
    const ended = await Promise.all(cases.map(([head]) => rawClient(port, head, { body: 'a'.repeat(1024) })));
    ended.forEach((end, i) => {
      expect(end.response).toMatch(new RegExp(`^HTTP/1\\.1 ${cases[i][1]} `));
      expect(end.response.toLowerCase()).toContain('connection: close');
      expect(end.afterMs).toBeLessThan(REQUEST_TIMEOUT_MS - 1000); // closed by the answer, not by the deadline
    });
  });

  it('survives imports whose client breaks off or sends a malformed chunk', async () => {
    const head = requestHead('POST', '/v1/contacts/import', { 'transfer-encoding': 'chunked', 'content-type': 'text/csv', authorization: ops });
    const malformed = await rawClient(port, head, { body: `${chunk('externalId,name,phone\n')}zz\r\nnot a chunk\r\n` });
    expect(malformed.response).toMatch(/^HTTP\/1\.1 400 /);
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`${head}${chunk('externalId,name,phone\n')}`);
        setTimeout(() => socket.destroy(), 20);
      });
      socket.on('close', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await timedHealthz(baseUrl)).toBeLessThan(1000);
  });

  it('keeps ordinary connections alive between requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: string) =>
      new Promise<{ status: number; connection?: string; reused: boolean }>((resolve, reject) => {
        const req = httpRequest(`${baseUrl}${path}`, { method, agent, headers: body ? { authorization: ops, 'content-type': 'application/json' } : { authorization: ops } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      const first = await send('GET', '/healthz');
      const second = await send('POST', '/v1/contacts', JSON.stringify({ name: '常连', phone: '13800138123' }));
      const third = await send('GET', '/v1/contacts?limit=1');
      expect([first.status, second.status, third.status]).toEqual([200, 201, 200]);
      expect([second.connection, third.connection]).toEqual(['keep-alive', 'keep-alive']);
      expect([second.reused, third.reused]).toEqual([true, true]);
    } finally {
      agent.destroy();
    }
  });

  it('gives an import its own, longer deadline: a CSV trickling in for longer than REQUEST_TIMEOUT_MS still imports', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => `slow-${i},慢${i},1390013${String(i).padStart(4, '0')}\n`);
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${baseUrl}/v1/contacts/import`, { method: 'POST', headers: { authorization: ops, 'content-type': 'text/csv' } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write('externalId,name,phone\n');
      let i = 0;
      const timer = setInterval(() => {
        if (i < rows.length) return void req.write(rows[i++]);
        clearInterval(timer);
        req.end();
      }, 1000);
    });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ created: 6, rejected: [] });
  });

  it.each([
    ['text/csv', 'externalId,name,phone\n', (i: number) => `big-${i},N,1370013${String(i % 10_000).padStart(4, '0')}\n`],
    ['application/x-ndjson', '', (i: number) => `${JSON.stringify({ externalId: `nd-${i}`, name: 'N', phone: `1370014${String(i % 10_000).padStart(4, '0')}` })}\n`],
  ])('stops a chunked %s import at IMPORT_MAX_BYTES with 413', async (type, header, row) => {
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${baseUrl}/v1/contacts/import`, { method: 'POST', headers: { authorization: ops, 'content-type': type } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write(header);
      for (let i = 0; i < 2000; i++) req.write(row(i)); // 50 KB or more, chunked (no content-length)
      req.end();
    });
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error.code).toBe('payload_too_large');
  });
});
