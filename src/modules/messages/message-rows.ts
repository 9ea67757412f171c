import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import { messages, type MessageStatus } from '../../db/schema';

export type MessageRow = typeof messages.$inferSelect;

const columns = getTableColumns(messages);
type ColumnKey = keyof typeof columns;

/** Raw `db.execute` rows come back with SQL column names; this maps them onto drizzle's row type. */
export function toMessageRow(raw: Record<string, unknown>): MessageRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(columns)) {
    const value = raw[column.name];
    row[key] = column.dataType === 'date' && typeof value === 'string' ? new Date(value) : value;
  }
  return row as MessageRow;
}

/** Fields a status transition may write along with the status. */
export type TransitionFields = Partial<Pick<MessageRow,
  'toAddress' | 'subject' | 'body' | 'provider' | 'providerMessageId' | 'error' | 'sentAt' | 'scheduledAt' | 'jobKey' | 'segments'>>;

export function setClauses(fields: TransitionFields): SQL[] {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => sql`${sql.identifier(columns[key as ColumnKey].name)} = ${value}`);
}

export const statusList = (statuses: readonly MessageStatus[]): SQL =>
  sql.join(statuses.map((status) => sql`${status}`), sql`, `);
