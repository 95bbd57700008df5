/**
 * When the analysis runs: the adaptive cadence of core/anomaly/cadence.ts (at once when an
 * incident opens, then backing off to the calm interval; calm means no calls), checked after each
 * evaluation and by a timer of its own between polls. A crashed analysis is logged and the
 * cadence moves on; the timer never dies while the monitor runs.
 */
import { initialCadence, nextCadence, type CadenceState } from '../../core/anomaly/index.ts';
import { toJarvisError } from '../../core/errors.ts';
import type { Analyse } from './monitor-analysis.ts';
import type { MonitorDeps, MonitorSettings } from './monitor-types.ts';

export interface AnalysisSchedule {
  readonly cadence: CadenceState;
  readonly running: boolean;
  /** Runs the analysis if the cadence says it is due. Never throws. */
  tick(): Promise<void>;
  /** Moves the cadence after an evaluation: sooner when an incident opened, calm once nothing is active. */
  afterEvaluation(opened: boolean, activeAlerts: number, at: number): void;
  /** Starts the timer (and `running`). */
  start(): void;
  /** Stops the timer; a tick in flight does not reschedule. */
  stop(): void;
}

export function createAnalysisSchedule(
  deps: Pick<MonitorDeps, 'clock' | 'logger'>,
  config: MonitorSettings['cadence'],
  analyse: Analyse,
  activeAlerts: () => number,
): AnalysisSchedule {
  const { clock, logger } = deps;
  let cadence: CadenceState = initialCadence(clock.now(), config);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;

  async function tick(): Promise<void> {
    const now = clock.now();
    if (now < cadence.nextAt) return;
    try {
      await analyse(now);
    } catch (error) {
      logger.error({ error: toJarvisError(error).message }, 'monitor analysis crashed');
    }
    cadence = nextCadence(cadence, activeAlerts() > 0 ? 'analysed' : 'all-clear', now, config);
  }

  function schedule(): void {
    if (!running) return;
    const delay = Math.max(1_000, Math.min(cadence.nextAt - clock.now(), config.incidentMs));
    timer = setTimeout(() => {
      void tick().finally(schedule);
    }, delay);
  }

  return {
    get cadence() {
      return cadence;
    },
    get running() {
      return running;
    },
    tick,
    afterEvaluation(opened, active, at) {
      if (opened) cadence = nextCadence(cadence, 'incident-opened', at, config);
      else if (active === 0 && cadence.intervalMs !== config.calmMs) cadence = nextCadence(cadence, 'all-clear', at, config);
    },
    start() {
      running = true;
      schedule();
    },
    stop() {
      running = false;
      if (timer) clearTimeout(timer);
    },
  };
}
