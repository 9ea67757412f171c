/**
 * Memoises a pure function of a string key. Calendar math (zone offsets via Intl, lunar tables)
 * costs tens of microseconds a call and bulk work (imports, scheduler scans) repeats the same
 * few thousand inputs, so a small cache that simply empties when full is enough.
 */
export function memoize<Args extends unknown[], Result>(
  keyOf: (...args: Args) => string,
  compute: (...args: Args) => Result,
  limit = 20_000,
): (...args: Args) => Result {
  const cache = new Map<string, Result>();
  return (...args: Args): Result => {
    const key = keyOf(...args);
    if (cache.has(key)) return cache.get(key) as Result;
    const result = compute(...args);
    if (cache.size >= limit) cache.clear();
    cache.set(key, result);
    return result;
  };
}
