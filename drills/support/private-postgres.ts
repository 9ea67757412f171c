import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openPostgres } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import type { TestDatabase } from '../../test/support/database';

const BIN = process.env.PG_BIN ?? installedPgBin();
const FIXED_PORT = process.env.DRILL_PG_PORT ? Number(process.env.DRILL_PG_PORT) : undefined;
const START_ATTEMPTS = 5;

/** The newest server binaries Debian installed (`/usr/lib/postgresql/<version>/bin`). */
function installedPgBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return join(root, versions[0] ?? '15', 'bin');
}

/** Any port can be briefly taken by an outgoing connection (the ephemeral range covers most), so each try picks anew. */
const randomPort = () => 40000 + Math.floor(Math.random() * 15000);

/**
 * A throw-away PostgreSQL cluster for the restart drill, so the shared server other suites use is
 * never touched (initdb refuses root, hence `runuser -u postgres`).
 */
export class PrivatePostgres {
  private constructor(readonly dir: string, private port: number) {}

  static start(): PrivatePostgres {
    const dir = mkdtempSync(join(tmpdir(), 'carebeat-drill-pg-'));
    chmodSync(dir, 0o777);
    const data = join(dir, 'data');
    execFileSync('runuser', ['-u', 'postgres', '--', `${BIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres'], { stdio: 'ignore' });
    const cluster = new PrivatePostgres(dir, FIXED_PORT ?? randomPort());
    for (let attempt = 1; ; attempt++) {
      try {
        cluster.pgCtl('start');
        return cluster;
      } catch (error) {
        if (FIXED_PORT || attempt >= START_ATTEMPTS) {
          rmSync(dir, { recursive: true, force: true });
          throw error;
        }
        cluster.port = randomPort();
      }
    }
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/drill`;
  }

  /** `-m fast`: every connection is cut, as in a crash-restart or a failover. */
  restart(): void {
    this.pgCtl('restart', '-m', 'fast');
  }

  async openDatabase(): Promise<TestDatabase> {
    const admin = new Client({ connectionString: this.url.replace(/\/drill$/, '/postgres') });
    await admin.connect();
    await admin.query('create database drill');
    await admin.end();
    const database = await openPostgres(this.url, 16);
    await migrateDatabase(database);
    return { ...database, name: 'drill', url: this.url, drop: () => database.close().catch(() => undefined) };
  }

  stop(): void {
    try {
      this.pgCtl('stop', '-m', 'immediate');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private pgCtl(...args: string[]): void {
    execFileSync('runuser', ['-u', 'postgres', '--', `${BIN}/pg_ctl`, '-D', join(this.dir, 'data'), '-w', '-l', join(this.dir, 'log'),
      '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`, ...args], { stdio: 'ignore' });
  }
}
