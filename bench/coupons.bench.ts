import { createWriteStream, createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { copyCsv } from './support/bare-baselines';
import { authHeaders, createBenchEnv, envInt, fmt, listen, machineLine, runBench } from './support/bench-env';

/**
 * Bench — coupon codes (issue 17): generating N codes into a batch (`POST /v1/coupon-batches`
 * with `generate`), and importing N codes as a CSV streamed over HTTP (`POST /v1/coupon-batches/:id/codes`),
 * each at a tenth and at the whole size, with seconds and the process's peak RSS (flat in N). The
 * baselines, same run: for generation a bare `INSERT … SELECT` of N random codes into a bare table
 * with a unique index, for import a `COPY` of the same CSV into a bare table (code primary key).
 */
function* csvLines(rows: number, offset: number): Generator<string> {
  yield 'code\n';
  let batch = '';
  for (let i = 1; i <= rows; i++) {
    batch += `IMP${String(offset + i).padStart(9, '0')}\n`;
    if (i % 5000 === 0) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

async function timed<T>(work: () => Promise<T>) {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRss };
  } finally {
    clearInterval(sampler);
  }
}

function send(url: string, headers: Record<string, string>, body: { json: unknown } | { file: string }): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const type = 'json' in body ? 'application/json' : 'text/csv';
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-type': type } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () =>
        ((res.statusCode ?? 500) < 300 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode}: ${text.slice(0, 500)}`))));
    });
    req.on('error', reject);
    if ('json' in body) req.end(JSON.stringify(body.json));
    else pipeline(createReadStream(body.file), req).catch(reject);
  });
}

async function main(): Promise<void> {
  const rows = envInt('BENCH_COUPON_CODES', 1_000_000);
  const small = Math.max(1, Math.floor(rows / 10));
  const dir = await mkdtemp(join(tmpdir(), 'carebeat-coupon-bench-'));
  const env = await createBenchEnv();
  const server = await listen(env);
  try {
    const smallFile = join(dir, 'small.csv');
    const largeFile = join(dir, 'large.csv');
    await pipeline(Readable.from(csvLines(small, 0)), createWriteStream(smallFile));
    await pipeline(Readable.from(csvLines(rows, 100_000_000)), createWriteStream(largeFile));
    const headers = await authHeaders(env, 'marketer');
    const batches = `${server.baseUrl}/v1/coupon-batches`;
    global.gc?.();
    const startRss = process.memoryUsage().rss;

    const generate = async (count: number) => timed(() => send(batches, headers, { json: { name: `gen ${count}`, value: 10, generate: { count } } }));
    const importFile = async (file: string) => timed(async () => {
      const batch = await send(batches, headers, { json: { name: `import ${file}`, value: 10 } });
      return send(`${batches}/${String(batch.id)}/codes`, headers, { file });
    });
    const genSmall = await generate(small);
    const genLarge = await generate(rows);
    const impSmall = await importFile(smallFile);
    const impLarge = await importFile(largeFile);

    // Baselines: the same number of codes, with none of Carebeat's work (no chunking, no duplicate report).
    await env.db.execute(sql`create table bench_bare_codes (code text not null, batch_id uuid not null)`);
    await env.db.execute(sql`create unique index on bench_bare_codes (code)`);
    const bareGen = await timed(() => env.db.execute(sql`
      insert into bench_bare_codes (code, batch_id)
      select upper(substr(md5(random()::text || g::text), 1, 10)) || g::text, gen_random_uuid() from generate_series(1, ${rows}) g`));
    await env.db.execute(sql`drop table bench_bare_codes`);
    const bareCopy = await copyCsv(env.db, largeFile, ['code']);

    const mib = (bytes: number) => fmt(bytes / 2 ** 20, 0);
    const line = (label: string, n: number, run: { seconds: number; peakRss: number; result: Record<string, unknown> }) => {
      const stats = run.result.stats as { total: number };
      console.log(`  ${label}: ${fmt(n)} codes (batch total ${fmt(stats.total)}) in ${fmt(run.seconds, 2)} s → ${fmt(n / run.seconds)} codes/s; peak RSS ${mib(run.peakRss)} MiB (start ${mib(startRss)} MiB)`);
    };
    console.log(`[bench coupons] ${machineLine()}`);
    line('generate 1/10', small, genSmall);
    line('generate whole', rows, genLarge);
    line('import CSV 1/10', small, impSmall);
    line('import CSV whole', rows, impLarge);
    console.log(`  baseline, bare INSERT … SELECT of ${fmt(rows)} random codes into a table with a unique index: ${fmt(bareGen.seconds, 2)} s → ${fmt(rows / bareGen.seconds)} codes/s`);
    console.log(`  baseline, COPY of the same CSV into a bare table (code primary key): ${fmt(bareCopy.rows)} rows in ${fmt(bareCopy.seconds, 2)} s → ${fmt(bareCopy.rows / bareCopy.seconds)} rows/s`);
    console.log(`  ratio: generate ${fmt((bareGen.seconds / genLarge.seconds) * 100, 1)} % of the bare insert's speed; import ${fmt((bareCopy.seconds / impLarge.seconds) * 100, 1)} % of COPY's`);
    console.log('  target: seconds, and peak RSS the same for 1/10 and the whole (memory flat in N)');
  } finally {
    await server.close();
    await env.close();
    await rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
