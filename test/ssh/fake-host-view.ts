import type { SimContainer, SimDisk, SimHostView, SimJournalEntry, SimService } from '../../src/sim/host-view.ts';

/**
 * A small, mutable SimHostView for the SSH and Docker protocol-server tests (the real world model
 * lives in src/sim/world*). Two nodes (`agent1`, `pve`) and one Docker host (`docker@103`).
 */
export class FakeHostView implements SimHostView {
  nowMs = Date.UTC(2026, 10, 25, 10, 0, 0);
  unreachable = new Set<string>();
  dockerDown = new Set<string>();
  disksByNode: Record<string, SimDisk[]> = {
    agent1: [
      { filesystem: '/dev/mapper/pve-root', mount: '/', sizeBytes: 100_000_000_000, usedBytes: 42_000_000_000 },
      { filesystem: 'rpool/data', mount: '/rpool/data', sizeBytes: 500_000_000_000, usedBytes: 100_000_000_000 },
    ],
    pve: [{ filesystem: '/dev/mapper/pve-root', mount: '/', sizeBytes: 50_000_000_000, usedBytes: 10_000_000_000 }],
  };
  servicesByNode: Record<string, SimService[]> = {
    agent1: [
      {
        unit: 'pveproxy',
        description: 'PVE API Proxy Server',
        activeState: 'active',
        subState: 'running',
        unitState: 'enabled',
        mainPid: 1234,
        since: this.nowMs / 1000 - 7200,
      },
      {
        unit: 'llama-server',
        description: 'llama.cpp server',
        activeState: 'failed',
        subState: 'failed',
        unitState: 'enabled',
        mainPid: 2345,
        since: this.nowMs / 1000 - 600,
      },
    ],
    pve: [
      {
        unit: 'pveproxy',
        description: 'PVE API Proxy Server',
        activeState: 'active',
        subState: 'running',
        unitState: 'enabled',
        mainPid: 999,
        since: this.nowMs / 1000 - 60,
      },
    ],
  };
  journalEntries: (SimJournalEntry & { node: string })[] = [
    { node: 'agent1', time: this.nowMs / 1000 - 300, unit: 'llama-server', identifier: 'llama-server', pid: 2345, priority: 3, message: 'out of memory' },
    { node: 'agent1', time: this.nowMs / 1000 - 5000, unit: 'llama-server', identifier: 'llama-server', pid: 2345, priority: 6, message: 'old line' },
  ];
  containerList: SimContainer[] = [
    {
      id: 'a'.repeat(64),
      name: 'jarvis',
      image: 'ghcr.io/jarvis/jarvis:0.1',
      state: 'running',
      status: 'Up 2 hours',
      created: 1_764_000_000,
      startedAt: 1_764_050_000,
      restartCount: 0,
      labels: { 'com.docker.compose.service': 'jarvis' },
    },
    {
      id: 'b'.repeat(64),
      name: 'uptime-kuma',
      image: 'louislam/uptime-kuma:1',
      state: 'running',
      status: 'Up 2 hours',
      created: 1_764_000_000,
      startedAt: 1_764_050_000,
      restartCount: 1,
      labels: {},
    },
    {
      id: 'c'.repeat(64),
      name: 'nginx-proxy',
      image: 'nginx:1.27',
      state: 'exited',
      status: 'Exited (0) 5 minutes ago',
      created: 1_764_000_000,
      restartCount: 0,
      labels: {},
    },
  ];
  logs: Record<string, string[]> = { 'uptime-kuma': ['line one', 'line two', 'line three'] };

  nodeNames(): string[] {
    return ['agent1', 'pve'];
  }
  isNodeReachable(node: string): boolean {
    return !this.unreachable.has(node);
  }
  now(): number {
    return this.nowMs;
  }
  uptimeSeconds(): number {
    return 3 * 86400 + 4 * 3600 + 12 * 60;
  }
  loadAverage(): [number, number, number] {
    return [0.52, 0.58, 0.59];
  }
  memory() {
    return { total: 16_000_000_000, used: 6_000_000_000, free: 8_000_000_000, available: 9_500_000_000, swapTotal: 8_000_000_000, swapUsed: 0 };
  }
  disks(node: string): SimDisk[] {
    return this.disksByNode[node] ?? [];
  }
  services(node: string): SimService[] {
    return this.servicesByNode[node] ?? [];
  }
  journal(node: string, filter: { unit?: string; sinceEpoch?: number; limit?: number }): SimJournalEntry[] {
    const matching = this.journalEntries
      .filter(
        (entry) =>
          entry.node === node &&
          (filter.unit === undefined || entry.unit === filter.unit) &&
          (filter.sinceEpoch === undefined || entry.time >= filter.sinceEpoch),
      )
      .sort((a, b) => a.time - b.time);
    return filter.limit === undefined ? matching : matching.slice(-filter.limit);
  }
  interfaces() {
    return [
      { name: 'lo', state: 'UNKNOWN' as const, addresses: ['127.0.0.1/8', '::1/128'] },
      { name: 'vmbr0', state: 'UP' as const, addresses: ['192.168.1.61/24'] },
    ];
  }
  dockerHosts(): string[] {
    return ['docker@103'];
  }
  isDockerUp(host: string): boolean {
    return !this.dockerDown.has(host);
  }
  containers(): SimContainer[] {
    return this.containerList;
  }
  containerAction(_host: string, nameOrId: string, action: 'start' | 'stop' | 'restart'): string | undefined {
    const index = this.containerList.findIndex((container) => container.name === nameOrId || container.id === nameOrId);
    if (index < 0) return `No such container: ${nameOrId}`;
    const current = this.containerList[index]!;
    const nowSeconds = this.nowMs / 1000;
    this.nowMs += 1000;
    this.containerList[index] =
      action === 'stop'
        ? { ...current, state: 'exited', status: 'Exited (0) Less than a second ago' }
        : {
            ...current,
            state: 'running',
            status: 'Up Less than a second',
            startedAt: nowSeconds,
            restartCount: current.restartCount + (action === 'restart' ? 1 : 0),
          };
    return undefined;
  }
  containerLogs(_host: string, nameOrId: string, tail: number): string[] {
    const container = this.containerList.find((candidate) => candidate.name === nameOrId || candidate.id === nameOrId);
    return (this.logs[container?.name ?? ''] ?? []).slice(-tail);
  }
}
