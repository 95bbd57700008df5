import { describe, expect, it } from 'vitest';
import { act, NOW, seedSnapshot, TOPOLOGY, USER } from '../../../test/kernel/fixtures.ts';
import type { Ticket } from './decision.ts';
import { NO_LOCKS } from './decision.ts';
import { decide, hashAction } from './decide.ts';

const snapshot = seedSnapshot();

describe('decide: self-protection and identity', () => {
  it('denies stopping VM 103 and names the chain to Jarvis', () => {
    const decision = decide(act('guest.stop', { type: 'guest', vmid: 103 }), snapshot, TOPOLOGY, NO_LOCKS, NOW);
    expect(decision.verdict).toBe('deny');
    expect(decision.reasons[0]).toBe('stopping VM 103 would stop Jarvis: jarvis -> docker@103 -> VM 103');
    expect(decision.blastRadius.selfChain).toEqual(['jarvis', 'docker@103', 'VM 103']);
  });

  it('denies restarting the Docker daemon on 103 and the jarvis container', () => {
    expect(decide(act('docker.restart', { type: 'docker-host', host: 'docker@103' }), snapshot, TOPOLOGY, NO_LOCKS, NOW).verdict).toBe('deny');
    const container = decide(act('container.restart', { type: 'container', host: 'docker@103', name: 'jarvis' }), snapshot, TOPOLOGY, NO_LOCKS, NOW);
    expect(container.verdict).toBe('deny');
    expect(container.reasons.join(' ')).toContain('would stop Jarvis');
  });

  it('denies a network change on the management VM address', () => {
    const decision = decide(act('network.change', { type: 'network-interface', address: '192.168.1.65', iface: 'eth0' }), snapshot, TOPOLOGY, NO_LOCKS, NOW);
    expect(decision.verdict).toBe('deny');
    expect(decision.reasons.join(' ')).toContain('network interfaces of 192.168.1.65 are protected');
  });

  it('shows both sides of an identity mismatch', () => {
    const decision = decide(act('guest.reboot', { type: 'guest', vmid: 103, name: 'web01' }), snapshot, TOPOLOGY, NO_LOCKS, NOW);
    expect(decision.verdict).toBe('deny');
    expect(decision.reasons).toContain("identity mismatch: VMID 103 is 'management' on agent1, not 'web01'");
  });

  it('denies unknown targets', () => {
    expect(decide(act('guest.reboot', { type: 'guest', vmid: 999 }), snapshot, TOPOLOGY, NO_LOCKS, NOW).reasons[0]).toContain('unknown target');
  });
});

