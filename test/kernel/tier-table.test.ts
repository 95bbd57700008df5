/**
 * Table-driven: every action kind x tier (its default, then each tier as a config override) x a
 * protected / unprotected / unknown target.
 * Unknown targets always deny; protected targets deny for every disruptive kind; otherwise the
 * verdict follows the tier (green allow, yellow allow-notify, red needs-confirmation, black deny).
 */
import { describe, expect, it } from 'vitest';
import { ACTION_KINDS, NON_DISRUPTIVE_KINDS, type ActionKind, type Target } from '../../src/core/domain/action.ts';
import { DEFAULT_TIERS, stricterTier, TIERS, type Tier } from '../../src/core/domain/tier.ts';
import { decide } from '../../src/core/safety/decide.ts';
import { NO_LOCKS, type Verdict } from '../../src/core/safety/decision.ts';
import { act, NOW, seedSnapshot, TOPOLOGY } from './fixtures.ts';

type Case = { target: Target; params?: Record<string, unknown> };
type Row = { unprotected: Case; protected: Case | undefined; unknown: Case | undefined };

const guestRow: Row = {
  unprotected: { target: { type: 'guest', vmid: 101 } },
  protected: { target: { type: 'guest', vmid: 103 } },
  unknown: { target: { type: 'guest', vmid: 999 } },
};
const serviceRow: Row = {
  unprotected: { target: { type: 'service', node: 'pve', unit: 'pveproxy' } },
  protected: { target: { type: 'service', node: 'agent1', unit: 'corosync' } },
  unknown: { target: { type: 'service', node: 'nowhere', unit: 'pveproxy' } },
};
const containerRow: Row = {
  unprotected: { target: { type: 'container', host: 'docker@105', name: 'web' } },
  protected: { target: { type: 'container', host: 'docker@103', name: 'jarvis' } },
  unknown: { target: { type: 'container', host: 'docker@999', name: 'web' } },
};
const nodeRow: Row = {
  unprotected: { target: { type: 'node', node: 'pve' } },
  protected: { target: { type: 'node', node: 'agent1' } },
  unknown: { target: { type: 'node', node: 'nowhere' } },
};

const ROWS: Record<ActionKind, Row> = {
  'guest.start': { ...guestRow, unprotected: { target: { type: 'guest', vmid: 102 } } },
  'guest.stop': guestRow,
  'guest.shutdown': guestRow,
  'guest.reboot': guestRow,
  'guest.config': guestRow,
  'guest.migrate': {
    unprotected: { target: { type: 'guest', vmid: 101 }, params: { targetNode: 'agent' } },
    protected: { target: { type: 'guest', vmid: 103 }, params: { targetNode: 'agent' } },
    unknown: { target: { type: 'guest', vmid: 999 }, params: { targetNode: 'agent' } },
  },
  'service.restart': serviceRow,
  'service.start': serviceRow,
  'service.stop': serviceRow,
  'container.start': containerRow,
  'container.stop': containerRow,
  'container.restart': containerRow,
  'docker.restart': {
    unprotected: { target: { type: 'docker-host', host: 'docker@105' } },
    protected: { target: { type: 'docker-host', host: 'docker@103' } },
    unknown: { target: { type: 'docker-host', host: 'docker@999' } },
  },
  'node.reboot': nodeRow,
  'node.shutdown': nodeRow,
  'node.network': nodeRow,
  'cluster.config': { unprotected: { target: { type: 'cluster' } }, protected: undefined, unknown: undefined },
  'storage.change': {
    unprotected: { target: { type: 'storage', node: 'pve', storage: 'local' } },
    protected: undefined,
    unknown: { target: { type: 'storage', node: 'pve', storage: 'nope' } },
  },
  'storage.format': {
    unprotected: { target: { type: 'storage', node: 'pve', storage: 'local' } },
    protected: undefined,
    unknown: { target: { type: 'storage', storage: 'nope' } },
  },
  'network.change': {
    unprotected: { target: { type: 'network-interface', node: 'pve', iface: 'vmbr0' } },
    protected: { target: { type: 'network-interface', address: '192.168.1.65', iface: 'eth0' } },
    unknown: { target: { type: 'network-interface', address: '10.9.9.9', iface: 'eth0' } },
  },
  'firewall.change': nodeRow,
  'cleanup.temp': {
    unprotected: { target: { type: 'node', node: 'pve' }, params: { path: '/tmp' } },
    protected: { target: { type: 'node', node: 'agent1' }, params: { path: '/tmp' } },
    unknown: { target: { type: 'node', node: 'nowhere' }, params: { path: '/tmp' } },
  },
  'diagnostic.run': {
    unprotected: { target: { type: 'node', node: 'pve' }, params: { command: 'uptime' } },
    protected: { target: { type: 'node', node: 'agent1' }, params: { command: 'uptime' } },
    unknown: { target: { type: 'node', node: 'nowhere' }, params: { command: 'uptime' } },
  },
};

