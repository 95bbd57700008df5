/**
 * The monitor against the embedded simulator, over the wire: real PVE client (HTTPS), real SSH
 * runner and Docker adapter against the simulator's servers, a manual clock shared by the
 * simulated world and the monitor. Used by the end-to-end tests and bench/monitor.bench.ts.
 *
 * `guarded: true` composes as production does instead of standing in: the guarded executor from
 * buildExecutor (kernel + SQLite tickets, emergency stop and hash-chained audit from
 * openKernelStores, runners over the same wire) and the monitor from buildMonitor. The simulated
 * world's clock then also moves with real time, so PVE tasks the executor waits for can finish.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExecutor } from '../../src/app/build-executor.ts';
import { createEventBus } from '../../src/app/events/event-bus.ts';
import { buildMonitor } from '../../src/app/monitor/build-monitor.ts';
import { createMonitor, type Monitor, type MonitorSettings } from '../../src/app/monitor/monitor.ts';
import { appOptionsFromConfig } from '../../src/cli/compose/app-options-from-config.ts';
import { openKernelStores, type KernelStores } from '../../src/cli/compose/jarvis-parts.ts';
import { MemoryAlertStore } from '../doubles/in-memory-alert-store.ts';
import { createNotifyDispatcher } from '../../src/app/monitor/notify-dispatcher.ts';
import { createPoller, type Poller } from '../../src/app/monitor/poller.ts';
import type { ExecutionOutcome } from '../../src/app/actions/execution-outcome.ts';
import { connectCluster, simulatorEndpoint, type ClusterConnection } from '../../src/cli/compose/connect-cluster.ts';
import { simulatedSideChannels } from '../../src/cli/compose/side-channels.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { Action } from '../../src/core/domain/action.ts';
import { DEFAULT_TIERS } from '../../src/core/domain/tier.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { applyScenario } from '../../src/sim/world/scenarios.ts';
import { ManualClock, recordingNotifier, scriptedGateway, testSettings } from './monitor-harness.ts';

export interface SimMonitor {
  readonly sim: RunningSimulator;
  readonly clock: ManualClock;
  /** The real PVE client pointed at the simulator (act as a human would, e.g. `doPowerAction`). */
  readonly api: ClusterConnection['api'];
  readonly poller: Poller;
  readonly monitor: Monitor;
  readonly phone: ReturnType<typeof recordingNotifier>;
  readonly model: ReturnType<typeof scriptedGateway>;
  readonly proposals: Action[];
  /** The kernel's stores (guarded mode only): audit log, tickets, emergency stop. */
  readonly kernel: KernelStores | undefined;
  /** Advances simulated time by `ms` (metrics tick along), polls once and evaluates. */
  step(ms: number): Promise<void>;
  scenario(name: string): void;
  close(): Promise<void>;
}

export interface SimMonitorOptions {
  readonly settings?: Partial<MonitorSettings>;
  readonly nodes?: number;
  readonly guests?: number;
  readonly start?: number;
  /** Compose the real guarded executor and buildMonitor (see the module comment). */
  readonly guarded?: boolean;
  /** A config file's text (YAML), loaded as `jarvis --config` would. */
  readonly configYaml?: string;
}

