import { eq } from 'drizzle-orm';
import { settings } from '../../src/db/schema';
import { createSecretsRepository } from '../../src/modules/secrets/secrets.repository';
import { createSecretsService } from '../../src/modules/secrets/secrets.service';
import { createTestContext, type TestContext } from '../support/context';

describe('SecretsService', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('generates APP_SECRET once and every replica reads the same one, even when racing', async () => {
    const replicas = Array.from({ length: 5 }, () => createSecretsService({ repository: createSecretsRepository(ctx.db) }));
    const secrets = await Promise.all(replicas.map((replica) => replica.appSecret()));
    expect(new Set(secrets).size).toBe(1);
    expect(Buffer.from(secrets[0], 'base64url')).toHaveLength(32);
    const [row] = await ctx.db.select().from(settings).where(eq(settings.key, 'app_secret'));
    expect(row.value).toBe(secrets[0]);
    expect(await ctx.services.secrets.appSecret()).toBe(secrets[0]);
  });

  it('prefers the configured APP_SECRET', async () => {
    const service = createSecretsService({ repository: createSecretsRepository(ctx.db), configuredAppSecret: 'configured-secret-value-123' });
    expect(await service.appSecret()).toBe('configured-secret-value-123');
  });
});
