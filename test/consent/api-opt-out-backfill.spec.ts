import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrationsDir } from '../../src/db/migrate';
import { createTestContext, type TestContext } from '../support/context';
import { insertContact, reloadContact, uniquePhone } from '../support/factories';
import { suppressionRows } from './consent-fixtures';

/** Migration 0002 lists the opt-outs stated through the API before they joined the list; run again here on such rows. */
describe('migration 0002: API opt-outs made before the upgrade join the suppression list', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const runMigration = async () => {
    const text = readFileSync(join(migrationsDir(), '0002_api-opt-outs-listed.sql'), 'utf8');
    for (const statement of text.split('--> statement-breakpoint')) await ctx.db.execute(sql.raw(statement));
  };

  it('lists API and import opt-outs once as the shop\'s own, withdraws consent from contacts sharing them, and is idempotent', async () => {
    const phone = uniquePhone();
    const optedOut = await insertContact(ctx.db, { phone, consentSms: false, consentSmsSource: 'api' });
    const sharing = await insertContact(ctx.db, { phone });
    const imported = await insertContact(ctx.db, { email: 'legacy-import@example.com', consentEmail: false, consentEmailSource: 'import' });
    const stopPhone = uniquePhone();
    await ctx.services.consent.optOut({ channel: 'sms', address: stopPhone, source: 'sms-keyword', reason: 'keyword STOP' });
    const stopped = await insertContact(ctx.db, { phone: stopPhone, consentSms: false, consentSmsSource: 'api' });
    const erasedPhone = uniquePhone();
    await insertContact(ctx.db, { phone: erasedPhone, consentSms: false, consentSmsSource: 'api', erasedAt: new Date() });

    await runMigration();
    await runMigration();

    expect(await suppressionRows(ctx, phone)).toEqual([expect.objectContaining({ channel: 'sms', source: 'api' })]);
    expect(await suppressionRows(ctx, 'legacy-import@example.com')).toEqual([expect.objectContaining({ channel: 'email', source: 'api' })]);
    expect(await suppressionRows(ctx, stopPhone)).toEqual([expect.objectContaining({ source: 'sms-keyword' })]);
    expect(await suppressionRows(ctx, erasedPhone)).toEqual([]);
    expect(await reloadContact(ctx.db, sharing.id)).toMatchObject({ consentSms: false, consentSmsSource: 'api' });
    expect(await reloadContact(ctx.db, optedOut.id)).toMatchObject({ consentSms: false, consentSmsSource: 'api' });
    expect((await reloadContact(ctx.db, imported.id)).consentEmailSource).toBe('import');
    expect((await reloadContact(ctx.db, stopped.id)).consentSms).toBe(false);
  });
});
