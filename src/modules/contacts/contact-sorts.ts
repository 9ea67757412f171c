/** List orders: newest first (the default), or by name or last change, either way. */
export const CONTACT_SORTS = ['-createdAt', 'createdAt', 'name', '-name', '-updatedAt', 'updatedAt'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];
