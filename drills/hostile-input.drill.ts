import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { deleteQueueKeys } from '../test/support/context';
import { createRedis } from '../src/queue/queues';
import { TEST_REDIS_URL } from '../test/support/test-env';
import { zipOf } from '../test/support/zip';
import { XLSX_TYPE } from '../src/modules/contacts/import-xlsx';
import type { DrillResult, Scale } from './support/drill';
import { until } from './support/drill';
import { dribble, HealthWatch, repeated, send, type HostileAnswer } from './support/hostile-client';
import { WorkerProcess } from './support/worker-process';

/** The service's heap is capped like a small deployment's; its RSS (PGlite included) must stay under this. */
const HEAP_MIB = 512;
const RSS_CEILING_MIB = 1024;
const HEALTH_BOUND_MS = 1_000;
const REQUEST_TIMEOUT_MS = 5_000;

/** A one-sheet workbook of `rows` rows under a 姓名/手机 header, as Excel would send it. */
async function xlsxOf(rows: number, row: (i: number) => string[]): Promise<Buffer> {
  const { default: excel } = await import('exceljs');
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: false });
  const sheet = workbook.addWorksheet('客户');
  sheet.addRow(['姓名', '手机']).commit();
  for (let i = 0; i < rows; i++) sheet.addRow(row(i)).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

interface Attack {
  name: string;
  /** Answers what happened, and whether that is the bound the hardening promises. */
  run(): Promise<{ ok: boolean; saw: string }>;
}

const is = (answer: HostileAnswer, ...statuses: number[]) => statuses.includes(answer.status);
const shown = (answer: HostileAnswer) => `${answer.status || 'closed'} in ${answer.ms} ms`;

/**
 * Drill 7 — issue 11's attacks replayed against a running service (`node dist/src/main.js all` on the
 * embedded default, heap capped at 512 MiB) over real sockets, while `/healthz` is asked every 100 ms:
 * no crash, `/healthz` always within 1 s, RSS under the ceiling, and the expected 4xx for each attack.
 */
