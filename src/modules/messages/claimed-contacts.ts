import { getTableColumns } from 'drizzle-orm';
import { performance } from 'node:perf_hooks';
import { contacts } from '../../db/schema';

type ContactRow = typeof contacts.$inferSelect;
const columns = Object.entries(getTableColumns(contacts));

/** A contact read as `to_jsonb(c)`, mapped onto drizzle's row type (timestamps back to Dates). */
export function contactFromJson(json: Record<string, unknown>): ContactRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = json[column.name];
    row[key] = column.dataType === 'date' && typeof value === 'string' ? new Date(value) : value ?? null;
  }
  return row as ContactRow;
}

/** Past this age a prefetched contact is no longer "read at send time" and is read again. */
const FRESH_MS = 1000;

/**
 * Contacts the claim statement read along with their messages, handed to the send-time checks
 * that follow within milliseconds (saves one query per batch). Each is taken once per claimed
 * message; whatever a check never asked for (an expired message) ages out.
 */
export function createClaimedContacts() {
  const entries = new Map<string, { row: ContactRow; uses: number; at: number }>();

  let sweptAt = 0;
  const sweep = (now: number) => {
    if (now - sweptAt < FRESH_MS) return;
    sweptAt = now;
    for (const [id, entry] of entries) if (now - entry.at > FRESH_MS) entries.delete(id);
  };

  return {
    put(row: ContactRow): void {
      const now = performance.now();
      if (entries.size > 1000) sweep(now);
      const uses = (entries.get(row.id)?.uses ?? 0) + 1;
      entries.set(row.id, { row, uses, at: now });
    },

    take(id: string): ContactRow | undefined {
      const entry = entries.get(id);
      if (!entry) return undefined;
      if (--entry.uses <= 0) entries.delete(id);
      return performance.now() - entry.at <= FRESH_MS ? entry.row : undefined;
    },
  };
}
