import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { api, type Query } from './client';
import type { Page } from './types';

/**
 * The cache key of an API read: the path's segments, then the query. `['v1', 'campaigns']` is a
 * prefix of the list and of every campaign, so invalidating it refreshes all of them.
 */
export function keyOf(path: string, query?: Query): QueryKey {
  const segments = path.split('/').filter(Boolean);
  return query ? [...segments, query] : segments;
}

interface ApiQueryOptions<T> {
  /** Poll every so many ms while the answer says so (e.g. a running campaign), or `false`. */
  refetchInterval?: (data: T | undefined) => number | false;
  /** Keep showing the previous answer while a new query (other filters) loads. */
  keepPrevious?: boolean;
}

/** `GET path?query` through the cache; `path` null means "nothing to load yet". */
export function useApiQuery<T>(path: string | null, query?: Query, options: ApiQueryOptions<T> = {}) {
  const { refetchInterval } = options;
  return useQuery({
    queryKey: keyOf(path ?? '', query),
    queryFn: () => api.get<T>(path!, query),
    enabled: path !== null,
    placeholderData: options.keepPrevious ? keepPreviousData : undefined,
    refetchInterval: refetchInterval ? (q) => refetchInterval(q.state.data as T | undefined) : undefined,
  });
}

/** A cursor-paged list (`{ items, nextCursor }`): the pages loaded so far, flattened, and `more()` for the next. */
export function useApiPages<T>(path: string, query: Query) {
  const pages = useInfiniteQuery({
    queryKey: keyOf(path, query),
    queryFn: ({ pageParam }) => api.get<Page<T>>(path, { ...query, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  return {
    items: pages.data?.pages.flatMap((page) => page.items),
    error: pages.error,
    isPending: pages.isPending,
    hasMore: pages.hasNextPage,
    more: () => void pages.fetchNextPage(),
  };
}

/** A write, then every cached read under the `invalidates` paths is refetched. */
export function useApiMutation<Input, Output>(write: (input: Input) => Promise<Output>, invalidates: string[]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => Promise.all(invalidates.map((path) => client.invalidateQueries({ queryKey: keyOf(path) }))),
  });
}
