import { useCallback, useEffect, useRef } from 'react';
import { useI18n } from '../i18n/i18n';
import { addNavigationGuard } from './router';

/**
 * While `dirty`, leaving the page asks first: the browser's own prompt on reload or close
 * (`beforeunload`), and a confirmation before any in-app link or navigation. The returned
 * `release()` lets a save navigate away at once, before the page re-renders clean.
 */
export function useUnsavedGuard(dirty: boolean): () => void {
  const { t } = useI18n();
  const message = t('unsaved.confirm');
  const released = useRef(false);
  useEffect(() => {
    released.current = false;
    if (!dirty) return undefined;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (released.current) return undefined;
      event.preventDefault();
      event.returnValue = message; // older browsers show it; newer ones show their own words
      return message;
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    const removeGuard = addNavigationGuard(() => released.current || window.confirm(message));
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      removeGuard();
    };
  }, [dirty, message]);
  return useCallback(() => {
    released.current = true;
  }, []);
}

/** Compares two form values regardless of key order (a saved answer may list its fields differently). */
export function sameValue(a: unknown, b: unknown): boolean {
  const stable = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(stable)
      : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, stable(v)]))
        : value;
  return JSON.stringify(stable(a)) === JSON.stringify(stable(b));
}
