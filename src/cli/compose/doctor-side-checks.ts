import type { Topology } from '../../core/domain/topology.ts';
import type { DockerApi } from '../../core/ports/docker.ts';
import { diagnoseDocker } from './doctor-docker.ts';
import { combineHealth, probeSsh, type DependencyHealth, type ShellRunner } from '../../core/ports/shell.ts';
import { check, type CheckResult } from './doctor-report.ts';

function verdictOf(name: string, health: DependencyHealth, hint: string): CheckResult {
  if (health.status === 'ok') return check(name, 'OK', health.detail);
  return check(name, health.status === 'down' ? 'FAIL' : 'WARN', health.detail, hint);
}

/**
 * SSH and Docker checks of `jarvis doctor`. Both channels are optional: not configured is a WARN
 * (those tools answer with the reason); configured but unreachable everywhere is a FAIL.
 */
export async function runSideChecks(input: {
  readonly shell?: ShellRunner | undefined;
  readonly docker?: DockerApi | undefined;
  readonly absent: { readonly ssh?: string | undefined; readonly docker?: string | undefined };
  readonly topology: Topology;
  readonly nodes: readonly string[];
  readonly now: number;
  readonly timeoutMs: number;
}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (input.shell) {
    const parts = await Promise.all(input.nodes.map((node) => probeSsh(input.shell!, node, { now: input.now, timeoutMs: input.timeoutMs })));
    results.push(verdictOf('SSH', combineHealth('ssh', parts), 'check ssh.keyFile, ssh.user and that each node\u2019s host key is in ssh.knownHostsFile'));
  } else {
    results.push(check('SSH', 'WARN', `diagnostics disabled: ${input.absent.ssh ?? 'not configured'}`, 'set ssh.keyFile (docs/configuration.md)'));
  }
  const hosts = Object.keys(input.topology.dockerHosts);
  if (input.docker && hosts.length > 0) {
    // One line per Docker host, the first failing call explained (doctor-docker.ts).
    results.push(...(await Promise.all(hosts.map((host) => diagnoseDocker(input.docker!, host, { timeoutMs: input.timeoutMs })))));
  } else {
    results.push(check('Docker', 'WARN', `container tools disabled: ${input.absent.docker ?? 'not configured'}`, 'set docker.hosts (docs/docker-proxy.md)'));
  }
  return results;
}
