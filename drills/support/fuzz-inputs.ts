import { randomBytes } from 'node:crypto';

/** Hostile values of every kind a client (or attacker) might send. */
const nasty: Array<() => unknown> = [
  () => null,
  () => '',
  () => 'x'.repeat(100_000),
  () => '😀'.repeat(5_000),
  () => '\u0000\uFFFF\uD800',
  () => -1,
  () => 1e308,
  () => Number.MAX_SAFE_INTEGER + 2,
  () => true,
  () => [],
  () => [1, 'a', null],
  () => ({}),
  () => ({ __proto__: { admin: true }, constructor: { prototype: { x: 1 } } }),
  () => '2027-02-30',
  () => '../../etc/passwd',
  () => "'; drop table contacts; --",
  () => '{{#each this}}{{/each}}{{constructor.constructor}}',
  () => randomBytes(8).toString('hex'),
  () => '00000000-0000-0000-0000-000000000000',
  () => 'not-a-uuid',
];

/** encodeURIComponent that turns what it cannot encode (lone surrogates) into raw bad UTF-8 instead of throwing. */
export function encodeLoosely(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

export const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
export const nastyValue = (): unknown => pick(nasty)();

/** JSON nested `depth` levels deep (arrays or objects). */
export function deepJson(depth: number): string {
  return Math.random() < 0.5 ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** An object with the route's likely field names and hostile values, some fields missing. */
export function fuzzObject(fields: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) if (Math.random() < 0.7) body[field] = nastyValue();
  if (Math.random() < 0.3) body[`extra${Math.floor(Math.random() * 9)}`] = nastyValue();
  return body;
}

/** A path segment: valid-looking, hostile, or with broken percent-encoding / bad UTF-8. */
export function fuzzSegment(): string {
  return pick([
    () => '00000000-0000-4000-8000-000000000000',
    () => encodeLoosely(String(nastyValue()).slice(0, 300)),
    () => '%FF%FE%C3%28',
    () => '%E0%80%80',
    () => '%',
    () => 'a'.repeat(5000),
    () => '..%2F..%2F',
  ])();
}

export interface FuzzBody {
  payload: string | Buffer | undefined;
  contentType: string | undefined;
}

/** A body in a random shape: JSON object, wrong JSON type, deep JSON, broken JSON, bad UTF-8, wrong content type. */
export function fuzzBody(fields: string[]): FuzzBody {
  return pick<() => FuzzBody>([
    () => ({ payload: JSON.stringify(fuzzObject(fields)), contentType: 'application/json' }),
    () => ({ payload: JSON.stringify(nastyValue()), contentType: 'application/json' }),
    () => ({ payload: deepJson(5_000 + Math.floor(Math.random() * 50_000)), contentType: 'application/json' }),
    () => ({ payload: '{"name": "unterminated', contentType: 'application/json' }),
    () => ({ payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), contentType: 'application/json' }),
    () => ({ payload: 'name=x&phone=%FF', contentType: 'application/x-www-form-urlencoded' }),
    () => ({ payload: 'a,b,c\n"unterminated,\u0000', contentType: 'text/csv' }),
    () => ({ payload: '{"a":1}\nnot json\n', contentType: 'application/x-ndjson' }),
    () => ({ payload: '<xml/>', contentType: 'application/xml' }),
    () => ({ payload: randomBytes(2048), contentType: 'application/octet-stream' }),
    () => ({ payload: JSON.stringify(fuzzObject(fields)), contentType: 'text/plain' }),
    () => ({ payload: JSON.stringify(fuzzObject(fields)), contentType: 'application/json; charset=latin1' }),
    () => ({ payload: undefined, contentType: 'application/json' }),
    () => ({ payload: undefined, contentType: undefined }),
  ])();
}
