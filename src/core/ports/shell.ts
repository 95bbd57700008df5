import type { JarvisError, Result } from '../errors.ts';
import type { RenderedCommand } from '../safety/command-catalogue.ts';
import { renderCommand } from '../safety/command-catalogue.ts';
import type { CallOptions } from './cluster.ts';

/** What one catalogue command printed on a node. */
export interface CommandOutput {
  readonly node: string;
  readonly commandId: string;
  /** Remote exit code; non-zero is still an `ok` Result (e.g. `systemctl status` of a failed unit exits 3). */
  readonly exitCode: number;
  /** UTF-8 text, at most the runner's output cap (bytes). */
  readonly stdout: string;
  readonly stderr: string;
  /** True when stdout or stderr was cut at the cap; the rest was discarded, not buffered. */
  readonly truncated: boolean;
}

export interface ShellRunOptions extends CallOptions {
  /** Overrides the runner's cap on stdout bytes (stderr is capped separately). */
  readonly maxOutputBytes?: number | undefined;
}

/**
 * Runs catalogue commands on cluster nodes (implemented by adapters/ssh over ssh2, host keys pinned).
 * Accepts only `RenderedCommand` values made by `renderCommand`; never a string.
 * Failures: SSH_UNREACHABLE, SSH_HOST_KEY_UNKNOWN, SSH_HOST_KEY_MISMATCH, SSH_AUTH, SSH_TIMEOUT,
 * INVALID_INPUT (unknown node, forged command), DENIED (`run` given a yellow command).
 */
export interface ShellRunner {
  /** Runs a read-only (green) diagnostic. Yellow commands are refused with DENIED: use `doRun`. */
  run(node: string, command: RenderedCommand, options?: ShellRunOptions): Promise<Result<CommandOutput, JarvisError>>;
  /** Runs any catalogue command, yellow remediations included. Call only after the safety kernel allowed it. */
  doRun(node: string, command: RenderedCommand, options?: ShellRunOptions): Promise<Result<CommandOutput, JarvisError>>;
}

/** Health of one outside dependency, as GET /health reports it (detail holds no cluster data). */
export interface DependencyHealth {
  readonly status: 'ok' | 'degraded' | 'down';
  readonly detail: string;
}

/**
 * Probes SSH to one node by running the `uptime` diagnostic: ok when it exits 0, degraded when the
 * node answers but the command fails or times out, down when it cannot connect or authenticate
 * (unreachable, host key unknown/changed, auth refused).
 */
export async function probeSsh(runner: ShellRunner, node: string, options: { now?: number; timeoutMs?: number } = {}): Promise<DependencyHealth> {
  // `uptime` takes no time parameter; `now` only satisfies the render context.
  const command = renderCommand({ id: 'uptime' }, { now: options.now ?? 0 });
  if (!command.ok) return { status: 'down', detail: command.error.message };
  try {
    const result = await runner.run(node, command.value, { timeoutMs: options.timeoutMs ?? 5000 });
    if (result.ok)
      return result.value.exitCode === 0
        ? { status: 'ok', detail: `ssh ${node}: ok` }
        : { status: 'degraded', detail: `ssh ${node}: uptime exited ${result.value.exitCode}` };
    const degraded = result.error.code === 'SSH_TIMEOUT' || result.error.code === 'SSH_COMMAND_FAILED';
    return { status: degraded ? 'degraded' : 'down', detail: `ssh ${node}: ${result.error.code}` };
  } catch {
    return { status: 'down', detail: `ssh ${node}: INTERNAL` };
  }
}

/** Combines per-node or per-host probes: ok if all ok, down if all down, degraded otherwise. */
export function combineHealth(name: string, parts: readonly DependencyHealth[]): DependencyHealth {
  if (parts.length === 0) return { status: 'down', detail: `${name}: nothing configured` };
  const healthy = parts.filter((part) => part.status === 'ok').length;
  const down = parts.filter((part) => part.status === 'down').length;
  const status = healthy === parts.length ? 'ok' : down === parts.length ? 'down' : 'degraded';
  const problems = parts.filter((part) => part.status !== 'ok').map((part) => part.detail);
  return { status, detail: `${name}: ${healthy}/${parts.length} ok${problems.length > 0 ? ` (${problems.join('; ')})` : ''}` };
}
