import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../sim/index.ts';

/**
 * Starts the embedded simulated cluster in-process (`npm start` with no pve.url). The seed
 * topology by default; callers may pass a seed, sizes or short durations (tests).
 */
export function startEmbeddedSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  return startSimulator({ host: '127.0.0.1', port: 0, adminPort: 0, ...options });
}
