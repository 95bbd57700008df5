/**
 * The number of alerts not resolved (open, acknowledged or snoozed) in the monitor's alert store,
 * for the health strip: GET /api/alerts?status=active on connect, then the live `alert-change`
 * frames. `undefined` ("—") while unknown, or when this server has no monitor (404).
 */
import { useEffect, useState } from 'react';
import { AlertListSchema, type AlertDto, type ServerMessage } from '../../../src/protocol/index.ts';
import { apiRequest } from '../lib/api.ts';

export function useAlertCount(onMessage: (listener: (message: ServerMessage) => void) => () => void, connected: boolean): number | undefined {
  const [alerts, setAlerts] = useState<ReadonlyMap<string, AlertDto['state']> | undefined>(undefined);

  useEffect(() => {
    if (!connected) return undefined;
    const abort = new AbortController();
    void apiRequest('/api/alerts?status=active&limit=500', AlertListSchema, { signal: abort.signal }).then((result) => {
      if (abort.signal.aborted) return;
      setAlerts(result.ok ? new Map(result.value.alerts.map((alert) => [alert.id, alert.state])) : undefined);
    });
    return () => abort.abort();
  }, [connected]);

  useEffect(
    () =>
      onMessage((message) => {
        if (message.type !== 'alert-change') return;
        const { id, state } = message.payload;
        setAlerts((current) => (current ? new Map(current).set(id, state) : current));
      }),
    [onMessage],
  );

  if (!alerts) return undefined;
  let open = 0;
  for (const state of alerts.values()) if (state !== 'resolved') open += 1;
  return open;
}
