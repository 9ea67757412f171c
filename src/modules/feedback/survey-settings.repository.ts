import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { SqlExecutor } from '../messages/outbox.repository';
import { DEFAULT_SURVEY_AUTOMATION, SURVEY_SETTINGS_KEY, type SurveyAutomation } from './feedback.types';

/** The survey automation in the `settings` table (absent: the defaults). */
export function createSurveySettingsRepository(db: Db) {
  return {
    /** `executor`: inside an order's transaction (the embedded database has one connection). */
    async get(executor: SqlExecutor = db): Promise<SurveyAutomation> {
      const { rows } = await executor.execute<{ value: Partial<SurveyAutomation> }>(sql`select value from settings where key = ${SURVEY_SETTINGS_KEY}`);
      return { ...DEFAULT_SURVEY_AUTOMATION, ...(rows[0]?.value ?? {}) };
    },
    async put(value: SurveyAutomation): Promise<void> {
      await db.execute(sql`insert into settings (key, value) values (${SURVEY_SETTINGS_KEY}, ${JSON.stringify(value)}::jsonb)
        on conflict (key) do update set value = excluded.value, updated_at = now()`);
    },
  };
}
export type SurveySettingsRepository = ReturnType<typeof createSurveySettingsRepository>;