describe('decide: quorum, freeze, locks, windows', () => {
  it('denies an act whose blast radius takes the cluster below quorum', () => {
    const oneDown = seedSnapshot({
      nodes: seedSnapshot().nodes.map((node) => (node.name === 'agent' ? { ...node, status: 'offline' as const } : node)),
      quorum: { quorate: true, nodesTotal: 4, votesOnline: 3, votesTotal: 4, votesNeeded: 3 },
    });
    const decision = decide(act('node.network', { type: 'node', node: 'pve' }), oneDown, TOPOLOGY, NO_LOCKS, NOW);
    expect(decision.verdict).toBe('deny');
    expect(decision.reasons.join(' ')).toContain('below quorum: 2 of 3');
  });

  it('lets only reads run when the cluster is not quorate', () => {
    const lost = seedSnapshot({ quorum: { quorate: false, nodesTotal: 4, votesOnline: 2, votesTotal: 4, votesNeeded: 3 } });
    expect(decide(act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' }), lost, TOPOLOGY, NO_LOCKS, NOW).verdict).toBe('deny');
    expect(decide(act('diagnostic.run', { type: 'node', node: 'pve' }, { command: 'uptime' }), lost, TOPOLOGY, NO_LOCKS, NOW).verdict).toBe('allow');
  });

  it('denies every act while frozen but keeps reads', () => {
    const restart = act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' });
    expect(decide(restart, snapshot, TOPOLOGY, NO_LOCKS, NOW, { frozen: true }).reasons[0]).toContain('emergency stop');
    expect(
      decide(act('diagnostic.run', { type: 'node', node: 'pve' }, { command: 'memory' }), snapshot, TOPOLOGY, NO_LOCKS, NOW, { frozen: true }).verdict,
    ).toBe('allow');
  });

  it('denies an act while another node is locked, ignoring stale locks', () => {
    const restart = act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' });
    const held = { held: [{ node: 'agent', holder: 'abc', acquiredAt: NOW - 1000, expiresAt: NOW + 1000 }] };
    expect(decide(restart, snapshot, TOPOLOGY, held, NOW).verdict).toBe('deny');
    const stale = { held: [{ node: 'agent', holder: 'abc', acquiredAt: NOW - 9000, expiresAt: NOW - 1 }] };
    expect(decide(restart, snapshot, TOPOLOGY, stale, NOW).verdict).toBe('allow-notify');
  });

  it('blocks autonomous acts inside a maintenance window only', () => {
    const topology = { ...TOPOLOGY, maintenanceWindows: [{ days: [], startMinute: 11 * 60, endMinute: 13 * 60 }] };
    const restart = act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' }, {}, { kind: 'monitor', rule: 'pveproxy-down' });
    expect(decide(restart, snapshot, topology, NO_LOCKS, NOW).reasons[0]).toContain('maintenance window');
    expect(decide(restart, snapshot, topology, NO_LOCKS, NOW + 2 * 3600_000).verdict).toBe('allow-notify');
  });
});

describe('decide: tiers, tickets, taint', () => {
  const reboot = act('guest.reboot', { type: 'guest', vmid: 101 });
  const ticket = (overrides: Partial<Ticket> = {}): Ticket => ({
    id: 't1',
    action: reboot,
    actionHash: hashAction(reboot),
    blastRadius: decide(reboot, snapshot, TOPOLOGY, NO_LOCKS, NOW).blastRadius,
    requester: USER,
    createdAt: NOW,
    expiresAt: NOW + 300_000,
    status: 'pending',
    ...overrides,
  });

  it('needs confirmation for red and allows it with a valid ticket', () => {
    expect(decide(reboot, snapshot, TOPOLOGY, NO_LOCKS, NOW).verdict).toBe('needs-confirmation');
    expect(decide(reboot, snapshot, TOPOLOGY, NO_LOCKS, NOW, { ticket: ticket() }).verdict).toBe('allow');
  });

  it('denies expired, used and altered tickets', () => {
    expect(decide(reboot, snapshot, TOPOLOGY, NO_LOCKS, NOW + 300_000, { ticket: ticket() }).reasons.join()).toContain('expired');
    expect(decide(reboot, snapshot, TOPOLOGY, NO_LOCKS, NOW, { ticket: ticket({ status: 'consumed' }) }).verdict).toBe('deny');
    const other = act('guest.reboot', { type: 'guest', vmid: 105 });
    expect(decide(other, snapshot, TOPOLOGY, NO_LOCKS, NOW, { ticket: ticket() }).reasons.join()).toContain('different action');
  });

  it('denies black actions even with a ticket and explains the manual steps', () => {
    const nodeReboot = act('node.reboot', { type: 'node', node: 'pve' });
    const decision = decide(nodeReboot, snapshot, TOPOLOGY, NO_LOCKS, NOW, { ticket: ticket({ action: nodeReboot, actionHash: hashAction(nodeReboot) }) });
    expect(decision.verdict).toBe('deny');
    expect(decision.preview.manualSteps?.length).toBeGreaterThan(0);
  });

  it('never auto-approves a tainted target', () => {
    const tainted = { ...act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' }), taint: [{ source: 'journal' }] };
    expect(decide(tainted, snapshot, TOPOLOGY, NO_LOCKS, NOW).verdict).toBe('needs-confirmation');
  });

  it('tier overrides only tighten', () => {
    const restart = act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' });
    expect(decide(restart, snapshot, { ...TOPOLOGY, tierOverrides: { 'service.restart': 'red' } }, NO_LOCKS, NOW).verdict).toBe('needs-confirmation');
    expect(decide(reboot, snapshot, { ...TOPOLOGY, tierOverrides: { 'guest.reboot': 'green' } }, NO_LOCKS, NOW).verdict).toBe('needs-confirmation');
  });

  it('marks starting a running guest as a no-op in the preview', () => {
    expect(decide(act('guest.start', { type: 'guest', vmid: 101 }), snapshot, TOPOLOGY, NO_LOCKS, NOW).preview.noOp).toBe(true);
  });

  it('refuses diagnostics outside the catalogue', () => {
    const raw = act('diagnostic.run', { type: 'node', node: 'pve' }, { command: 'rm -rf /' });
    expect(decide(raw, snapshot, TOPOLOGY, NO_LOCKS, NOW).verdict).toBe('deny');
  });
});

describe('decide: defence in depth', () => {
  it('still finds the chain to Jarvis when the config forgot the protected lists and the docker host map', () => {
    const careless = { ...TOPOLOGY, protected: { nodes: [], guests: [], dockerHosts: [], containers: [], networkAddresses: [] }, dockerHosts: {} };
    const decision = decide(act('node.shutdown', { type: 'node', node: 'agent1' }, {}, USER), snapshot, careless, NO_LOCKS, NOW);
    expect(decision.verdict).toBe('deny');
    expect(decision.blastRadius.selfChain).toEqual(['jarvis', 'docker@103', 'VM 103', 'node agent1']);
    expect(decide(act('guest.reboot', { type: 'guest', vmid: 103 }, {}, USER), snapshot, careless, NO_LOCKS, NOW).reasons[0]).toContain('would stop Jarvis');
  });
});

describe('decide: never-act list, protected unit siblings, identity of every target type', () => {
  it("denies acts on never-act nodes and guests (the owner's own), but reads still run", () => {
    expect(TOPOLOGY.neverAct.nodes).toContain('Home');
    const cleanup = decide(act('cleanup.temp', { type: 'node', node: 'Home' }, { path: '/tmp' }, USER), snapshot, TOPOLOGY, NO_LOCKS, NOW);
    expect(cleanup.verdict).toBe('deny');
    expect(cleanup.reasons).toContain('node Home is on the never-act list');
    expect(decide(act('diagnostic.run', { type: 'node', node: 'Home' }, { command: 'uptime' }), snapshot, TOPOLOGY, NO_LOCKS, NOW).verdict).toBe('allow');
    const owner = { ...TOPOLOGY, neverAct: { ...TOPOLOGY.neverAct, guests: [106] } };
    const start = decide(act('guest.stop', { type: 'guest', vmid: 106 }, {}, USER), snapshot, owner, NO_LOCKS, NOW);
    expect(start.verdict).toBe('deny');
    expect(start.reasons).toContain('VMID 106 is on the never-act list');
    // The same stop is only red (a ticket away) without the list entry.
    expect(decide(act('guest.stop', { type: 'guest', vmid: 106 }, {}, USER), snapshot, TOPOLOGY, NO_LOCKS, NOW).verdict).toBe('needs-confirmation');
  });

  it('denies instances and sibling units of protected units (ssh.socket, corosync.path, ssh@x)', () => {
    for (const unit of ['ssh.socket', 'corosync.path', 'ssh@1-2', 'docker.socket']) {
      const decision = decide(act('service.stop', { type: 'service', node: 'pve', unit }, {}, USER), snapshot, TOPOLOGY, NO_LOCKS, NOW);
      expect(decision.verdict, unit).toBe('deny');
      expect(decision.reasons.join(' ')).toContain(`unit ${unit} is protected`);
    }
    expect(decide(act('service.stop', { type: 'service', node: 'pve', unit: 'pveproxy' }, {}, USER), snapshot, TOPOLOGY, NO_LOCKS, NOW).verdict).toBe(
      'needs-confirmation',
    );
  });

  it('checks expectedIdentity on non-guest targets too, showing both sides', () => {
    const restart = { ...act('service.restart', { type: 'service', node: 'pve', unit: 'pveproxy' }), expectedIdentity: { node: 'agent' } };
    const decision = decide(restart, snapshot, TOPOLOGY, NO_LOCKS, NOW);
    expect(decision.verdict).toBe('deny');
    expect(decision.reasons).toContain('identity mismatch: pveproxy.service on pve is on pve, not agent');
    const container = { ...act('container.restart', { type: 'container', host: 'docker@105', name: 'web' }), expectedIdentity: { vmid: 103, name: 'web' } };
    expect(decide(container, snapshot, TOPOLOGY, NO_LOCKS, NOW).reasons).toEqual(['identity mismatch: docker@105/web runs on VMID 105, not 103']);
    const storage = { ...act('storage.change', { type: 'storage', storage: 'local' }), expectedIdentity: { node: 'pve' } };
    expect(decide(storage, snapshot, TOPOLOGY, NO_LOCKS, NOW).verdict).toBe('deny');
    const matching = { ...restart, expectedIdentity: { node: 'pve', name: 'pveproxy' } };
    expect(decide(matching, snapshot, TOPOLOGY, NO_LOCKS, NOW).verdict).toBe('allow-notify');
  });
});

describe('decide: storage blast radius', () => {
  it('counts the guests of the nodes that have the storage (disks may live there), Jarvis included', () => {
    const own = decide(act('storage.change', { type: 'storage', node: 'agent1', storage: 'local' }, {}, USER), snapshot, TOPOLOGY, NO_LOCKS, NOW);
    expect(own.verdict).toBe('deny');
    expect(own.reasons[0]).toBe('changing storage agent1/local would stop Jarvis: jarvis -> docker@103 -> VM 103 -> storage agent1/local');
    const other = decide(act('storage.change', { type: 'storage', node: 'pve', storage: 'local' }, {}, USER), snapshot, TOPOLOGY, NO_LOCKS, NOW);
    expect(other.verdict).toBe('needs-confirmation');
    expect([...other.blastRadius.guests].sort()).toEqual([101, 105]);
    expect(other.blastRadius.nodes).toEqual([]);
  });
});
