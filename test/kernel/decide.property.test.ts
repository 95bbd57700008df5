/**
 * Property suite over decide() (>= 10,000 generated cases per run): random actions from random
 * actors against random cluster states, locks, freezes and tickets. For every decision that would
 * execute: (a) no Jarvis or protected resource in a disruptive blast radius, (b) never while another
 * node is locked, (c) never black, (d) never red without a valid ticket; plus freeze, quorum and taint.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NON_DISRUPTIVE_KINDS } from '../../src/core/domain/action.ts';
import { isProtectedUnit } from '../../src/core/safety/command-catalogue.ts';
import { decide, hashAction } from '../../src/core/safety/decide.ts';
import type { LockState, Ticket } from '../../src/core/safety/decision.ts';
import { actionArb, snapshotArb } from './arbitraries.ts';
import { NOW, TOPOLOGY } from './fixtures.ts';

/** The seed topology plus one never-act guest (the owner's own), so that rule is exercised too. */
const topology = { ...TOPOLOGY, neverAct: { ...TOPOLOGY.neverAct, guests: [106] } };

const lockArb: fc.Arbitrary<LockState> = fc.oneof(
  fc.constant({ held: [] }),
  fc
    .record({ node: fc.constantFrom('pve', 'agent', 'agent1'), expired: fc.boolean() })
    .map(({ node, expired }) => ({ held: [{ node, holder: 'x', acquiredAt: NOW - 10, expiresAt: expired ? NOW - 1 : NOW + 1000 }] })),
);
const ticketModeArb = fc.constantFrom('none', 'valid', 'valid', 'valid', 'expired', 'consumed', 'other-action');

describe('decide() properties', () => {
  it('never lets an unsafe action through (10,000 cases)', () => {
    const executed = { red: 0, other: 0, disruptive: 0 };
    fc.assert(
      fc.property(
        actionArb,
        snapshotArb,
        lockArb,
        fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
        ticketModeArb,
        (action, snapshot, locks, frozen, ticketMode) => {
          const hash = hashAction(action);
          const ticket: Ticket | undefined =
            ticketMode === 'none'
              ? undefined
              : {
                  id: 't',
                  action,
                  actionHash: ticketMode === 'other-action' ? 'f'.repeat(64) : hash,
                  blastRadius: {
                    resources: [],
                    nodes: [],
                    guests: [],
                    containers: [],
                    services: [],
                    votesLost: 0,
                    quorumAfter: { votesOnline: 0, votesNeeded: 0, quorate: true },
                  },
                  requester: action.actor,
                  createdAt: NOW - 1000,
                  expiresAt: ticketMode === 'expired' ? NOW : NOW + 60_000,
                  status: ticketMode === 'consumed' ? 'consumed' : 'pending',
                };
          const decision = decide(action, snapshot, topology, locks, NOW, { frozen, ticket });
          const executes = decision.verdict === 'allow' || decision.verdict === 'allow-notify';
          if (!executes) return;
          executed[decision.tier === 'red' ? 'red' : 'other'] += 1;
          if (!NON_DISRUPTIVE_KINDS.has(action.kind)) executed.disruptive += 1;
          const blast = decision.blastRadius;
          const isRead = action.kind === 'diagnostic.run';
          if (!NON_DISRUPTIVE_KINDS.has(action.kind)) {
            expect(blast.resources).not.toContain('jarvis'); // (a)
            expect(blast.guests.filter((vmid) => topology.protected.guests.includes(vmid))).toEqual([]);
            expect(blast.nodes.filter((node) => topology.protected.nodes.includes(node))).toEqual([]);
            expect(blast.resources.filter((id) => topology.protected.dockerHosts.some((host) => id === `docker:${host}`))).toEqual([]);
            expect(blast.quorumAfter.quorate).toBe(true);
            const target = action.target;
            if (target.type === 'network-interface') expect(topology.protected.networkAddresses).not.toContain(target.address);
            if (target.type === 'service') expect(isProtectedUnit(target.unit)).toBe(false);
          }
          if (!isRead) {
            // The never-act list: no act on (or taking down) the owner's untouchable nodes and guests.
            const nodes = [...blast.nodes, ...(action.target.type === 'node' ? [action.target.node] : [])];
            expect(nodes.filter((node) => topology.neverAct.nodes.includes(node))).toEqual([]);
            const guests = [...blast.guests, ...(action.target.type === 'guest' ? [action.target.vmid] : [])];
            expect(guests.filter((vmid) => topology.neverAct.guests.includes(vmid))).toEqual([]);
          }
          if (!isRead) {
            expect(locks.held.filter((lock) => lock.expiresAt > NOW)).toEqual([]); // (b)
            expect(frozen).toBe(false);
            expect(snapshot.quorum.quorate).toBe(true);
          }
          expect(decision.tier).not.toBe('black'); // (c)
          const ticketValid = ticketMode === 'valid';
          if (decision.tier === 'red') expect(ticketValid).toBe(true); // (d)
          if ((action.taint?.length ?? 0) > 0) expect(ticketValid).toBe(true);
          if (action.target.type === 'guest' && action.target.name !== undefined) {
            expect(snapshot.guests.find((guest) => guest.vmid === (action.target as { vmid: number }).vmid)?.name).toBe(action.target.name);
          }
        },
      ),
      { numRuns: 10_000 },
    );
    // The generators must reach executing decisions, or the properties above would hold vacuously.
    expect(executed.red).toBeGreaterThan(20);
    expect(executed.other).toBeGreaterThan(100);
    expect(executed.disruptive).toBeGreaterThan(20);
  });

  it('is deterministic: the same inputs give the same decision', () => {
    fc.assert(
      fc.property(actionArb, snapshotArb, (action, snapshot) => {
        expect(decide(action, snapshot, topology, { held: [] }, NOW)).toEqual(
          decide(structuredClone(action), structuredClone(snapshot), topology, { held: [] }, NOW),
        );
      }),
      { numRuns: 500 },
    );
  });
});
