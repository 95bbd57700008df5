import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { ApprovalsListSchema, EventsPageSchema } from '../../../src/protocol/index.ts';
import { AlertsPanel } from '../components/alerts-panel.tsx';
import { ApprovalsQueue } from '../components/approvals-queue.tsx';
import { AuditLog } from '../components/audit-log.tsx';
import { MemoryView } from '../components/memory-view.tsx';
import { ChatPanel } from '../components/chat-panel.tsx';
import { ClusterOverview } from '../components/cluster-overview.tsx';
import { EventsFeed } from '../components/events-feed.tsx';
import { FreshnessContext } from '../components/freshness-context.ts';
import { GuestTable } from '../components/guest-table.tsx';
import { HeaderBar } from '../components/header-bar.tsx';
import { StaleBanner } from '../components/stale-banner.tsx';
import { TaskList } from '../components/task-list.tsx';
import { DEFAULT_HEAP_LIMIT, useHeap } from '../hooks/use-heap.ts';
import { useNow } from '../hooks/use-now.ts';
import { useWebSocket } from '../hooks/use-web-socket.ts';
import { apiRequest } from '../lib/api.ts';
import { DashboardStore } from '../lib/dashboard-store.ts';
import { thresholdsFromQuery } from '../lib/freshness.ts';
import type { VisualMode } from '../lib/visual-mode.ts';

/**
 * The dashboard: one store, one socket (useWebSocket), one 1 s clock for ages. On every connect
 * it also refetches approvals and recent events over HTTP (the WS then keeps them current).
 */
export function DashboardPage({ mode, onMode }: { mode: VisualMode; onMode: (mode: VisualMode) => void }) {
  const [store] = useState(() => new DashboardStore());
  const { status, closeReason, reconnect } = useWebSocket(store);
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const now = useNow(1_000);
  const thresholds = useMemo(() => thresholdsFromQuery(window.location.search), []);
  const heapLimit = useMemo(() => Number(new URLSearchParams(window.location.search).get('heapLimitMb')) * 1024 * 1024 || DEFAULT_HEAP_LIMIT, []);
  const heap = useHeap(heapLimit, () => {
    store.reset();
    reconnect();
  });

  useEffect(() => {
    // Benchmarks (?bench) read the store to know when every frame was applied.
    if (!new URLSearchParams(window.location.search).has('bench')) return undefined;
    (window as unknown as { __jarvisStore?: DashboardStore }).__jarvisStore = store;
    return () => {
      delete (window as unknown as { __jarvisStore?: DashboardStore }).__jarvisStore;
    };
  }, [store]);

  useEffect(() => {
    if (status !== 'connected') return undefined;
    const abort = new AbortController();
    void apiRequest('/api/approvals?status=all', ApprovalsListSchema, { signal: abort.signal }).then((result) => result.ok && store.setApprovals(result.value.approvals));
    void apiRequest('/api/events?limit=100', EventsPageSchema, { signal: abort.signal }).then((result) => result.ok && store.mergeEvents(result.value.events));
    return () => abort.abort();
  }, [status, store]);

  const freshness = useMemo(() => ({ now, offsetMs: store.clock.offsetMs, thresholds }), [now, store, thresholds, state]);
  const loaded = state.user !== undefined;
  const role = state.user?.role;
  const canAct = role === 'operator' || role === 'admin';

  return (
    <FreshnessContext.Provider value={freshness}>
      <div className="scanlines" aria-hidden="true" />
      <HeaderBar status={status} freeze={state.freeze} settings={state.settings} role={role} userName={state.user?.name} mode={mode} onMode={onMode} heapBytes={heap} heapLimit={heapLimit} onFreeze={(freeze) => store.setFreeze(freeze)} onSettings={(settings) => store.setSettings(settings)} />
      <StaleBanner status={status} takenAt={state.snapshot?.takenAt} serverFresh={state.data?.fresh !== false} />
      {status !== 'connected' && closeReason ? <div className="stale-banner" role="status" data-testid="close-reason">⚠ Jarvis closed the live connection: {closeReason}. Retrying with backoff.</div> : null}
      {state.freeze?.frozen ? <div className="frozen-banner" role="status">■ Emergency stop active: every action is denied{state.freeze.reason ? ` (${state.freeze.reason})` : ''}.</div> : null}
      <main className="layout">
        <div className="column-main">
          <ClusterOverview snapshot={state.snapshot} data={state.data} lastKnownNodes={state.lastKnownNodes} store={store} loaded={loaded} />
          <GuestTable snapshot={state.snapshot} lastKnownGuests={state.lastKnownGuests} store={store} canAct={canAct} loaded={loaded} />
          <AuditLog live={state.audit} liveTs={state.lastServerTs} />
          <MemoryView role={role} />
        </div>
        <div className="column-side">
          <AlertsPanel onMessage={store.onMessage} canAct={canAct} connected={status === 'connected'} />
          <ApprovalsQueue approvals={state.approvals} canApprove={canAct} store={store} loaded={loaded} dataTs={state.lastServerTs} />
          <TaskList tasks={state.tasks} loaded={loaded} dataTs={state.lastServerTs} />
          <EventsFeed events={state.events} loaded={loaded} dataTs={state.lastServerTs} />
          <ChatPanel aiEnabled={state.settings?.aiEnabled} role={role} />
        </div>
      </main>
    </FreshnessContext.Provider>
  );
}
