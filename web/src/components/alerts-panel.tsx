import { useEffect, useState } from 'react';
import {
  AlertDetailSchema,
  AlertListSchema,
  timelineAuditSeq,
  type AlertDto,
  type AlertNotifyDto,
  type AlertTimelineEntryDto,
  type ServerMessage,
} from '../../../src/protocol/index.ts';
import { apiRequest } from '../lib/api.ts';
import { Section } from './section.tsx';

/**
 * Alerts: the active incidents (live over the WebSocket `alert-change` frames, loaded from
 * GET /api/alerts on connect), their history, each alert's timeline (transitions, autonomous
 * acts with their audit link, analyses, notifications), and ack / snooze / resolve for operators.
 * Everything the cluster named is rendered as text.
 */
export function AlertsPanel({
  onMessage,
  canAct,
  connected,
}: {
  onMessage: (listener: (message: ServerMessage) => void) => () => void;
  canAct: boolean;
  connected: boolean;
}) {
  const [alerts, setAlerts] = useState<ReadonlyMap<string, AlertDto>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [showHistory, setShowHistory] = useState(false);
  const [toast, setToast] = useState<AlertNotifyDto | undefined>();
  const [open, setOpen] = useState<string | undefined>(() => (window.location.hash.startsWith('#alert-') ? window.location.hash.slice(7) : undefined));
  const [timeline, setTimeline] = useState<readonly AlertTimelineEntryDto[]>([]);

  useEffect(() => {
    if (!connected) return undefined;
    const abort = new AbortController();
    void apiRequest(`/api/alerts?status=${showHistory ? 'all' : 'active'}&limit=200`, AlertListSchema, { signal: abort.signal }).then((result) => {
      if (!result.ok) return setError(result.error.message);
      setError(undefined);
      setAlerts(new Map(result.value.alerts.map((alert) => [alert.id, alert])));
      setLoaded(true);
    });
    return () => abort.abort();
  }, [connected, showHistory]);

  useEffect(
    () =>
      onMessage((message) => {
        if (message.type === 'alert-change') setAlerts((current) => new Map(current).set(message.payload.id, message.payload));
        if (message.type === 'alert-notify') setToast(message.payload);
      }),
    [onMessage],
  );

  useEffect(() => {
    if (!open) return undefined;
    const abort = new AbortController();
    void apiRequest(`/api/alerts/${encodeURIComponent(open)}`, AlertDetailSchema, { signal: abort.signal }).then(
      (result) => result.ok && setTimeline(result.value.timeline),
    );
    return () => abort.abort();
  }, [open, alerts]);

  async function command(id: string, verb: 'ack' | 'snooze' | 'resolve') {
    const result = await apiRequest(`/api/alerts/${encodeURIComponent(id)}/${verb}`, AlertDetailSchema.pick({ alert: true }), {
      body: verb === 'snooze' ? { minutes: 60 } : {},
    });
    if (result.ok) setAlerts((current) => new Map(current).set(id, result.value.alert));
    else setError(result.error.message);
  }

  const list = [...alerts.values()]
    .filter((alert) => showHistory || alert.state !== 'resolved')
    .sort((a, b) => (a.state === 'resolved' ? 1 : 0) - (b.state === 'resolved' ? 1 : 0) || b.lastSeen - a.lastSeen);
  return (
    <Section id="alerts" title="Alerts" loading={!loaded && error === undefined} error={error}>
      {toast ? (
        <p className={`alert-toast severity-${toast.severity}`} role="status" data-testid="alert-toast">
          {toast.title}{' '}
          <button type="button" onClick={() => setToast(undefined)} aria-label="Dismiss">
            ×
          </button>
        </p>
      ) : null}
      <label className="alerts-history">
        <input type="checkbox" checked={showHistory} onChange={(event) => setShowHistory(event.target.checked)} /> show history
      </label>
      {list.length === 0 ? (
        <p className="placeholder">No active alerts.</p>
      ) : (
        <ul className="alerts" data-testid="alerts">
          {list.map((alert) => (
            <li
              key={alert.id}
              id={`alert-${alert.id}`}
              className={`alert severity-${alert.severity} state-${alert.state}`}
              data-testid={`alert-${alert.id}`}
              data-rule={alert.rule}
            >
              <button type="button" className="alert-title" aria-expanded={open === alert.id} onClick={() => setOpen(open === alert.id ? undefined : alert.id)}>
                [{alert.severity}] {alert.title}
              </button>
              <span className="alert-meta">
                {' '}
                {alert.state}
                {alert.flapping ? ' · flapping' : ''} · ×{alert.count} · since {new Date(alert.firstSeen).toLocaleTimeString()}
              </span>
              {canAct && alert.state !== 'resolved' ? (
                <span className="alert-actions">
                  {alert.state !== 'acknowledged' ? (
                    <button type="button" onClick={() => void command(alert.id, 'ack')}>
                      Ack
                    </button>
                  ) : null}
                  <button type="button" onClick={() => void command(alert.id, 'snooze')}>
                    Snooze 1 h
                  </button>
                  <button type="button" onClick={() => void command(alert.id, 'resolve')}>
                    Resolve
                  </button>
                </span>
              ) : null}
              {alert.analysis ? (
                <p className="alert-analysis">
                  <strong>Analysis ({alert.analysis.origin}, advice only):</strong> {alert.analysis.text}
                </p>
              ) : null}
              {open === alert.id ? (
                <ol className="alert-timeline">
                  {timeline.map((entry, index) => (
                    <li key={index} data-kind={entry.kind}>
                      {new Date(entry.at).toLocaleTimeString()} {entry.kind}: {entry.message}
                      <AuditRef entry={entry} />
                    </li>
                  ))}
                </ol>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

/** An act's audit row: a link to it in the audit log by seq; older entries (no seq) show the action hash. */
function AuditRef({ entry }: { entry: AlertTimelineEntryDto }) {
  const seq = timelineAuditSeq(entry);
  if (seq !== undefined)
    return (
      <>
        {' '}
        (
        <a href={`#audit-${seq}`} data-testid="timeline-audit-link">
          audit #{seq}
        </a>
        )
      </>
    );
  const hash = entry.data?.['actionHash'];
  return typeof hash === 'string' ? <> (audit {hash.slice(0, 12)})</> : null;
}
