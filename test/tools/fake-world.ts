/**
 * An in-memory cluster for tool and MCP tests: implements ClusterApi, ShellRunner and DockerApi
 * over one mutable world, with fault switches that mimic the simulator's (PVE 500, hang,
 * malformed JSON, SSH hang, Docker down). Hangs honour the abort signal like real adapters would
 * not necessarily do, so the wrapper's own deadline is what the tests exercise (signal ignored).
 */
import type { ClusterSnapshot, Guest } from '../../src/core/domain/cluster.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../src/core/errors.ts';
import type { ClusterApi, GuestStatusDetail, NodeStatusDetail, ServiceState } from '../../src/core/ports/cluster.ts';
import type { ContainerDetail, DockerApi } from '../../src/core/ports/docker.ts';
import type { CommandOutput, ShellRunner } from '../../src/core/ports/shell.ts';
import type { RenderedCommand } from '../../src/core/safety/command-catalogue.ts';

export type PveFault = 'none' | 'pve500' | 'hang' | 'malformed';

export interface FakeContainer {
  name: string;
  image: string;
  state: string;
  startedAt: number;
  labels: Record<string, string>;
}

export class FakeWorld {
  now = Date.UTC(2026, 10, 25, 9, 0, 0);
  pveFault: PveFault = 'none';
  sshHang = false;
  dockerDown = false;
  /** Calls that reached an actuator (what actually ran). */
  readonly executed: string[] = [];
  guests: Guest[] = [
    guest(100, 'pve', 'web01', 'running'),
    guest(101, 'agent', 'db01', 'running'),
    guest(102, 'pve', 'backup', 'stopped'),
    guest(103, 'agent1', 'management', 'running'),
  ];
  nodes = ['Home', 'pve', 'agent1', 'agent'];
  /** Overrides the stdout of a catalogue command by id (e.g. hostile remediation output). */
  commandOutput: Record<string, string> = {};
  syslogLines: string[] = ['Nov 25 08:59:01 agent1 pvedaemon[1234]: <root@pam> starting task', 'Nov 25 08:59:02 agent1 kernel: eth0 link up'];
  services: ServiceState[] = [
    { service: 'pveproxy', name: 'pveproxy', desc: 'PVE API Proxy Server', state: 'running', activeState: 'active', unitState: 'enabled' },
    { service: 'pvestatd', name: 'pvestatd', desc: 'PVE Status Daemon', state: 'dead', activeState: 'failed', unitState: 'enabled' },
  ];
  containers: FakeContainer[] = [
    { name: 'jarvis', image: 'jarvis:latest', state: 'running', startedAt: this.now / 1000 - 3600, labels: {} },
    { name: 'grafana', image: 'grafana/grafana', state: 'running', startedAt: this.now / 1000 - 7200, labels: { note: 'dashboards' } },
  ];
  diskLines = ['Filesystem 1B-blocks Used Available Capacity Mounted on', '/dev/sda1 100000000000 91000000000 9000000000 91% /'];

  snapshot(): ClusterSnapshot {
    const nodes = this.nodes.map((name) => ({
      name,
      status: 'online' as const,
      votes: 1,
      cpu: 0.2,
      maxcpu: 8,
      mem: 4e9,
      maxmem: 16e9,
      disk: 10e9,
      maxdisk: 100e9,
      uptime: 1000,
    }));
    return {
      version: 1,
      takenAt: this.now,
      clusterName: 'homelab',
      quorum: { quorate: true, nodesTotal: 4, votesOnline: 4, votesTotal: 4, votesNeeded: 3 },
      nodes,
      guests: this.guests,
      storage: [
        { id: 'storage/pve/local', storage: 'local', node: 'pve', type: 'dir', status: 'available', shared: false, content: ['iso'], used: 90, total: 100 },
      ],
    };
  }

  /** Applies the PVE fault, then produces `value`. */
  private async pve<T>(value: () => T): Promise<Result<T, JarvisError>> {
    await Promise.resolve();
    switch (this.pveFault) {
      case 'pve500':
        return err(jarvisError('PVE_ERROR', 'PVE answered 500 Internal Server Error', { retryable: true }));
      case 'malformed':
        return err(jarvisError('PVE_BAD_RESPONSE', 'PVE answered malformed JSON'));
      case 'hang':
        return new Promise(() => undefined);
      default:
        return ok(value());
    }
  }

