import { describe, expect, it } from 'vitest';
import { guestEntry, nodeEntry } from '../http/views.ts';
import { SCENARIOS, applyScenario } from './scenarios.ts';
import { SimWorld, type SimWorldOptions } from './sim-world.ts';

const FIXED = Date.UTC(2026, 10, 25, 8, 0, 0);
const options = (overrides: Partial<SimWorldOptions> = {}): SimWorldOptions => ({
  seed: 1,
  nodes: 4,
  guests: 20,
  taskDurationMs: 1000,
  staleHorizonMs: 300_000,
  tickSeconds: 2,
  clock: () => FIXED,
  ...overrides,
});
const snapshot = (world: SimWorld) => ({
  nodes: world.nodes().map((node) => nodeEntry(world, node)),
  guests: world.guests().map((guest) => guestEntry(world, guest)),
});

describe('SimWorld', () => {
  it('builds the seed topology: four nodes, 20 guests, VM 103 "management" on agent1 tagged jarvis', () => {
    const world = new SimWorld(options());
    expect(world.nodeNames()).toEqual(['Home', 'pve', 'agent1', 'agent']);
    expect(world.guests()).toHaveLength(20);
    expect(world.guest(103)).toMatchObject({ name: 'management', node: 'agent1', tags: 'jarvis', status: 'running', type: 'qemu' });
    expect(world.guests().some((guest) => guest.lock === 'backup')).toBe(true);
    expect(world.guests().some((guest) => guest.template)).toBe(true);
    expect(world.guests().some((guest) => guest.status === 'stopped' && !guest.template)).toBe(true);
    expect(world.guests().some((guest) => guest.type === 'qemu' && guest.status === 'running' && !guest.agent)).toBe(true);
    expect(world.guests().some((guest) => guest.balloon !== undefined && guest.balloon < guest.maxmem)).toBe(true);
  });

  it('is deterministic: same seed, same world and same metrics after the same ticks', () => {
    const a = new SimWorld(options());
    const b = new SimWorld(options());
    expect(snapshot(a)).toEqual(snapshot(b));
    a.tick(25);
    b.tick(25);
    expect(snapshot(a)).toEqual(snapshot(b));
    const c = new SimWorld(options({ seed: 2 }));
    c.tick(25);
    expect(snapshot(c)).not.toEqual(snapshot(a));
  });

  it('keeps CPU and memory bounded and counters monotonic over many ticks', () => {
    const world = new SimWorld(options());
    const guest = world.guest(103)!;
    let netin = guest.netin;
    for (let i = 0; i < 500; i++) {
      world.tick();
      expect(guest.netin).toBeGreaterThanOrEqual(netin);
      netin = guest.netin;
      for (const entry of world.guests()) {
        expect(entry.cpu).toBeGreaterThanOrEqual(0);
        expect(entry.cpu).toBeLessThanOrEqual(1);
        expect(entry.mem).toBeLessThanOrEqual(entry.maxmem);
      }
      for (const node of world.nodes()) {
        expect(node.cpu).toBeLessThanOrEqual(1);
        expect(node.memUsed).toBeLessThan(node.memTotal);
        expect(node.rootUsed).toBeLessThanOrEqual(node.rootTotal);
      }
    }
  });

  it('keeps calm guest memory in a steady band around its working set (never above 80 %) over 6 simulated hours', () => {
    const world = new SimWorld(options());
    const running = world.guests().filter((guest) => guest.status === 'running');
    expect(running.length).toBeGreaterThan(10);
    let highest = 0;
    let widest = 0;
    for (let i = 0; i < 10_800; i++) {
      world.tick();
      for (const guest of running) {
        highest = Math.max(highest, guest.mem / guest.maxmem);
        widest = Math.max(widest, Math.abs(guest.mem - guest.baseMem) / guest.maxmem);
      }
    }
    expect(highest).toBeLessThanOrEqual(0.8);
    expect(widest).toBeLessThanOrEqual(0.1);
  });

  it('drives a memory-pressure guest to its limit and lets it fall back to its working set once the fault clears', () => {
    const world = new SimWorld(options());
    const guest = world.guest(101)!;
    expect(world.applyFault({ kind: 'memory-pressure', vmid: 101 }).error).toBeUndefined();
    world.tick(5);
    expect(guest.mem / guest.maxmem).toBeGreaterThanOrEqual(0.97);
    world.clearFaults();
    world.tick(100);
    expect(Math.abs(guest.mem - guest.baseMem) / guest.maxmem).toBeLessThanOrEqual(0.1);
  });

  it('scales to 32 nodes and 4000 guests', () => {
    const world = new SimWorld(options({ nodes: 32, guests: 4000 }));
    expect(world.nodes()).toHaveLength(32);
    expect(world.nodeNames().slice(0, 5)).toEqual(['Home', 'pve', 'agent1', 'agent', 'node5']);
    expect(world.guests()).toHaveLength(4000);
    expect(new Set(world.guests().map((guest) => guest.vmid)).size).toBe(4000);
    world.tick(3);
    expect(world.guests().filter((guest) => guest.node === 'node32').length).toBeGreaterThan(50);
  });

  it('implements SimHostView consistently with the PVE figures', () => {
    const world = new SimWorld(options());
    const agent1 = world.node('agent1')!;
    expect(world.memory('agent1').used).toBe(agent1.memUsed);
    expect(world.disks('agent1').find((disk) => disk.mount === '/')).toMatchObject({ sizeBytes: agent1.rootTotal, usedBytes: agent1.rootUsed });
    expect(world.interfaces('agent1').find((entry) => entry.name === 'vmbr0')?.addresses).toEqual(['192.168.1.61/24']);
    expect(world.services('agent1').map((service) => service.unit)).toEqual(expect.arrayContaining(['pveproxy', 'corosync', 'sshd', 'llama-server']));
    expect(world.journal('agent1', { unit: 'sshd' }).length).toBeGreaterThan(0);
    expect(world.journal('agent1', { limit: 3 })).toHaveLength(3);
    expect(world.uptimeSeconds('agent1')).toBe(FIXED / 1000 - agent1.bootTime);
    expect(world.loadAverage('agent1')).toHaveLength(3);
    expect(world.dockerHosts()).toEqual(['docker@103']);
    expect(world.containers('docker@103').map((c) => c.name)).toEqual(['jarvis', 'uptime-kuma', 'nginx-proxy', 'homepage']);
    expect(world.containers('docker@103')[0]).toMatchObject({
      state: 'running',
      status: expect.stringMatching(/^Up /),
      labels: { 'jarvis.protected': 'true' },
    });
    expect(world.containerAction('docker@103', 'homepage', 'restart')).toBeUndefined();
    expect(world.containers('docker@103').find((c) => c.name === 'homepage')?.restartCount).toBe(1);
    expect(world.containerAction('docker@103', 'nope', 'stop')).toBe('No such container: nope');
    expect(world.containerLogs('docker@103', 'homepage', 10).length).toBeGreaterThan(0);
  });

  it('an offline node is unreachable, its Docker host too when it carries the management VM', () => {
    const world = new SimWorld(options());
    world.applyFault({ kind: 'node-offline', node: 'agent1' });
    expect(world.isNodeReachable('agent1')).toBe(false);
    expect(world.isDockerUp('docker@103')).toBe(false);
    expect(world.quorate()).toBe(true);
    world.applyFault({ kind: 'node-offline', node: 'pve' });
    expect(world.quorate()).toBe(false);
    world.clearFaults();
    expect(world.isNodeReachable('agent1')).toBe(true);
    expect(world.quorate()).toBe(true);
  });

  it('applies every named scenario to the default world, and refuses an unknown one', () => {
    for (const name of Object.keys(SCENARIOS)) {
      const world = new SimWorld(options());
      expect(applyScenario(world, name), name).toBeUndefined();
      world.tick(3);
    }
    expect(applyScenario(new SimWorld(options()), 'nope')).toMatch(/^unknown scenario 'nope' \(known: healthy, /);
  });
});
