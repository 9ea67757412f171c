import { machineLine } from '../bench/support/bench-env';
import type { DrillResult, Scale } from './support/drill';
import { scaleOf } from './support/drill';
import { workerKillDrill } from './worker-kill.drill';
import { redisFlushDrill } from './redis-flush.drill';
import { providerFaultsDrill } from './provider-faults.drill';
import { fuzzDrill } from './fuzz.drill';
import { postgresRestartDrill } from './postgres-restart.drill';
import { forgeryDrill } from './forgery.drill';
import { hostileInputDrill } from './hostile-input.drill';

/**
 * `npm run drill [name…]` (DRILL_SCALE=small for CI): runs the reliability drills one after the
 * other and prints one PASS/FAIL line with counts per drill. Exit code 1 if any failed.
 */
const DRILLS: Record<string, (scale: Scale) => Promise<DrillResult>> = {
  'worker-kill': workerKillDrill,
  'redis-flush': redisFlushDrill,
  'provider-faults': providerFaultsDrill,
  'postgres-restart': postgresRestartDrill,
  fuzz: fuzzDrill,
  forgery: forgeryDrill,
  'hostile-input': hostileInputDrill,
};

async function main(): Promise<void> {
  const scale = scaleOf(process.env.DRILL_SCALE);
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(DRILLS);
  console.log(`[drills] scale ${scale}; ${machineLine()}`);
  let failed = 0;
  for (const name of names) {
    const drill = DRILLS[name];
    if (!drill) throw new Error(`unknown drill "${name}"; choose from ${Object.keys(DRILLS).join(', ')}`);
    const started = Date.now();
    const result = await drill(scale).catch((error: Error): DrillResult => ({ name, pass: false, detail: `crashed: ${error.stack ?? error.message}` }));
    if (!result.pass) failed++;
    console.log(`${result.pass ? 'PASS' : 'FAIL'} drill ${result.name}: ${result.detail} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    if (result.note) console.log(`     ${result.note}`);
  }
  process.exit(failed ? 1 : 0);
}

void main();