  readonly cluster: ClusterApi = {
    version: () => this.pve(() => ({ version: '8.3.2', release: '8.3' })),
    listGuests: (node) => this.pve(() => this.guests.filter((g) => g.node === node).map((g) => ({ ...g }))),
    readSnapshot: () => this.pve(() => this.snapshot()),
    nodeStatus: (node) =>
      this.pve((): NodeStatusDetail => {
        if (!this.nodes.includes(node)) throw new Error('unreachable in fake');
        return {
          node,
          uptime: 1000,
          cpu: 0.25,
          loadavg: [0.5, 0.4, 0.3],
          memory: { total: 16e9, used: 8e9, free: 8e9 },
          rootfs: { total: 100e9, used: 50e9, free: 50e9, avail: 50e9 },
          cpus: 8,
        };
      }),
    rrdData: () => this.pve(() => []),
    guestStatus: (node, type, vmid) =>
      this.pve((): GuestStatusDetail => {
        const g = this.guests.find((candidate) => candidate.vmid === vmid)!;
        return { vmid, type, node, name: g.name, status: g.status, cpu: 0.1, cpus: 2, mem: 1e9, maxmem: 2e9, tags: g.tags, haManaged: false, agent: false };
      }),
    guestConfig: () => this.pve(() => ({})),
    storageStatus: () => this.pve(() => []),
    guestSnapshots: () => this.pve(() => [{ name: 'current', description: 'You are here!', current: true }]),
    backupVolumes: () => this.pve(() => []),
    services: () => this.pve(() => this.services),
    serviceState: (_node, service) =>
      this.pve(
        () =>
          this.services.find((s) => s.service === service) ?? {
            service,
            name: service,
            desc: '',
            state: 'dead',
            activeState: 'inactive',
            unitState: 'disabled',
          },
      ),
    // Paged like PVE's /syslog: from the oldest line (`start` 0 by default), with the total.
    syslog: (_node, query) =>
      this.pve(() => {
        const start = query.start ?? 0;
        return {
          total: this.syslogLines.length,
          lines: this.syslogLines.slice(start, start + (query.limit ?? 50)).map((t, index) => ({ n: start + index + 1, t })),
        };
      }),
    clusterTasks: () => this.pve(() => []),
    clusterLog: () => this.pve(() => []),
    taskStatus: (task) =>
      this.pve(() => ({
        upid: task.upid,
        node: task.node,
        type: 'qmstop',
        id: '1',
        user: 'root@pam',
        starttime: 1,
        status: 'stopped' as const,
        exitstatus: 'OK',
        succeeded: true,
      })),
    taskLog: () => this.pve(() => ({ total: 0, lines: [] })),
  };

  readonly shell: ShellRunner = {
    run: (node, command) => this.ssh(node, command),
    doRun: (node, command) => {
      this.executed.push(`ssh ${node} ${command.argv.join(' ')}`);
      return this.ssh(node, command);
    },
  };

  private async ssh(node: string, command: RenderedCommand): Promise<Result<CommandOutput, JarvisError>> {
    if (this.sshHang) return new Promise(() => undefined);
    const stdout =
      this.commandOutput[command.id] ??
      (command.id === 'disk_usage' ? this.diskLines.join('\n') : command.id === 'journal' ? this.syslogLines.join('\n') : `${command.id} ok`);
    return ok({ node, commandId: command.id, exitCode: 0, stdout, stderr: '', truncated: false });
  }

  private detail(container: FakeContainer): ContainerDetail {
    return {
      id: `${container.name}-id`,
      name: container.name,
      image: container.image,
      state: container.state,
      status: container.state === 'running' ? 'Up' : 'Exited (0)',
      created: 0,
      labels: container.labels,
      running: container.state === 'running',
      restartCount: 0,
      startedAt: new Date(container.startedAt * 1000).toISOString(),
    };
  }

  private async docker<T>(value: () => Result<T, JarvisError>): Promise<Result<T, JarvisError>> {
    await Promise.resolve();
    if (this.dockerDown) return err(jarvisError('DOCKER_UNREACHABLE', 'Docker daemon docker@103 is not answering'));
    return value();
  }

  readonly dockerApi: DockerApi = {
    hosts: () => ['docker@103'],
    ping: () => this.docker(() => ok({ apiVersion: '1.45', version: '27.0' })),
    listContainers: () => this.docker(() => ok(this.containers.map((c) => this.detail(c)))),
    inspectContainer: (_host, name) =>
      this.docker(() => {
        const found = this.containers.find((c) => c.name === name);
        return found ? ok(this.detail(found)) : err(jarvisError('DOCKER_NOT_FOUND', `no container ${name}`));
      }),
    containerLogs: (_host, name) => this.docker(() => ok({ lines: [{ stream: 'stdout' as const, text: `${name} started` }], truncated: false })),
    doContainerAction: (host, name, action) =>
      this.docker(() => {
        const found = this.containers.find((c) => c.name === name)!;
        const before = found.state;
        this.executed.push(`docker ${host} ${action} ${name}`);
        found.state = action === 'stop' ? 'exited' : 'running';
        if (action !== 'stop') found.startedAt = this.now / 1000;
        return ok({ host, container: name, action, changed: true, before, after: found.state });
      }),
  };

  /** Power action on a guest (what the executor runs after the kernel allowed it). */
  powerAction(vmid: number, action: string): void {
    this.executed.push(`guest ${vmid} ${action}`);
    this.guests = this.guests.map((g) => (g.vmid === vmid ? { ...g, status: action === 'stop' || action === 'shutdown' ? 'stopped' : 'running' } : g));
  }
}

function guest(vmid: number, node: string, name: string, status: string): Guest {
  return { vmid, type: 'qemu', node, name, status, template: false, tags: [], cpu: 0.1, maxcpu: 2, mem: 1e9, maxmem: 2e9, uptime: 100 };
}
