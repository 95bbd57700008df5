import { loadDockerApi } from '../../adapters/docker/load-docker-api.ts';
import { createDockerApi } from '../../adapters/docker/index.ts';
import { SshShellRunner } from '../../adapters/ssh/index.ts';
import { loadSshShellRunner } from '../../adapters/ssh/load-ssh-shell-runner.ts';
import type { JarvisConfig } from '../../config/index.ts';
import type { DockerApi } from '../../core/ports/docker.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { ShellRunner } from '../../core/ports/shell.ts';
import { startSimDockerApi } from '../../sim/docker/index.ts';
import type { RunningSimulator } from '../../sim/index.ts';
import { pveshFromRoutes, serviceRestartHooks, startSimSshServers } from '../../sim/ssh/index.ts';

/** SSH and Docker access for the tools; either may be absent (the tools then say why). */
export interface SideChannels {
  readonly shell?: ShellRunner | undefined;
  readonly docker?: DockerApi | undefined;
  /** Why a channel is absent (not configured, or failed to load), for `jarvis doctor`. */
  readonly absent: { readonly ssh?: string | undefined; readonly docker?: string | undefined };
  close(): Promise<void>;
}

/**
 * Embedded simulator: start its SSH servers (one per node, host keys pinned through the generated
 * known_hosts) and its Docker Engine endpoints, and point the REAL SSH and Docker adapters at them.
 */
export async function simulatedSideChannels(simulator: RunningSimulator, config: JarvisConfig): Promise<SideChannels> {
  // Hooks: a simulated `systemctl restart` really restarts the unit, `pvesh get` answers from the PVE routes.
  const ssh = await startSimSshServers(simulator.world, {
    hooks: { ...serviceRestartHooks(simulator.world), pveshGet: pveshFromRoutes(simulator.world, simulator.fingerprint) },
  });
  const docker = await startSimDockerApi(simulator.world);
  const nodes = Object.fromEntries(Object.entries(ssh.ports).map(([node, port]) => [node, { host: ssh.host, port }]));
  const shell = new SshShellRunner({
    nodes,
    privateKey: ssh.clientKey.privateKey,
    knownHosts: ssh.knownHosts,
    username: ssh.username,
    timeoutMs: config.timeouts.sshMs,
  });
  const dockerApi = createDockerApi({ hosts: docker.urls, timeoutMs: config.timeouts.dockerMs, protectedContainers: [config.topology.self.container] });
  return {
    shell,
    docker: dockerApi.ok ? dockerApi.value : undefined,
    absent: dockerApi.ok ? {} : { docker: dockerApi.error.message },
    close: async () => {
      await ssh.close();
      await docker.close();
    },
  };
}

/**
 * Real cluster: SSH when `ssh.keyFile` is set, Docker when `docker.hosts` lists endpoints. A missing
 * or unusable one is logged (with its fix) and left out: Jarvis still starts, those tools answer
 * with the reason.
 */
export async function configuredSideChannels(config: JarvisConfig, logger: Logger): Promise<SideChannels> {
  let shell: ShellRunner | undefined;
  const absent: { ssh?: string; docker?: string } = {};
  if (config.ssh.keyFile) {
    const loaded = await loadSshShellRunner({
      nodes: config.topology.nodes,
      user: config.ssh.user,
      port: config.ssh.port,
      keyFile: config.ssh.keyFile,
      knownHostsFile: config.ssh.knownHostsFile,
      timeoutMs: config.timeouts.sshMs,
    });
    if (loaded.ok) shell = loaded.value;
    else absent.ssh = `${loaded.error.message}${loaded.error.hint ? ` (${loaded.error.hint})` : ''}`;
  } else {
    absent.ssh = 'not configured: set ssh.keyFile (JARVIS_SSH_KEY_FILE) to enable node diagnostics';
  }
  let docker: DockerApi | undefined;
  if (Object.keys(config.docker.hosts).length > 0) {
    const loaded = await loadDockerApi({
      hosts: config.docker.hosts,
      tls: config.docker.tls,
      timeoutMs: config.timeouts.dockerMs,
      protectedContainers: [config.topology.self.container],
      ssh: { keyFile: config.ssh.keyFile, knownHostsFile: config.ssh.knownHostsFile },
    });
    if (loaded.ok) docker = loaded.value;
    else absent.docker = `${loaded.error.message}${loaded.error.hint ? ` (${loaded.error.hint})` : ''}`;
  } else {
    absent.docker = 'not configured: set docker.hosts (e.g. docker@103: tcp://<vm>:2375 via a socket proxy)';
  }
  if (absent.ssh) logger.warn({}, `SSH diagnostics disabled: ${absent.ssh}`);
  if (absent.docker) logger.warn({}, `Docker tools disabled: ${absent.docker}`);
  return { shell, docker, absent, close: async () => undefined };
}
