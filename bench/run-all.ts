import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm run bench [name…]`: runs each benchmark in its own process (clean memory figures, no
 * state shared between them), one after the other. Names: send-throughput, blast-fanout,
 * birthday-tick, festival-tick, lifecycle-tick, order-notices, import, api-upserts, reports, coupons, survey-tick.
 */
const ALL = ['send-throughput', 'blast-fanout', 'birthday-tick', 'festival-tick', 'lifecycle-tick', 'order-notices', 'import', 'api-upserts', 'reports', 'coupons', 'survey-tick'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
let failed = 0;
for (const name of chosen) {
  if (!ALL.includes(name)) {
    console.error(`unknown bench "${name}"; choose from ${ALL.join(', ')}`);
    process.exit(2);
  }
  const run = spawnSync(process.execPath, ['--expose-gc', join(__dirname, `${name}.bench.js`)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