const BY_TIER: Record<Tier, Verdict> = { green: 'allow', yellow: 'allow-notify', red: 'needs-confirmation', black: 'deny' };
const snapshot = seedSnapshot();
const run = (kind: ActionKind, testCase: Case, topology = TOPOLOGY) =>
  decide(act(kind, testCase.target, testCase.params ?? {}), snapshot, topology, NO_LOCKS, NOW);

describe.each(ACTION_KINDS.map((kind) => [kind, DEFAULT_TIERS[kind]] as const))('%s (%s)', (kind, tier) => {
  const row = ROWS[kind];

  it(`unprotected target: verdict follows the ${tier} tier`, () => {
    const decision = run(kind, row.unprotected);
    expect(decision.tier).toBe(tier);
    expect(decision.verdict, decision.reasons.join('; ')).toBe(BY_TIER[tier]);
  });

  it('protected target: denied when disruptive, else follows the tier', () => {
    if (!row.protected) return expect(kind === 'cluster.config' || kind.startsWith('storage.')).toBe(true);
    const decision = run(kind, row.protected);
    // service.start runs only for allowlisted units (issue 8): a protected unit such as corosync never is one.
    const expected = NON_DISRUPTIVE_KINDS.has(kind) && kind !== 'service.start' ? BY_TIER[tier] : 'deny';
    expect(decision.verdict, decision.reasons.join('; ')).toBe(expected);
    if (expected === 'deny' && tier !== 'black')
      expect(decision.reasons.join(' ')).toMatch(kind === 'service.start' ? /restart allowlist/ : /protected|Jarvis/);
  });

  it('unknown target: denied', () => {
    if (!row.unknown) return expect(kind).toBe('cluster.config');
    const decision = run(kind, row.unknown);
    expect(decision.verdict).toBe('deny');
    expect(decision.reasons.join(' ')).toMatch(/unknown target/);
  });
});

/**
 * The same table under every configured tier: kind x tier (as a config override) x target.
 * Overrides only tighten: the effective tier is the stricter of the default and the override.
 */
describe.each(ACTION_KINDS.flatMap((kind) => TIERS.map((override) => [kind, override] as const)))('%s with tierOverrides -> %s', (kind, override) => {
  const row = ROWS[kind];
  const topology = { ...TOPOLOGY, tierOverrides: { [kind]: override } };
  const effective = stricterTier(DEFAULT_TIERS[kind], override);

  it('unprotected: follows the stricter of default and override', () => {
    const decision = run(kind, row.unprotected, topology);
    expect(decision.tier).toBe(effective);
    expect(decision.verdict, decision.reasons.join('; ')).toBe(BY_TIER[effective]);
  });

  it('protected: a deny no override can lift', () => {
    if (!row.protected) return expect(kind === 'cluster.config' || kind.startsWith('storage.')).toBe(true);
    const decision = run(kind, row.protected, topology);
    // service.start runs only for allowlisted units (issue 8): a protected unit such as corosync never is one.
    const follows = NON_DISRUPTIVE_KINDS.has(kind) && kind !== 'service.start';
    expect(decision.verdict, decision.reasons.join('; ')).toBe(follows ? BY_TIER[effective] : 'deny');
  });

  it('unknown: denied whatever the tier', () => {
    if (!row.unknown) return expect(kind).toBe('cluster.config');
    expect(run(kind, row.unknown, topology).verdict).toBe('deny');
  });
});
