import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** A tiny history router: the console has a dozen flat pages, a routing library would outweigh them. */
const BASE = '/console';

export function currentPath(): string {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : window.location.pathname;
  return path === '' ? '/' : path;
}

/** Asked before every in-app navigation; one answering false keeps the page (see unsaved-guard.ts). */
const guards = new Set<() => boolean>();

export function addNavigationGuard(allow: () => boolean): () => void {
  guards.add(allow);
  return () => guards.delete(allow);
}

const here = () => window.location.pathname + window.location.search;
let shown = here();
let ours = false;
// Registered before any page listens: the browser's back/forward asks the guards too, and a refusal
// puts the page's address back and stops the others from seeing the move.
window.addEventListener('popstate', (event) => {
  if (!ours) {
    for (const allow of guards) {
      if (!allow()) {
        window.history.pushState(null, '', shown);
        event.stopImmediatePropagation();
        return;
      }
    }
  }
  ours = false;
  shown = here();
});

export function navigate(to: string): void {
  for (const allow of guards) if (!allow()) return;
  window.history.pushState(null, '', BASE + to);
  ours = true;
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const [location, setLocation] = useState(() => ({ path: currentPath(), search: window.location.search }));
  useEffect(() => {
    const update = () => setLocation({ path: currentPath(), search: window.location.search });
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return { path: location.path, search: new URLSearchParams(location.search) };
}

/** Matches `/contacts/:id` against a path; returns the named parts or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={BASE + to} onClick={onClick} {...rest} />;
}
