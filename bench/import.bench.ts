import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { copyCsv } from './support/bare-baselines';
import { authHeaders, createBenchEnv, envInt, fmt, listen, machineLine, runBench } from './support/bench-env';

/**
 * Bench 4 — `POST /v1/contacts/import` with a generated CSV streamed over HTTP (chunked, never in
 * memory on either side): rows/s and the process's peak RSS, for a tenth of the file and the whole
 * file, to show memory stays flat as the file grows. The files are written to a temp directory
 * before the clock starts, so generating them does not compete with the server for its one thread;
 * uploading them still goes through the real route over a real socket. The baseline, same run: the
 * whole file `COPY`ed into a bare table through the same pool (needs pg-copy-streams, a bench-only package).
 */
const CSV_COLUMNS = ['externalId', 'name', 'phone', 'email', 'tags', 'birthday'];

function* csvLines(rows: number, offset: number): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\n`;
  let batch = '';
  for (let i = 1; i <= rows; i++) {
    const n = offset + i;
    const month = String(1 + (n % 12)).padStart(2, '0');
    const day = String(1 + (n % 28)).padStart(2, '0');
    batch += `imp-${n},Customer ${n},+86139${String(n).padStart(8, '0')},c${n}@import.example,vip;bench,1990-${month}-${day}\n`;
    if (i % 1000 === 0) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

async function writeCsv(path: string, rows: number, offset: number): Promise<string> {
  await pipeline(Readable.from(csvLines(rows, offset)), createWriteStream(path));
  return path;
}

async function upload(baseUrl: string, headers: Record<string, string>, file: string) {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(`${baseUrl}/v1/contacts/import`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${res.statusCode}: ${text.slice(0, 500)}`))));
    });
    req.on('error', reject);
    pipeline(createReadStream(file), req).catch(reject);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  const result = JSON.parse(body) as { created: number; updated: number; rejectedCount: number };
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRss, result };
}

async function main(): Promise<void> {
  const rows = envInt('BENCH_IMPORT_ROWS', 100_000);
  const smallRows = Math.max(1, Math.floor(rows / 10));
  const dir = await mkdtemp(join(tmpdir(), 'carebeat-import-bench-'));
  const env = await createBenchEnv();
  const server = await listen(env);
  try {
    const smallFile = await writeCsv(join(dir, 'small.csv'), smallRows, 0);
    const largeFile = await writeCsv(join(dir, 'large.csv'), rows, 10_000_000);
    const headers = await authHeaders(env, 'ops');
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    const small = await upload(server.baseUrl, headers, smallFile);
    const large = await upload(server.baseUrl, headers, largeFile);
    const copy = await copyCsv(env.db, largeFile, CSV_COLUMNS);
    const mib = (bytes: number) => fmt(bytes / 2 ** 20, 0);
    console.log(`[bench import] ${machineLine()}`);
    for (const [label, run, size] of [['1/10 file', small, smallRows], ['whole file', large, rows]] as const) {
      console.log(`  ${label}: ${fmt(size)} rows (created ${fmt(run.result.created)}, updated ${fmt(run.result.updated)}, rejected ${run.result.rejectedCount}) in ${fmt(run.seconds, 2)} s → ${fmt(size / run.seconds)} rows/s (Node CPU ${fmt(run.cpuSeconds, 2)} s → ${fmt(size / run.cpuSeconds)} rows per CPU-second); peak RSS ${mib(run.peakRss)} MiB (start ${mib(baseline)} MiB)`);
    }
    console.log('  target: memory flat in file size (same process serves the API and uploads the pre-generated file)');
    console.log(`  baseline, COPY of the whole file into a bare table (text columns, primary key on externalId), same pool: ${fmt(copy.rows)} rows in ${fmt(copy.seconds, 2)} s → ${fmt(copy.rows / copy.seconds)} rows/s`);
    console.log(`  ratio: ${fmt((rows / large.seconds / (copy.rows / copy.seconds)) * 100, 1)} % of COPY's rows/s (whole file) (target ≥ 40 %)`);
  } finally {
    await server.close();
    await env.close();
    await rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
