import { useEffect, useState } from 'react';

/** `value`, but only after it stopped changing for `ms` (filters and live previews while typing). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  // Compared by content: callers pass fresh objects on every render.
  const key = JSON.stringify(value);
  useEffect(() => {
    const handle = window.setTimeout(() => setSettled((previous) => (JSON.stringify(previous) === key ? previous : (JSON.parse(key) as T))), ms);
    return () => window.clearTimeout(handle);
  }, [key, ms]);
  return settled;
}
