import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestContext, type TestContext } from '../support/context';

/**
 * Over a real socket (inject would run the upload and the health check in one call chain): a large
 * import of bad rows — pure parsing, no database waits to pause on — must leave the API answering.
 */
describe('a large import over HTTP', () => {
  let ctx: TestContext;
  let baseUrl: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => ctx.close());

  function upload(rows: number, headers: Record<string, string>): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${baseUrl}/v1/contacts/import`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', reject);
      // Rejected while parsing (gender), so no batch ever waits on the database.
      const chunk = Array.from({ length: 1000 }, (_, i) => `,robot,Customer with a longish name number ${i}\n`).join('');
      let sent = 0;
      const write = () => {
        while (sent < rows) {
          sent += 1000;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        req.end();
      };
      req.write('phone,gender,name\n');
      write();
    });
  }

  async function health(): Promise<number> {
    const started = performance.now();
    const res = await fetch(`${baseUrl}/healthz`);
    expect(res.status).toBe(200);
    await res.text();
    return performance.now() - started;
  }

  it('keeps /healthz answering within a second while it runs, and answers in a few KB', async () => {
    // ~5 MB of bad rows: a hundred times the rejected rows an answer lists, and seconds of pure parsing
    // for /healthz to answer through even on a fast machine.
    const rows = 100_000;
    let done = false;
    const importing = upload(rows, await ctx.auth('ops')).finally(() => (done = true));
    const latencies: number[] = [];
    while (!done) {
      latencies.push(await health());
      await sleep(50);
    }
    const res = await importing;
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ created: 0, updated: 0, rejectedCount: rows, rejectedTruncated: true });
    expect(res.text.length).toBeLessThan(150_000);
    console.info(`import of ${rows} bad rows: ${latencies.length} health checks, slowest ${Math.round(Math.max(...latencies))} ms`);
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...latencies)).toBeLessThan(1000);
  }, 120_000);
});
