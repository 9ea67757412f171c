/**
 * PostgreSQL array literals sent as one text parameter (`${literal}::uuid[]`): one bind value however
 * long the list, which both drivers pass through unchanged.
 */
export const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/** Elements quoted and escaped; NULL spelled out so absent values stay SQL NULL. */
export const textArray = (values: (string | null)[]) =>
  `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
