import type { ContactInsert, ContactRow } from '../../db/schema';
import type { FoundListings } from './contact-merge';

/** The shapes both contact write statement sets (batch and single row) take and give. */

/** How a batch finds its stored contacts: by external id (PUT, import, POST with no match wanted) or by id (PATCH). */
export type ContextKey = 'externalId' | 'id';

export interface ContextRequest {
  /** The external id or id to look up; null finds nothing (a POST always creates). */
  key: string | null;
  /** The addresses given in the input, whose listings are looked up beside the stored ones. */
  phone: string | null;
  email: string | null;
}

export interface StoredContext {
  /** The stored row, erased or not. */
  base: ContactRow | undefined;
  found: FoundListings;
}

/** A merged row to write: `id` set updates that contact, absent inserts it (unless its external id is taken). */
export interface BatchWrite {
  id?: string;
  row: ContactInsert;
}
