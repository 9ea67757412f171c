import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openPostgres } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import type { TestDatabase } from '../../test/support/database';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PORT = Number(process.env.DRILL_PG_PORT ?? 55432);

/**
 * A throw-away PostgreSQL cluster for the restart drill, so the shared server other suites use is
 * never touched (initdb refuses root, hence `runuser -u postgres`).
 */
export class PrivatePostgres {
  private constructor(readonly dir: string) {}

  static start(): PrivatePostgres {
    const dir = mkdtempSync(join(tmpdir(), 'carebeat-drill-pg-'));
    chmodSync(dir, 0o777);
    const data = join(dir, 'data');
    execFileSync('runuser', ['-u', 'postgres', '--', `${BIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres'], { stdio: 'ignore' });
    const cluster = new PrivatePostgres(dir);
    cluster.pgCtl('start');
    return cluster;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${PORT}/drill`;
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
      '-o', `-p ${PORT} -k ${this.dir} -c listen_addresses=127.0.0.1`, ...args], { stdio: 'ignore' });
  }
}
