import { z } from 'zod';
import { ValidationError } from './errors';

/** `?limit=&cursor=` as API.md defines them. The cursor is opaque: base64url of the last sort key. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * The sort key inside a cursor. With `shape`, a cursor that decodes but holds anything else (an
 * edited or foreign cursor) is refused the same way as one that does not decode: 400 naming `cursor`.
 */
export function decodeCursor<T>(cursor: string | undefined, shape?: z.ZodType<T>): T | undefined {
  if (!cursor) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw ValidationError.field('cursor', 'malformed cursor');
  }
  // Every cursor we hand out is an object or an array: `null` or a bare value was made up.
  if (value === null || typeof value !== 'object') throw ValidationError.field('cursor', 'malformed cursor');
  if (!shape) return value as T;
  const parsed = shape.safeParse(value);
  if (!parsed.success) throw ValidationError.field('cursor', 'malformed cursor');
  return parsed.data;
}

/** The pieces cursors are made of, for each list's `shape`. */
export const cursorUuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
export const cursorTimestamp = z.string().max(64).refine((value) => !Number.isNaN(Date.parse(value)));

/** The cursor of a list sorted newest first by `(createdAt, id)` (messages, campaigns, segments). */
export const createdAtCursor = z.object({ createdAt: cursorTimestamp, id: cursorUuid });

/** Builds a page from `limit + 1` fetched rows: the extra row only tells that more exist. */
export function toPage<Row, Item>(rows: Row[], limit: number, map: (row: Row) => Item, cursorOf: (row: Row) => unknown): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  return {
    items: pageRows.map(map),
    nextCursor: hasMore ? encodeCursor(cursorOf(pageRows[pageRows.length - 1])) : null,
  };
}
