import Fastify from 'fastify';
import type { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { openPostgres } from '../../src/db/client';

/**
 * The API bench's baseline server, run as its own process like the real `api` role (started by
 * `startApiProcess` with this file as the entry point): the same PUT path and body, answered by a
 * bare Fastify route that runs one `INSERT … ON CONFLICT` into `bench_bare_contacts` (created by
 * the bench) through a pool opened like the real one (`openPostgres`, same size and settings).
 * No auth, validation, rate limit, access log or suppression read: what any upsert route costs.
 */
export const BARE_CONTACTS_TABLE = `create table bench_bare_contacts (
  external_id text primary key, name text not null, phone text, tags text[] not null default '{}',
  birthday date, updated_at timestamptz not null default now())`;

const UPSERT = `insert into bench_bare_contacts (external_id, name, phone, tags, birthday)
  values ($1, $2, $3, $4, $5)
  on conflict (external_id) do update set name = excluded.name, phone = excluded.phone,
    tags = excluded.tags, birthday = excluded.birthday, updated_at = now()`;

interface UpsertBody {
  name: string;
  phone?: string;
  tags?: string[];
  birthday?: string;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const database = await openPostgres(config.DATABASE_URL!, config.DATABASE_POOL_MAX, config.DB_STATEMENT_TIMEOUT_MS);
  const pool = (database.db as unknown as { $client: Pool }).$client;
  const app = Fastify({ logger: false });
  app.get('/readyz', async () => ({ ok: await database.ping() }));
  app.put<{ Params: { externalId: string }; Body: UpsertBody }>('/v1/contacts/by-external-id/:externalId', async (request) => {
    const { name, phone, tags, birthday } = request.body;
    await pool.query(UPSERT, [request.params.externalId, name, phone ?? null, tags ?? [], birthday ?? null]);
    return { externalId: request.params.externalId };
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  process.once('SIGTERM', () => {
    void app.close().then(() => database.close()).then(() => process.exit(0));
  });
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
