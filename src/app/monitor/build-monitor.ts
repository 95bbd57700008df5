/** Composes the monitor from the app's ports (create-jarvis step 5b). */
import { dashboardNotifierPort } from './dashboard-channel.ts';
import type { GuardedExecutor } from '../actions/execute-action.ts';
import type { JarvisPorts } from '../app-options.ts';
import { createMonitor, type Monitor, type MonitorDeps, type MonitorFrame, type MonitorSettings } from './monitor.ts';
import { createNotifyDispatcher } from './notify-dispatcher.ts';
import type { Poller } from './poller.ts';

export function buildMonitor(
  settings: MonitorSettings,
  ports: Pick<
    JarvisPorts,
    'audit' | 'notifiers' | 'clock' | 'logger' | 'settingsStore' | 'bus' | 'cluster' | 'shell' | 'docker' | 'gateway' | 'alertStore' | 'newId'
  >,
  parts: {
    readonly poller: Poller;
    readonly executor: GuardedExecutor | undefined;
    readonly publish: (frame: MonitorFrame) => void;
    readonly memory?: MonitorDeps['memory'];
    readonly backups?: MonitorDeps['backups'];
  },
): Monitor {
  const notifiers = [
    dashboardNotifierPort((notification) => parts.publish({ type: 'alert-notify', payload: { ...notification } })),
    ...(ports.notifiers ?? []),
  ];
  const dispatcher = createNotifyDispatcher(notifiers, {
    retries: settings.notifyRetries ?? 3,
    backoffMs: 2_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
    now: () => ports.clock.now(),
    logger: ports.logger,
  });
  const settingsStore = ports.settingsStore;
  return createMonitor(
    {
      poller: parts.poller,
      bus: ports.bus,
      cluster: ports.cluster,
      shell: ports.shell,
      docker: ports.docker,
      executor: parts.executor,
      // No persisted switch: autonomy stays off (fail closed), like the kernel with an unreadable switch.
      readFreeze: async () => {
        if (!settingsStore) return true;
        const state = await settingsStore.getFreeze();
        return state.ok ? state.value.frozen : true;
      },
      gateway: ports.gateway,
      memory: parts.memory,
      backups: parts.backups,
      store: ports.alertStore,
      dispatcher,
      publish: parts.publish,
      clock: ports.clock,
      logger: ports.logger,
      ...(ports.newId ? { newId: ports.newId } : {}),
    },
    settings,
  );
}
