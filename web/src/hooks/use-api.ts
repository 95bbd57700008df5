/**
 * One-shot or reloadable GET for sections fed over HTTP (audit, approvals list, history).
 * Returns `{ data, error, loadedAt, reload }`: components render error | placeholder | data.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { apiRequest, type ApiError } from '../lib/api.ts';

export interface UseApiResult<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  /** Local epoch ms of the last successful load. */
  readonly loadedAt: number | undefined;
  readonly reload: () => void;
}

export function useApi<S extends z.ZodType>(path: string | undefined, schema: S, refreshMs = 0): UseApiResult<z.infer<S>> {
  const [data, setData] = useState<z.infer<S> | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loadedAt, setLoadedAt] = useState<number | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const schemaRef = useRef(schema);
  const reload = useCallback(() => setTick((value) => value + 1), []);

  useEffect(() => {
    if (!path) return undefined;
    const abort = new AbortController();
    void apiRequest(path, schemaRef.current, { signal: abort.signal }).then((result) => {
      if (abort.signal.aborted) return;
      if (result.ok) {
        setData(result.value);
        setError(undefined);
        setLoadedAt(Date.now());
      } else setError(result.error);
    });
    const timer = refreshMs > 0 ? setTimeout(reload, refreshMs) : undefined;
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [path, tick, refreshMs, reload]);

  return { data, error, loadedAt, reload };
}
