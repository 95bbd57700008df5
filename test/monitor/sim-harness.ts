/**
 * The monitor against the embedded simulator, over the wire: real PVE client (HTTPS), real SSH
 * runner and Docker adapter against the simulator's servers, a manual clock shared by the
 * simulated world and the monitor. Used by the end-to-end tests and bench/monitor.bench.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMonitor, type Monitor, type MonitorSettings } from '../../src/app/monitor/monitor.ts';
import { MemoryAlertStore } from '../doubles/in-memory-alert-store.ts';
import { createNotifyDispatcher } from '../../src/app/monitor/notify-dispatcher.ts';
import { createPoller, type Poller } from '../../src/app/monitor/poller.ts';
import type { ExecutionOutcome } from '../../src/app/actions/execution-outcome.ts';
import { connectCluster, simulatorEndpoint } from '../../src/cli/compose/connect-cluster.ts';
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
  readonly poller: Poller;
  readonly monitor: Monitor;
  readonly phone: ReturnType<typeof recordingNotifier>;
  readonly model: ReturnType<typeof scriptedGateway>;
  readonly proposals: Action[];
  /** Advances simulated time by `ms` (metrics tick along), polls once and evaluates. */
  step(ms: number): Promise<void>;
  scenario(name: string): void;
  close(): Promise<void>;
}

export async function startSimMonitor(options: { settings?: Partial<MonitorSettings>; nodes?: number; guests?: number; start?: number } = {}): Promise<SimMonitor> {
  const clock = new ManualClock(options.start ?? Date.UTC(2026, 11, 4, 12, 0));
  const sim = await startSimulator({ seed: 1, authDelayMs: 0, taskDurationMs: 50, metricsIntervalMs: 0, clock: () => clock.now(), nodes: options.nodes ?? 4, guests: options.guests ?? 20 });
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-monitor-'));
  const loaded = loadConfig({ argv: [], env: { JARVIS_DATA_DIR: join(dir, 'data') }, cwd: dir });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const connection = connectCluster(simulatorEndpoint(sim), { timeoutMs: 10_000, logger: silentLogger });
  if (!connection.ok) throw new Error(connection.error.message);
  const side = await simulatedSideChannels(sim, loaded.value.config);
  const poller = createPoller({ cluster: connection.value.api, clock, logger: silentLogger }, { intervalMs: 10_000, staleAfterMs: 3_600_000 });
  const phone = recordingNotifier('phone');
  const model = scriptedGateway();
  const proposals: Action[] = [];
  // Stands in for the guarded executor's outcome by tier (the kernel itself is tested in test/kernel).
  const executor = {
    async propose(action: Action): Promise<ExecutionOutcome> {
      proposals.push(action);
      const tier = DEFAULT_TIERS[action.kind];
      if (tier === 'red') return { status: 'needs-confirmation', approval: { id: `t${proposals.length}`, expiresAt: clock.now() + 300_000, reasons: [], plan: { steps: [action.kind] } } } as unknown as ExecutionOutcome;
      return { status: 'done', summary: `${action.kind} ok`, noOp: false } as unknown as ExecutionOutcome;
    },
  };
  const dispatcher = createNotifyDispatcher([phone], { retries: 2, backoffMs: 1, sleep: async () => undefined, now: () => clock.now(), logger: silentLogger });
  const nodes = sim.world.nodeNames();
  const monitor = createMonitor({
    poller, cluster: connection.value.api, shell: side.shell, docker: side.docker, executor, readFreeze: async () => false,
    gateway: model.gateway, store: new MemoryAlertStore(), dispatcher, clock, logger: silentLogger,
  }, testSettings({ sshNodes: nodes, ...options.settings }));
  return {
    sim, clock, poller, monitor, phone, model, proposals,
    async step(ms) {
      const ticks = Math.max(1, Math.round(ms / 2000));
      clock.advance(ms);
      sim.world.tick(Math.min(ticks, 30));
      const result = await poller.tick();
      await monitor.evaluate(result);
      await monitor.analysisTick();
    },
    scenario(name) {
      const problem = applyScenario(sim.world, name);
      if (problem) throw new Error(problem);
    },
    async close() {
      await monitor.stop();
      await poller.stop();
      await side.close();
      connection.value.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
