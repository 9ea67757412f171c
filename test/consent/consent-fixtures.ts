import { eq } from 'drizzle-orm';
import { suppressions } from '../../src/db/schema';
import type { TestContext } from '../support/context';

export async function suppressionRows(ctx: TestContext, address: string) {
  return ctx.db.select().from(suppressions).where(eq(suppressions.address, address));
}
