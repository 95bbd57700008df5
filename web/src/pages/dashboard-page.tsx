import { useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { ApprovalsListSchema, EventsPageSchema } from '../../../src/protocol/index.ts';
import { ApprovalsQueue } from '../components/approvals-queue.tsx';
import { AuditLog } from '../components/audit-log.tsx';
import { ChatPanel } from '../components/chat-panel.tsx';
import { ClusterOverview } from '../components/cluster-overview.tsx';
import { EventsFeed } from '../components/events-feed.tsx';
import { FreshnessContext, useAge } from '../components/freshness-context.ts';
import { GuestTable } from '../components/guest-table.tsx';
import { HeaderBar } from '../components/header-bar.tsx';
import { HealthStrip } from '../components/health-strip.tsx';
import { HeapFooter } from '../components/heap-footer.tsx';
import { NavTabs } from '../components/nav-tabs.tsx';
import { StaleBanner } from '../components/stale-banner.tsx';
import { TaskList } from '../components/task-list.tsx';
import { Topology } from '../components/topology.tsx';
import { useAlertCount } from '../hooks/use-alert-count.ts';
import { useBackupCatalog } from '../hooks/use-backup-catalog.ts';
import { DEFAULT_HEAP_LIMIT, useHeap } from '../hooks/use-heap.ts';
import { useNow } from '../hooks/use-now.ts';
import { useWebSocket } from '../hooks/use-web-socket.ts';
import { apiRequest } from '../lib/api.ts';
import type { ConnectionStatus } from '../lib/connection-status.ts';
import { pendingForYou } from '../lib/approval-view.ts';
import { DashboardStore } from '../lib/dashboard-store.ts';
import { freshnessLevel, thresholdsFromQuery } from '../lib/freshness.ts';
import { useRoute } from '../lib/router.ts';
import type { VisualMode } from '../lib/visual-mode.ts';
import { EXTRA_VIEWS } from '../slots.tsx';
import { BackupsPage } from './backups-page.tsx';
import { GuestPage } from './guest-page.tsx';
import { NodePage } from './node-page.tsx';
import { TasksPage } from './tasks-page.tsx';
import { UsersPage } from './users-page.tsx';

/** Freshness of the cluster data for the sticky badge (needs the context, so it is a hook). */
function useDataLevel(takenAt: number | undefined) {
  const { thresholds } = useContext(FreshnessContext);
  return freshnessLevel(useAge(takenAt), thresholds);
}

function Header(props: Omit<Parameters<typeof HeaderBar>[0], 'dataLevel'> & { takenAt: number | undefined }) {
  const dataLevel = useDataLevel(props.takenAt);
  return <HeaderBar {...props} dataLevel={dataLevel} />;
}

/**
 * The dashboard: one store, one socket (useWebSocket), one 1 s clock for ages; hash routes for the
 * views. The sticky top holds the header (health badge, emergency stop, AI status, mode), the
 * cluster health strip and the view tabs; the overview's first screen is the guest table.
 */
export function DashboardPage({ mode, onMode }: { mode: VisualMode; onMode: (mode: VisualMode) => void }) {
  const [store] = useState(() => new DashboardStore());
  const { status: socketStatus, closeReason, reconnect } = useWebSocket(store);
  // A server that refused or closed the socket with a reason is red at once (no 45 s of yellow).
  const status: ConnectionStatus = socketStatus !== 'connected' && closeReason ? 'disconnected' : socketStatus;
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const now = useNow(1_000);
  const route = useRoute();
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
    void apiRequest('/api/approvals?status=all', ApprovalsListSchema, { signal: abort.signal }).then(
      (result) => result.ok && store.setApprovals(result.value.approvals),
    );
    void apiRequest('/api/events?limit=100', EventsPageSchema, { signal: abort.signal }).then((result) => result.ok && store.mergeEvents(result.value.events));
    return () => abort.abort();
  }, [status, store]);

  const freshness = useMemo(() => ({ now, offsetMs: store.clock.offsetMs, thresholds }), [now, store, thresholds, state]);
  const loaded = state.user !== undefined;
  const role = state.user?.role;
  const canAct = role === 'operator' || role === 'admin';
  // The chip and tab count what waits for *you*: your own proposals are confirmed inline, not here.
  const pending = pendingForYou(state.approvals.values(), state.user?.name);
  const extra = EXTRA_VIEWS.find((view) => view.id === route.page);
  // Backup archives on storage (slow cadence, server-cached) and the open alert count (live frames).
  const backupCatalog = useBackupCatalog(state.tasks, status === 'connected');
  const archives = backupCatalog.data?.volumes;
  const alertCount = useAlertCount(store.onMessage, status === 'connected');

  let body;
  if (route.page === 'guest' && route.param !== undefined)
    body = (
      <GuestPage
        vmid={Number(route.param)}
        snapshot={state.snapshot}
        tasks={state.tasks}
        archives={archives}
        store={store}
        canAct={canAct}
        mode={mode}
        loaded={loaded}
      />
    );
  else if (route.page === 'node' && route.param !== undefined)
    body = (
      <NodePage
        name={route.param}
        snapshot={state.snapshot}
        lastKnown={state.lastKnownNodes.get(route.param)}
        tasks={state.tasks}
        mode={mode}
        loaded={loaded}
      />
    );
  else if (route.page === 'backups') body = <BackupsPage snapshot={state.snapshot} tasks={state.tasks} catalog={backupCatalog} loaded={loaded} />;
  else if (route.page === 'tasks') body = <TasksPage tasks={state.tasks} events={state.events} loaded={loaded} dataTs={state.lastServerTs} />;
  else if (route.page === 'users') body = <UsersPage role={role} userName={state.user?.name} />;
  else if (route.page === 'approvals')
    body = (
      <ApprovalsQueue
        approvals={state.approvals}
        canApprove={canAct}
        userName={state.user?.name}
        focusId={route.param}
        store={store}
        loaded={loaded}
        dataTs={state.lastServerTs}
      />
    );
  else if (extra)
    body = (
      <section className="panel" aria-label={extra.label}>
        {extra.render({ onMessage: store.onMessage, role, canAct, connected: status === 'connected' })}
      </section>
    );
  else {
    body = (
      <>
        <div className="layout">
          <div className="column-main">
            <GuestTable
              snapshot={state.snapshot}
              lastKnownGuests={state.lastKnownGuests}
              store={store}
              canAct={canAct}
              loaded={loaded}
              tasks={state.tasks}
              archives={archives}
            />
          </div>
          <div className="column-side">
            <ApprovalsQueue
              approvals={state.approvals}
              canApprove={canAct}
              userName={state.user?.name}
              store={store}
              loaded={loaded}
              dataTs={state.lastServerTs}
            />
            <TaskList tasks={state.tasks} loaded={loaded} dataTs={state.lastServerTs} />
            {canAct ? <ChatPanel aiEnabled={state.settings?.aiEnabled} role={role} /> : null}
            <EventsFeed events={state.events} loaded={loaded} dataTs={state.lastServerTs} />
          </div>
        </div>
        <ClusterOverview snapshot={state.snapshot} data={state.data} lastKnownNodes={state.lastKnownNodes} loaded={loaded} />
        <section className="panel hud-only-emphasis" aria-labelledby="topology-heading">
          <header className="panel-header">
            <h2 id="topology-heading">Jarvis's own chain</h2>
          </header>
          <Topology self={state.self} snapshot={state.snapshot} />
        </section>
        <AuditLog live={state.audit} liveTs={state.lastServerTs} />
      </>
    );
  }

  return (
    <FreshnessContext.Provider value={freshness}>
      <div className="scanlines" aria-hidden="true" />
      <div className="sticky-top">
        <Header
          status={status}
          takenAt={state.snapshot?.takenAt}
          freeze={state.freeze}
          settings={state.settings}
          aiStatus={state.aiStatus}
          role={role}
          userName={state.user?.name}
          mode={mode}
          onMode={onMode}
          onRetry={reconnect}
          onFreeze={(freeze) => store.setFreeze(freeze)}
          onSettings={(settings) => store.setSettings(settings)}
        />
        <HealthStrip snapshot={state.snapshot} data={state.data} approvalsPending={pending} alerts={alertCount} status={status} />
        <NavTabs page={route.page} role={role} extra={EXTRA_VIEWS} approvalsPending={pending} />
        <StaleBanner status={status} takenAt={state.snapshot?.takenAt} serverFresh={state.data?.fresh !== false} />
        {status !== 'connected' && closeReason ? (
          <div className="stale-banner" role="status" data-testid="close-reason">
            ⚠ Jarvis closed the live connection: {closeReason}. Retrying with backoff — or use “Retry now”.
          </div>
        ) : null}
        {state.freeze?.frozen ? (
          <div className="frozen-banner" role="status">
            ■ Emergency stop active: every action is denied{state.freeze.reason ? ` (${state.freeze.reason})` : ''}.
          </div>
        ) : null}
      </div>
      <main className="page">{body}</main>
      <HeapFooter heapBytes={heap} heapLimit={heapLimit} />
    </FreshnessContext.Provider>
  );
}
