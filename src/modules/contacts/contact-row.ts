import type { contacts } from '../../db/schema';

/**
 * A stored contact and what an insert takes. Declared apart from the repository so the statement
 * files the repository is built from can name them without importing it back.
 */
export type ContactRow = typeof contacts.$inferSelect;
export type ContactInsert = typeof contacts.$inferInsert;
