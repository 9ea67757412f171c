import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrationsDir } from '../../src/db/migrate';

/**
 * A migrated, empty PGlite data directory, made once per migrations set and kept in the OS temp
 * dir. A fresh in-memory PGlite spends ~10 s in its own initdb (more on a busy box); loading this
 * snapshot takes under one, so every PGlite suite starts from it instead. The file name carries a
 * hash of the migrations and of PGlite's version, so a new migration or PGlite makes a new one.
 */
export async function migratedPgliteSnapshot(): Promise<Blob> {
  const file = path.join(tmpdir(), `carebeat-pglite-${snapshotKey()}.tar`);
  if (!existsSync(file)) await writeSnapshot(file);
  return new Blob([readFileSync(file)]);
}

function snapshotKey(): string {
  const hash = createHash('sha256');
  const dir = migrationsDir();
  for (const name of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const full = path.join(dir, name);
    if (name.endsWith('.sql') || name.endsWith('.json')) hash.update(name).update(readFileSync(full));
  }
  // PGlite's package.json is not exported: read it from where the package lives.
  hash.update(readFileSync(path.join(__dirname, '..', '..', 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  return hash.digest('hex').slice(0, 16);
}

async function writeSnapshot(file: string): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const client = new PGlite();
  try {
    await migrate(drizzle(client), { migrationsFolder: migrationsDir() });
    const blob = await client.dumpDataDir('none');
    // Written aside and renamed: two workers making it at once each rename a whole file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
    renameSync(partial, file);
  } finally {
    await client.close();
  }
}
