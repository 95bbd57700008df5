import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics, served at GET /metrics (authenticated). One instance per app:
 * the poller records poll durations and PVE errors, the WS hub connections and messages, the
 * approvals gauge reads its value at scrape time.
 */
export interface JarvisMetrics {
  readonly registry: Registry;
  /** Seconds per full-state poll; label outcome = ok | error. */
  readonly pollDuration: Histogram<'outcome'>;
  /**
   * `jarvis_dependency_latency_seconds{dependency}`: how long a dependency took to answer (or fail):
   * pve = one full-state poll (the poller), ssh / docker = one health probe per node or host
   * (GET /health's background probes, at most every 30 s).
   */
  readonly dependencyLatency: Histogram<'dependency'>;
  /** PVE call failures by error code (PVE_TIMEOUT, PVE_UNREACHABLE...). */
  readonly pveErrors: Counter<'code'>;
  readonly wsConnections: Gauge;
  /** Frames sent to WS clients, by frame type. */
  readonly wsMessagesSent: Counter<'type'>;
  /** WS connections refused, by reason (too-many-clients, unauthenticated, origin). */
  readonly wsRefused: Counter<'reason'>;
  /** Set by the approvals service or read at scrape time through `setApprovalsPendingSource`. */
  readonly approvalsPending: Gauge;
  setApprovalsPendingSource(read: () => number): void;
  /** Domain events published on the bus, by event name (src/core/ports/events.ts). */
  readonly domainEvents: Counter<'event'>;
  /**
   * `jarvis_dependency_up{dependency}` reads this at scrape time (GET /health's entries): 1 when the
   * dependency answers (ok or degraded), 0 when down; unknown entries are left out.
   */
  setDependencySource(read: () => Promise<Record<string, { status: string }>>): void;
}

/** What `jarvis_build_info` says; the CLI passes the package version and the Node version. */
export interface BuildInfo {
  readonly version: string;
  readonly node: string;
}

/**
 * prom-client's default gauges that count things but are named `_total` (the sum of their
 * per-type sibling, e.g. `nodejs_active_handles{type}`): `promtool check metrics` rejects a
 * non-counter named `_total`, so they are dropped; the per-type series stay.
 */
const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

/** Builds a fresh registry (never the global one: tests build many apps in one process). */
export function createJarvisMetrics(options: { defaultMetrics?: boolean; build?: BuildInfo | undefined } = {}): JarvisMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: 'jarvis_' });
    for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(`jarvis_${name}`);
  }
  const build = new Gauge({
    name: 'jarvis_build_info',
    help: 'Always 1; labels name the Jarvis version and the Node.js version running it',
    labelNames: ['version', 'node'],
    registers: [registry],
  });
  build.set({ version: options.build?.version ?? 'unknown', node: options.build?.node ?? 'unknown' }, 1);
  let dependencySource: (() => Promise<Record<string, { status: string }>>) | undefined;
  new Gauge({
    name: 'jarvis_dependency_up',
    help: 'Whether a dependency answers (1 ok or degraded, 0 down), as GET /health reports it',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      this.reset();
      if (!dependencySource) return;
      const entries = await dependencySource().catch((): Record<string, { status: string }> => ({}));
      for (const [dependency, entry] of Object.entries(entries)) {
        // `tools` summarises the others (GET /health); it is not a dependency.
        if (entry.status === 'unknown' || dependency === 'tools') continue;
        this.set({ dependency }, entry.status === 'down' ? 0 : 1);
      }
    },
  });
  let pendingSource: (() => number) | undefined;
  const approvalsPending = new Gauge({
    name: 'jarvis_approvals_pending',
    help: 'Confirmation tickets waiting for a human',
    registers: [registry],
    collect() {
      if (pendingSource) this.set(pendingSource());
    },
  });
  return {
    registry,
    pollDuration: new Histogram({
      name: 'jarvis_poll_duration_seconds',
      help: 'Duration of one full-state poll of the cluster',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    dependencyLatency: new Histogram({
      name: 'jarvis_dependency_latency_seconds',
      help: 'Time a dependency took to answer or fail: pve per full-state poll, ssh and docker per health probe of one node or host',
      labelNames: ['dependency'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    pveErrors: new Counter({ name: 'jarvis_pve_errors_total', help: 'Failed PVE API calls by error code', labelNames: ['code'], registers: [registry] }),
    wsConnections: new Gauge({ name: 'jarvis_ws_connections', help: 'Open dashboard WebSocket connections', registers: [registry] }),
    wsMessagesSent: new Counter({
      name: 'jarvis_ws_messages_sent_total',
      help: 'WebSocket frames sent, by frame type',
      labelNames: ['type'],
      registers: [registry],
    }),
    wsRefused: new Counter({
      name: 'jarvis_ws_refused_total',
      help: 'WebSocket connections refused, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    approvalsPending,
    domainEvents: new Counter({
      name: 'jarvis_domain_events_total',
      help: 'Domain events published (proposal.decided, ticket.opened, task.finished, ...)',
      labelNames: ['event'],
      registers: [registry],
    }),
    setApprovalsPendingSource(read) {
      pendingSource = read;
    },
    setDependencySource(read) {
      dependencySource = read;
    },
  };
}
