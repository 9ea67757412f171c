import { bootstrap } from '../../src/bootstrap';
import { capturedLogger } from '../support/captured-log';
import { createTestContext, type TestContext } from '../support/context';

/** What boot tells ops about settings that make the service work, but not as they would want. */
describe('boot warnings', () => {
  const contexts: TestContext[] = [];
  const boot = async (env: Record<string, string>) => {
    const ctx = await createTestContext({ env });
    contexts.push(ctx);
    const log = capturedLogger();
    await bootstrap({ ...ctx, logger: log.logger }, ctx.services);
    return log.warnings();
  };
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close();
  });

  it('warns when BRAND_NAME is unset: greetings would go out without the shop\'s name', async () => {
    const warnings = await boot({ BRAND_NAME: '', SMS_SIGNATURE: '' });
    const brand = warnings.filter((line) => line.setting === 'BRAND_NAME');
    expect(brand).toHaveLength(1);
    expect(brand[0]!.msg).toMatch(/BRAND_NAME is not set \(nor SMS_SIGNATURE\): greetings .* go out without the shop's name/);
  });

  it('says nothing when the signature names the shop (brand.name is taken from it)', async () => {
    const warnings = await boot({ BRAND_NAME: '', SMS_SIGNATURE: '【花间小铺】' });
    expect(warnings.filter((line) => line.setting === 'BRAND_NAME')).toEqual([]);
  });

  it('says nothing about the brand once BRAND_NAME is set', async () => {
    const warnings = await boot({ BRAND_NAME: '花间小铺' });
    expect(warnings.filter((line) => line.setting === 'BRAND_NAME')).toEqual([]);
  });
});
