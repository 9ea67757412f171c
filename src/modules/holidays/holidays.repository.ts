import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { customHolidays } from '../../db/schema';

export type CustomHolidayRow = typeof customHolidays.$inferSelect;

export function createHolidaysRepository(db: Db) {
  return {
    listCustom: async (): Promise<CustomHolidayRow[]> => db.select().from(customHolidays).orderBy(asc(customHolidays.key)),
    findCustom: async (key: string): Promise<CustomHolidayRow | undefined> =>
      (await db.select().from(customHolidays).where(eq(customHolidays.key, key)).limit(1))[0],
    /** Inserts unless the key exists; `undefined` then (the unique key decides races). */
    insertCustom: async (row: typeof customHolidays.$inferInsert): Promise<CustomHolidayRow | undefined> =>
      (await db.insert(customHolidays).values(row).onConflictDoNothing({ target: customHolidays.key }).returning())[0],
  };
}
export type HolidaysRepository = ReturnType<typeof createHolidaysRepository>;