export async function hostileInputDrill(scale: Scale): Promise<DrillResult> {
  const mb = (n: number) => (scale === 'small' ? Math.ceil(n / 4) : n);
  const ndjsonMb = scale === 'small' ? 1 : 9;
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-if-stale.js')], { stdio: 'ignore' });
  const dataDir = mkdtempSync(join(tmpdir(), 'carebeat-hostile-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const base = `http://127.0.0.1:${port}`;
  const adminKey = `cb_drill_${randomBytes(16).toString('hex')}`;
  const prefix = `hostile-${randomBytes(4).toString('hex')}`;
  const env = {
    DATA_DIR: dataDir, PORT: String(port), QUEUE_PREFIX: prefix, REDIS_URL: TEST_REDIS_URL, ADMIN_API_KEY: adminKey,
    LOG_LEVEL: 'warn', QUIET_HOURS: 'off', TWILIO_AUTH_TOKEN: 'drill-token-0123456789', REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  };
  const service = new WorkerProcess(env, 'all', { main: join(__dirname, '..', '..', 'dist', 'src', 'main.js'), nodeArgs: [`--max-old-space-size=${HEAP_MIB}`] });
  service.start();
  const watch = new HealthWatch(base, service.pid!);
  const results: string[] = [];
  let failed = 0;
  try {
    const up = await until(() => fetch(`${base}/readyz`).then((r) => r.ok, () => false), 120_000, 500);
    if (!up) return { name: 'hostile input against a running service', pass: false, detail: 'the service did not start', note: service.output.join('').slice(-2000) };
    watch.start();
    const admin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    const json = (method: string, path: string, body?: object, headers: Record<string, string> = admin) =>
      send(base, method, path, headers, body === undefined ? undefined : [JSON.stringify(body)]);

    const attacks: Attack[] = [
      {
        name: `${mb(50)} MB JSON, unsigned, to the Twilio status webhook`,
        run: async () => {
          const a = await send(base, 'POST', '/webhooks/twilio/status', { 'content-type': 'application/json' },
            repeated('{"a":"', () => 'x'.repeat(1024), mb(50) * 1024, '"}'));
          return { ok: is(a, 403, 413, 415, 0), saw: shown(a) }; // 403: refused for its missing signature before the body is read
        },
      },
      {
        name: `${mb(24)} MB form with millions of fields to the inbound webhook`,
        run: async () => {
          const a = await send(base, 'POST', '/webhooks/twilio/inbound', { 'content-type': 'application/x-www-form-urlencoded' },
            repeated('', (i) => `f${i}=1&`, mb(24) * 100_000, 'x=1'));
          return { ok: is(a, 403, 413, 0), saw: shown(a) };
        },
      },
      {
        name: `${mb(24)} MB JSON with millions of keys to POST /unsubscribe/:token`,
        run: async () => {
          const a = await send(base, 'POST', '/unsubscribe/not-a-token', { 'content-type': 'application/json' },
            repeated('{', (i) => `"k${i}":1,`, mb(24) * 100_000, '"z":1}'));
          return { ok: is(a, 404, 413, 415, 0), saw: shown(a) };
        },
      },
      {
        name: '20 connections that dribble one byte every 4 s',
        run: async () => {
          const held = await dribble(port, '/webhooks/twilio/inbound', 20, 4_000, 60_000);
          const longest = Math.max(...held);
          return { ok: longest <= REQUEST_TIMEOUT_MS * 3, saw: `longest held ${longest} ms (request timeout ${REQUEST_TIMEOUT_MS} ms)` };
        },
      },
      {
        // Sized to stay under IMPORT_MAX_BYTES (50 MiB) at full scale — 40,000 rows per MB made 66 MB,
        // which is the 413 case, not this one: about 33 bytes a row, 1.4 M rows, 46 MB.
        name: `${mb(46)} MB CSV of invalid rows`,
        run: async () => {
          const rows = mb(50) * 28_000;
          const a = await send(base, 'POST', '/v1/contacts/import', { authorization: admin.authorization, 'content-type': 'text/csv' },
            repeated('name,phone\n', (i) => `客户${i},not-a-phone-number\n`, rows, ''));
          const body = a.status === 200 ? JSON.parse(a.body) : {};
          return {
            ok: a.status === 200 && a.body.length < 300_000 && body.rejectedCount === rows && body.rejected.length <= 1000,
            saw: `${shown(a)}, ${a.body.length} bytes, rejectedCount ${body.rejectedCount}, listed ${body.rejected?.length}`,
          };
        },
      },
      {
        // 350,000 empty rows a MB; each is validated and rejected, so this is the drill's slowest line
        // (35-55 s for 3 MB on the CI box): at small scale 1 MB shows the same bound.
        name: `${ndjsonMb} MB of {} NDJSON rows`,
        run: async () => {
          const a = await send(base, 'POST', '/v1/contacts/import', { authorization: admin.authorization, 'content-type': 'application/x-ndjson' },
            repeated('', () => '{}\n', ndjsonMb * 350_000, ''));
          return { ok: a.status === 200 && a.body.length < 300_000, saw: `${shown(a)}, ${a.body.length} bytes` };
        },
      },
      {
        // A zip bomb that lies in its central directory: refused on the bytes it really inflates to.
        name: 'an XLSX zip bomb (80 MiB inflated from ~80 kB, sizes declared 1 kB) to the import and its preview',
        run: async () => {
          const bomb = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(80 * 1024 * 1024, 0x20), declaredSize: 1024 }]);
          const headers = { authorization: admin.authorization, 'content-type': XLSX_TYPE };
          const answers = [await send(base, 'POST', '/v1/contacts/import', headers, [bomb]), await send(base, 'POST', '/v1/contacts/import/preview', headers, [bomb])];
          return { ok: answers.every((a) => is(a, 413)), saw: answers.map(shown).join(', ') };
        },
      },
      {
        name: `an XLSX of ${mb(300_000)} rows of invalid phones`,
        run: async () => {
          const rows = mb(300_000);
          const file = await xlsxOf(rows, (i) => [`客户${i}`, 'not-a-phone-number']);
          const a = await send(base, 'POST', '/v1/contacts/import', { authorization: admin.authorization, 'content-type': XLSX_TYPE }, [file]);
          const body = a.status === 200 ? JSON.parse(a.body) : {};
          return {
            ok: a.status === 200 && a.body.length < 300_000 && body.rejectedCount === rows,
            saw: `${(file.length / 1e6).toFixed(1)} MB file: ${shown(a)}, ${a.body.length} bytes, rejectedCount ${body.rejectedCount}`,
          };
        },
      },
      {
        name: `${mb(46)} MB CSV to the import preview (it reads five rows)`,
        run: async () => {
          const a = await send(base, 'POST', '/v1/contacts/import/preview', { authorization: admin.authorization, 'content-type': 'text/csv' },
            repeated('name,phone\n', (i) => `客户${i},not-a-phone-number\n`, mb(50) * 28_000, ''));
          return { ok: a.status === 200 && a.body.length < 10_000, saw: `${shown(a)}, ${a.body.length} bytes` };
        },
      },
      {
        name: 'four nested {{#each}} over 100 tags, saved and previewed',
        run: async () => {
          const body = '{{#each contact.tags}}{{#each ../contact.tags}}{{#each ../../contact.tags}}{{#each ../../../contact.tags}}x{{/each}}{{/each}}{{/each}}{{/each}}';
          const saved = await json('POST', '/v1/templates', { key: 'hostile-each', channel: 'sms', locale: 'zh-CN', body });
          const tags = Array.from({ length: 100 }, (_, i) => `t${i}`);
          const preview = await json('POST', '/v1/templates/preview', { body, channel: 'sms', data: { contact: { name: 'x', tags } } });
          return { ok: is(saved, 422) && is(preview, 422) && preview.ms < 5_000, saw: `save ${shown(saved)}, preview ${shown(preview)}` };
        },
      },
      {
        name: 'date patterns and locales the formatter rejects',
        run: async () => {
          const bodies = ['{{formatDate holiday.date "YYYY"}}', '{{formatDate holiday.date "j"}}', '{{formatDate holiday.date contact.name}}', '{{formatDate holiday.date "yyyy" "en-a1"}}'];
          const answers = await Promise.all(bodies.map((body, i) => json('POST', '/v1/templates', { key: `hostile-date-${i}`, channel: 'sms', locale: 'en', body })));
          return { ok: answers.every((a) => is(a, 422)), saw: answers.map((a) => a.status).join(' ') };
        },
      },
      {
        name: 'javascript: URLs fed by data into an e-mail',
        run: async () => {
          const html = '<a href="{{contact.attributes.site}}">site</a> {{{contact.name}}}';
          const saved = await json('POST', '/v1/templates', { key: 'hostile-href', channel: 'email', locale: 'en', subject: 'hi', body: 'hi', html });
          const preview = await json('POST', '/v1/templates/preview', {
            body: 'hi', channel: 'email', data: { contact: { name: '<script>x</script>', attributes: { site: 'javascript:alert(1)' } } },
          });
          const leaked = /javascript:/i.test(preview.body) || /<script>/i.test(preview.body);
          return { ok: is(saved, 201, 422) && is(preview, 200, 422) && !leaked, saw: `save ${saved.status}, preview ${preview.status}, leaked ${leaked}` };
        },
      },
      {
        name: 'one Idempotency-Key on /v1/contacts, /%761/contacts and /v%31/contacts with different bodies',
        run: async () => {
          const key = `hostile-${randomBytes(6).toString('hex')}`;
          const answers = [];
          for (const [i, path] of ['/v1/contacts', '/%761/contacts', '/v%31/contacts'].entries()) {
            answers.push(await json('POST', path, { name: `重放${i}`, phone: `+861380013${String(8100 + i)}` }, { ...admin, 'idempotency-key': key }));
          }
          const created = answers.filter((a) => a.status === 201).length;
          return { ok: created === 1 && answers.slice(1).every((a) => is(a, 404, 422)), saw: answers.map((a) => a.status).join(' ') };
        },
      },
      {
        name: 'malformed cursors on messages, campaigns and segments',
        run: async () => {
          const answers = await Promise.all(['/v1/messages', '/v1/campaigns', '/v1/segments'].map((path) =>
            json('GET', `${path}?cursor=${encodeURIComponent('%%not-base64{')}`)));
          return { ok: answers.every((a) => is(a, 400)), saw: answers.map((a) => a.status).join(' ') };
        },
      },
      {
        name: 'a cross-site form post to the queue dashboard with the admin signed in',
        run: async () => {
          const basic = `Basic ${Buffer.from(`admin:${adminKey}`).toString('base64')}`;
          const a = await send(base, 'PUT', '/admin/queues/api/queues/pause', {
            authorization: basic, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded',
          }, ['x=1']);
          return { ok: is(a, 403), saw: shown(a) };
        },
      },
      {
        name: 'a recurring promo every second, created and estimated',
        run: async () => {
          const draft = {
            name: 'every second', kind: 'promo', sendAt: new Date(Date.now() + 3600_000).toISOString(), filter: {},
            templateKey: 'promo', channels: ['sms'], recurrence: '* * * * * *',
          };
          // Refused alike when saved and when only estimated (the console's wizard asks before it creates).
          const a = await json('POST', '/v1/campaigns', draft);
          const estimate = await json('POST', '/v1/campaigns/estimate', draft);
          return { ok: is(a, 400) && is(estimate, 400), saw: `create ${shown(a)}, estimate ${shown(estimate)}` };
        },
      },
      // Last: past the keyless budget, every request from this address waits for the next minute, valid keys too.
      {
        name: '600 requests with a wrong key from one address',
        run: async () => {
          const answers = await Promise.all(Array.from({ length: 600 }, () =>
            send(base, 'GET', '/v1/contacts', { authorization: 'Bearer wrong-key' })));
          const limited = answers.filter((a) => a.status === 429).length;
          return { ok: limited > 0 && answers.every((a) => is(a, 401, 429)), saw: `${limited} of 600 got 429, the rest 401` };
        },
      },
    ];

    for (const attack of attacks) {
      const outcome = await attack.run().catch((error: Error) => ({ ok: false, saw: `threw ${error.message}` }));
      if (!outcome.ok) failed++;
      results.push(`${outcome.ok ? 'ok' : 'FAILED'} ${attack.name}: ${outcome.saw} (peak RSS so far ${Math.round(watch.peakRssMiB)} MiB)`);
      if (!service.running) {
        failed++;
        results.push(`the service died after "${attack.name}"`);
        break;
      }
    }
  } finally {
    await watch.stop();
    await service.stop();
    const redis = createRedis(TEST_REDIS_URL);
    await deleteQueueKeys(redis, prefix).catch(() => undefined);
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const healthOk = watch.failures === 0 && watch.slowestMs < HEALTH_BOUND_MS;
  const memoryOk = watch.peakRssMiB < RSS_CEILING_MIB;
  return {
    name: 'hostile input against a running service',
    pass: failed === 0 && healthOk && memoryOk,
    detail: `${results.length - failed} of ${results.length} attacks bounded; /healthz ${watch.probes} probes, slowest ${watch.slowestMs} ms `
      + `(bound ${HEALTH_BOUND_MS}), ${watch.failures} failed; peak RSS ${Math.round(watch.peakRssMiB)} MiB (ceiling ${RSS_CEILING_MIB}, heap cap ${HEAP_MIB})`,
    note: results.join('\n     '),
  };
}
