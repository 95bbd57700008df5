import type { SimHostView } from '../host-view.ts';

/** What a simulated shell command prints and how it exits. */
export interface SimCommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Values captured from an argv pattern, by placeholder name. */
export type Captures = Readonly<Record<string, string>>;

/**
 * One command the simulated node answers. `pattern` is matched against argv element by element:
 * a literal string must be equal; `{name}` captures the element. Nothing else is accepted.
 */
export interface SimCommand {
  readonly pattern: readonly string[];
  answer(view: SimHostView, node: string, captures: Captures, hooks: SimShellHooks): SimCommandResult | Promise<SimCommandResult>;
}

/** Optional effects of remediation commands on the simulated world (the read-only view cannot change it). */
export interface SimShellHooks {
  /** `systemctl restart <unit>.service` of a unit the node has: make the restart visible (unit active, journal lines). */
  restartService?(node: string, unit: string): void;
  /** `pvesh get <path>` on `node`: answer from the simulated PVE API itself (see `pveshFromRoutes`); otherwise a small built-in set. */
  pveshGet?(node: string, path: string): SimCommandResult | Promise<SimCommandResult>;
}

/**
 * Hooks for a world that exposes `setService` and `addJournal` (SimWorld does): a restart turns
 * the unit active/running and logs systemd's Stopped/Started lines.
 */
export function serviceRestartHooks(world: {
  setService(node: string, unit: string, activeState: string, subState: string): void;
  addJournal(node: string, unit: string, identifier: string, priority: number, message: string, pid?: number): void;
}): SimShellHooks {
  return {
    restartService(node, unit) {
      world.addJournal(node, unit, 'systemd', 6, `Stopped ${unit}.service.`, 1);
      world.setService(node, unit, 'active', 'running');
      world.addJournal(node, unit, 'systemd', 6, `Started ${unit}.service.`, 1);
    },
  };
}

export const stdout = (text: string, exitCode = 0): SimCommandResult => ({ stdout: text, stderr: '', exitCode });
export const stderr = (text: string, exitCode: number): SimCommandResult => ({ stdout: '', stderr: text, exitCode });

/** Matches argv against a pattern; returns the captures or undefined. */
export function matchPattern(argv: readonly string[], pattern: readonly string[]): Captures | undefined {
  if (argv.length !== pattern.length) return undefined;
  const captures: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index += 1) {
    const expected = pattern[index]!;
    const actual = argv[index]!;
    const placeholder = /^\{(\w+)\}$/.exec(expected);
    if (placeholder) captures[placeholder[1]!] = actual;
    else if (expected !== actual) return undefined;
  }
  return captures;
}
