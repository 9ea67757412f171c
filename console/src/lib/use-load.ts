import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when `deps` change (and on `reload`), dropping answers that arrive after a newer request. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const ticket = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => ticket === latest.current && setState({ data, loading: false }),
      (error) => ticket === latest.current && setState({ error, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Calls `tick` every `ms` while `active`, e.g. live campaign counts. */
export function usePolling(tick: () => void, ms: number, active: boolean): void {
  const saved = useRef(tick);
  saved.current = tick;
  useEffect(() => {
    if (!active) return;
    const handle = window.setInterval(() => saved.current(), ms);
    return () => window.clearInterval(handle);
  }, [ms, active]);
}

/** `value`, but only after it stopped changing for `ms` (live previews while typing). */
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