export async function startSimMonitor(options: SimMonitorOptions = {}): Promise<SimMonitor> {
  const clock = new ManualClock(options.start ?? Date.UTC(2026, 11, 4, 12, 0));
  const realStart = Date.now();
  const worldClock = options.guarded ? () => clock.now() + (Date.now() - realStart) : () => clock.now();
  const sim = await startSimulator({
    seed: 1,
    authDelayMs: 0,
    taskDurationMs: 50,
    metricsIntervalMs: 0,
    clock: worldClock,
    nodes: options.nodes ?? 4,
    guests: options.guests ?? 20,
  });
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-monitor-'));
  const loaded = loadConfig({
    argv: options.configYaml !== undefined ? ['--config', 'jarvis.yaml'] : [],
    env: { JARVIS_DATA_DIR: join(dir, 'data') },
    cwd: dir,
    ...(options.configYaml !== undefined ? { readFile: () => options.configYaml! } : {}),
  });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const connection = connectCluster(simulatorEndpoint(sim), { timeoutMs: 10_000, logger: silentLogger });
  if (!connection.ok) throw new Error(connection.error.message);
  const side = await simulatedSideChannels(sim, loaded.value.config);
  const poller = createPoller({ cluster: connection.value.api, clock, logger: silentLogger }, { intervalMs: 10_000, staleAfterMs: 3_600_000 });
  const phone = recordingNotifier('phone');
  const model = scriptedGateway();
  const proposals: Action[] = [];
  const nodes = sim.world.nodeNames();
  const settings = testSettings({ sshNodes: nodes, ...options.settings });
  let monitor: Monitor;
  let kernel: KernelStores | undefined;
  if (options.guarded) {
    // As create-jarvis composes it (steps 4 and 5b), over real SQLite stores in the temp data dir.
    const stores = openKernelStores(loaded.value.config);
    if (!stores.ok) throw new Error(stores.error.message);
    kernel = stores.value;
    const appOptions = appOptionsFromConfig(loaded.value.config, { simulated: true });
    const bus = createEventBus(silentLogger);
    const api = connection.value.api;
    const ports = {
      cluster: api,
      actuator: api,
      services: api,
      clock,
      logger: silentLogger,
      audit: stores.value.audit,
      tickets: stores.value.tickets,
      settingsStore: stores.value.settingsStore,
      locks: stores.value.locks,
      shell: side.shell,
      docker: side.docker,
      newId: () => randomUUID(),
      alertStore: new MemoryAlertStore(),
      notifiers: [phone],
      bus,
      gateway: model.gateway,
    };
    const executor = buildExecutor(appOptions, ports, { audit: stores.value.audit, events: bus });
    const recording = {
      ...executor,
      propose: (action: Action, more?: Parameters<typeof executor.propose>[1]) => (proposals.push(action), executor.propose(action, more)),
    };
    monitor = buildMonitor(settings, ports, { poller, executor: recording, publish: () => undefined });
  } else {
    // Stands in for the guarded executor's outcome by tier (the kernel itself is tested in test/kernel).
    const executor = {
      async propose(action: Action): Promise<ExecutionOutcome> {
        proposals.push(action);
        const tier = DEFAULT_TIERS[action.kind];
        if (tier === 'red')
          return {
            status: 'needs-confirmation',
            approval: { id: `t${proposals.length}`, expiresAt: clock.now() + 300_000, reasons: [], plan: { steps: [action.kind] } },
          } as unknown as ExecutionOutcome;
        return { status: 'done', summary: `${action.kind} ok`, noOp: false } as unknown as ExecutionOutcome;
      },
    };
    const dispatcher = createNotifyDispatcher([phone], {
      retries: 2,
      backoffMs: 1,
      sleep: async () => undefined,
      now: () => clock.now(),
      logger: silentLogger,
    });
    monitor = createMonitor(
      {
        poller,
        cluster: connection.value.api,
        shell: side.shell,
        docker: side.docker,
        executor,
        readFreeze: async () => false,
        gateway: model.gateway,
        store: new MemoryAlertStore(),
        dispatcher,
        clock,
        logger: silentLogger,
      },
      settings,
    );
  }
  return {
    sim,
    clock,
    api: connection.value.api,
    poller,
    monitor,
    phone,
    model,
    proposals,
    kernel,
    async step(ms) {
      const ticks = Math.max(1, Math.round(ms / 2000));
      clock.advance(ms);
      sim.world.tick(Math.min(ticks, 30));
      const result = await poller.tick();
      await monitor.evaluate(result);
      await monitor.analysisTick();
      await monitor.notificationsIdle();
    },
    scenario(name) {
      const problem = applyScenario(sim.world, name);
      if (problem) throw new Error(problem);
    },
    async close() {
      await monitor.stop();
      await poller.stop();
      await side.close();
      kernel?.close();
      connection.value.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
