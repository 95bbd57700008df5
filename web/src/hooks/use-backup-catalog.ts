/**
 * The server's backup catalog (GET /api/backups: vzdump archives on the backup storages). Loaded
 * when the socket connects, again when a `vzdump` task ends (the server re-lists then) and every
 * `maxAgeMs` the server announces. Returns `{ data, error }`; `data` stays the last good listing.
 */
import { useEffect, useMemo, useState } from 'react';
import { BackupsDtoSchema, type BackupsDto, type TaskDto } from '../../../src/protocol/index.ts';
import { apiRequest } from '../lib/api.ts';

export function useBackupCatalog(tasks: ReadonlyMap<string, TaskDto>, connected: boolean): { data: BackupsDto | undefined; error: string | undefined } {
  const [data, setData] = useState<BackupsDto | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [tick, setTick] = useState(0);
  // Changes only when a vzdump task ends (cheap: no re-fetch on other task frames).
  const ended = useMemo(() => {
    let count = 0;
    for (const task of tasks.values()) if (task.type === 'vzdump' && task.status !== 'running') count += 1;
    return count;
  }, [tasks]);

  useEffect(() => {
    if (!connected) return undefined;
    const abort = new AbortController();
    void apiRequest('/api/backups', BackupsDtoSchema, { signal: abort.signal }).then((result) => {
      if (abort.signal.aborted) return;
      if (result.ok) {
        setData(result.value);
        setError(undefined);
      } else setError(result.error.message);
    });
    return () => abort.abort();
  }, [connected, ended, tick]);

  const maxAgeMs = data?.maxAgeMs;
  useEffect(() => {
    if (!connected || !maxAgeMs) return undefined;
    const timer = setInterval(() => setTick((value) => value + 1), Math.max(60_000, maxAgeMs));
    return () => clearInterval(timer);
  }, [connected, maxAgeMs]);

  return { data, error };
}
