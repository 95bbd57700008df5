/** Turns config `monitor` (+ topology, safety) into the monitor's settings. */
import type { RuleId } from '../../core/anomaly/index.ts';
import type { MaintenanceWindow } from '../../core/domain/topology.ts';
import type { MonitorSettings } from './monitor.ts';

/** The parsed `monitor` section (structural, so app does not import config). */
export interface MonitorConfig {
  readonly disabledRules: readonly string[];
  readonly rules: MonitorSettings['thresholds'];
  readonly unitsEveryMs: number;
  readonly containersEveryMs: number;
  readonly tasksEveryMs: number;
  readonly ioWaitEveryMs: number;
  readonly alerts: { readonly clearAfterMs: number; readonly flapWindowMs: number; readonly flapCount: number };
  readonly autonomy: MonitorSettings['autonomy'];
  readonly analysis: {
    readonly enabled: boolean;
    readonly calmMs: number;
    readonly incidentMs: number;
    readonly backoff: number;
    readonly escalation: MonitorSettings['escalation'];
    readonly memoryShare?: number | undefined;
  };
  readonly notify: {
    readonly dashboardUrl?: string | undefined;
    readonly channels: Readonly<Record<string, { readonly minSeverity: 'info' | 'warning' | 'critical'; readonly maxPerHour: number }>>;
    readonly quietHours: readonly { readonly days: readonly number[]; readonly start: string; readonly end: string }[];
    readonly quietMinSeverity: 'info' | 'warning' | 'critical';
    readonly digestOver: number;
    readonly retries: number;
    readonly outboxLimit: number;
  };
}

const minuteOf = (time: string): number => {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

export function monitorSettingsFrom(
  config: MonitorConfig,
  context: {
    readonly self: { readonly vmid: number; readonly node: string };
    readonly sshNodes: readonly string[];
    readonly dockerHosts: readonly string[];
    readonly maintenanceWindows: readonly MaintenanceWindow[];
    /** The dashboard channel is always routed (it has no push cost). */
    readonly dashboard: boolean;
  },
): MonitorSettings {
  return {
    thresholds: config.rules,
    disabledRules: config.disabledRules as RuleId[],
    book: { raiseAfterMs: {}, clearAfterMs: config.alerts.clearAfterMs, flapWindowMs: config.alerts.flapWindowMs, flapCount: config.alerts.flapCount },
    autonomy: config.autonomy,
    cadence: { calmMs: config.analysis.calmMs, incidentMs: config.analysis.incidentMs, backoff: config.analysis.backoff },
    analysisEnabled: config.analysis.enabled,
    memoryShare: config.analysis.memoryShare,
    escalation: config.analysis.escalation,
    routing: {
      channels: [
        ...(context.dashboard ? [{ name: 'dashboard', minSeverity: 'info' as const, maxPerHour: 1000 }] : []),
        ...Object.entries(config.notify.channels).map(([name, channel]) => ({ name, minSeverity: channel.minSeverity, maxPerHour: channel.maxPerHour })),
      ],
      quietHours: {
        windows: config.notify.quietHours.map((w) => ({ days: [...w.days], startMinute: minuteOf(w.start), endMinute: minuteOf(w.end) })),
        minSeverity: config.notify.quietMinSeverity,
      },
      digestOver: config.notify.digestOver,
    },
    unitsEveryMs: config.unitsEveryMs,
    containersEveryMs: config.containersEveryMs,
    tasksEveryMs: config.tasksEveryMs,
    ioWaitEveryMs: config.ioWaitEveryMs,
    self: context.self,
    sshNodes: context.sshNodes,
    dockerHosts: context.dockerHosts,
    maintenanceWindows: context.maintenanceWindows,
    dashboardUrl: config.notify.dashboardUrl,
    notifyRetries: config.notify.retries,
    notifyQueueLimit: config.notify.outboxLimit,
  };
}
