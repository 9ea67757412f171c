import { ConfigError } from '../../config';

export interface GatewayEndpoint {
  protocol: 'http' | 'https';
  /** Host, with `:port` when one was given. */
  host: string;
}

/**
 * `ALIYUN_SMS_ENDPOINT` / `TENCENT_SMS_ENDPOINT`: a bare host means https (the vendors' own
 * endpoints); a full URL (`http://127.0.0.1:8081`) names the protocol and port of a proxy or fake.
 */
export function parseGatewayEndpoint(value: string | undefined, name: string): GatewayEndpoint {
  const text = value?.trim() ?? '';
  if (!text) throw new ConfigError(`${name} is required`);
  if (/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(text)) return { protocol: 'https', host: text.toLowerCase() };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name} is invalid: expected a host or an http(s) URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || (url.pathname !== '/' && url.pathname !== '') || url.search) {
    throw new ConfigError(`${name} is invalid: expected a host or an http(s) URL without a path`);
  }
  return { protocol: url.protocol === 'http:' ? 'http' : 'https', host: url.host };
}

/** Splits `items` into chunks of at most `size`, no two items of a chunk sharing a key (one number once per call). */
export function chunkUnique<T>(items: T[], size: number, keyOf: (item: T) => string): T[][] {
  const chunks: { items: T[]; keys: Set<string> }[] = [];
  for (const item of items) {
    const key = keyOf(item);
    let chunk = chunks.find((candidate) => candidate.items.length < size && !candidate.keys.has(key));
    if (!chunk) {
      chunk = { items: [], keys: new Set() };
      chunks.push(chunk);
    }
    chunk.items.push(item);
    chunk.keys.add(key);
  }
  return chunks.map((chunk) => chunk.items);
}

/** Groups items by a key, keeping first-seen order. */
export function groupBy<T>(items: T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}
