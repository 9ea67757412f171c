#!/usr/bin/env node
/**
 * `npm start` runs this first: it builds (tsc and the console's vite build) only when there is no
 * build yet or a source is newer than the last one, so only the first start after `npm ci` or an
 * update pays for it. The stamp is written after a build that succeeded, never before.
 */
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const inputs = ['src', 'workers', 'console', 'migrations', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function newest(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    latest = Math.max(latest, newest(path.join(target, entry)));
  }
  return latest;
}

const sources = Math.max(...inputs.map((input) => newest(path.join(root, input))));
if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) {
  process.stdout.write('carebeat: build is up to date\n');
  process.exit(0);
}
process.stdout.write('carebeat: building (first start, or the sources changed) …\n');
execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
mkdirSync(path.dirname(stamp), { recursive: true });
writeFileSync(stamp, `${new Date().toISOString()}\n`);
