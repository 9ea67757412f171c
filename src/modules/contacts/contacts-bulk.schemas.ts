import { z } from 'zod';
import { segmentFilter } from '../segments/segments.schemas';
import { contactListFilters } from './contacts.schemas';

const channels = z.array(z.enum(['sms', 'email'])).min(1).max(2);

/**
 * Which contacts a bulk action is for: chosen ids, or a filter — the list's own (q, tag, tier,
 * lifecycle), a segment's (`filter`, same shape as a segment) or a saved segment (`segmentId`);
 * given together they all apply. `filter: {}` alone means every contact, on purpose.
 */
export const contactSelection = contactListFilters.extend({
  ids: z.array(z.string().uuid()).min(1).max(1000).optional(),
  segmentId: z.string().uuid().optional(),
  filter: segmentFilter.optional(),
}).refine((s) => s.ids || s.segmentId || s.filter || s.q || s.tag || s.tier || s.lifecycle, {
  path: ['filter'], message: 'choose ids or a filter (filter: {} for every contact)',
});
export type ContactSelection = z.infer<typeof contactSelection>;

export const bulkTagBody = z.intersection(contactSelection, z.object({ tags: z.array(z.string().trim().min(1).max(100)).min(1).max(20) }));
export const bulkOptOutBody = z.intersection(contactSelection, z.object({ channels }));
/** `expectedCount`: the count the user confirmed; when the filter matches another number now, nothing is deleted (409). */
export const bulkDeleteBody = z.intersection(contactSelection, z.object({ expectedCount: z.number().int().min(0) }));
export const optOutBody = z.object({ channels });

export const bulkResult = z.object({ matched: z.number().int(), changed: z.number().int() });
export const contactCount = z.object({ count: z.number().int() });

export const exportQuery = contactListFilters.extend({ format: z.enum(['csv', 'xlsx']).default('csv') });
