import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './client';

/** A 4xx is the answer, not a hiccup: only network trouble and 5xx are worth one more try. */
function retryOnce(failures: number, error: unknown): boolean {
  const status = error instanceof ApiError ? error.status : 0;
  return failures < 1 && (status === 0 || status >= 500);
}

/**
 * The console's cache of server state. Reads stay fresh for a few seconds, so moving between
 * pages shows what was loaded at once; every write invalidates what it changed (see `useApiMutation`).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 5_000, retry: retryOnce, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
