/**
 * Daily consolidation, as a pure plan the app applies: expire old observations, merge duplicates,
 * summarise events past their 7 days into patterns, re-derive structural facts (node addresses,
 * VMID names) from the current snapshot, and flag contradictions for a human (a stored fact the
 * cluster now disagrees with, or a fact about a VMID that no longer exists).
 */
import type { ClusterSnapshot } from '../domain/cluster.ts';
import { guestName } from '../domain/guest-name.ts';
import { foldText } from './decode-views.ts';
import { planFactWrite, factSubject } from './facts.ts';
import { checkMemoryText } from './poison-check.ts';
import { expiryFor, type FactVersion, type MemoryEntry, type Provenance } from './types.ts';

export interface ConsolidationInput {
  readonly entries: readonly MemoryEntry[];
  readonly snapshot: ClusterSnapshot | null;
  readonly now: number;
  /** Identifies this run in provenance (`consolidation:<id>`). */
  readonly runId: string;
  /** Ids for new entries (patterns, derived facts). */
  readonly newId: () => string;
}

export interface Contradiction {
  readonly entryId: string;
  readonly subject: string;
  readonly stored: string;
  readonly observed: string;
}

export interface ConsolidationPlan {
  readonly deletes: readonly string[];
  readonly upserts: readonly MemoryEntry[];
  readonly versions: readonly FactVersion[];
  readonly contradictions: readonly Contradiction[];
  readonly stats: {
    readonly expired: number;
    readonly merged: number;
    readonly summarised: number;
    readonly patterns: number;
    readonly derived: number;
    readonly contradictions: number;
  };
}

function isoDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Facts the cluster itself states, as "subject is value" texts with their entities. */
export function derivedFacts(snapshot: ClusterSnapshot): { text: string; entities: string[] }[] {
  const facts: { text: string; entities: string[] }[] = [];
  for (const node of snapshot.nodes) {
    if (node.ip) facts.push({ text: `node ${node.name} address is ${node.ip}`, entities: [`node:${foldText(node.name)}`] });
  }
  for (const guest of snapshot.guests) {
    // Named by kind (`CT 207 name is dns`); the entity key `vm:<vmid>` is the VMID namespace, for VMs and CTs alike.
    if (guest.name) facts.push({ text: `${guestName(guest.type, guest.vmid)} name is ${guest.name}`, entities: [`vm:${guest.vmid}`] });
  }
  return facts;
}

export function planConsolidation(input: ConsolidationInput): ConsolidationPlan {
  const { now } = input;
  const deletes = new Set<string>();
  const upserts = new Map<string, MemoryEntry>();
  const versions: FactVersion[] = [];
  const contradictions: Contradiction[] = [];
  const stats = { expired: 0, merged: 0, summarised: 0, patterns: 0, derived: 0, contradictions: 0 };
  const provenance: Provenance = { writer: 'consolidation', principal: 'system', at: now, sourceId: `consolidation:${input.runId}`, tainted: false };

  // 1. Expired entries; events past their 7 days are summarised below instead of lost.
  const live: MemoryEntry[] = [];
  const oldEvents: MemoryEntry[] = [];
  for (const entry of input.entries) {
    const expired = entry.expiresAt !== undefined && entry.expiresAt <= now;
    if (!expired) live.push(entry);
    else if (entry.tier === 'event') oldEvents.push(entry);
    else {
      deletes.add(entry.id);
      stats.expired += 1;
    }
  }

  // 2. Duplicates (same tier and same text) merge into the newest; counts add up.
  const groups = new Map<string, MemoryEntry[]>();
  for (const entry of live) {
    if (entry.tier === 'core') continue;
    const key = `${entry.tier}|${foldText(entry.text)}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
    const [keep, ...rest] = group as [MemoryEntry, ...MemoryEntry[]];
    const count = group.reduce((sum, entry) => sum + entry.count, 0);
    const createdAt = Math.min(...group.map((entry) => entry.createdAt));
    const entities = [...new Set(group.flatMap((entry) => entry.entities))].sort();
    upserts.set(keep.id, { ...keep, count, createdAt, entities });
    for (const entry of rest) deletes.add(entry.id);
    stats.merged += rest.length;
  }

  // 3. Events past 7 days -> one pattern per event subject (an existing pattern is extended).
  const patternsBySubject = new Map(live.filter((entry) => entry.tier === 'pattern').map((entry) => [entry.subject, entry]));
  const eventGroups = new Map<string, MemoryEntry[]>();
  for (const event of oldEvents) eventGroups.set(event.subject, [...(eventGroups.get(event.subject) ?? []), event]);
  for (const [subject, events] of eventGroups) {
    const patternSubject = `pattern ${subject}`;
    const existing = upserts.get(patternsBySubject.get(patternSubject)?.id ?? '') ?? patternsBySubject.get(patternSubject);
    const count = events.reduce((sum, event) => sum + event.count, 0) + (existing?.count ?? 0);
    const first = Math.min(existing?.createdAt ?? Number.POSITIVE_INFINITY, ...events.map((event) => event.createdAt));
    const last = Math.max(...events.map((event) => event.updatedAt), existing?.updatedAt ?? 0);
    const entities = [...new Set([...(existing?.entities ?? []), ...events.flatMap((event) => event.entities)])].sort();
    const text = `${subject}: seen ${count} time${count === 1 ? '' : 's'} between ${isoDay(first)} and ${isoDay(last)}`;
    const entry: MemoryEntry = existing
      ? { ...existing, text, count, entities, updatedAt: last, expiresAt: expiryFor('pattern', now) }
      : {
          id: input.newId(),
          tier: 'pattern',
          subject: patternSubject,
          text,
          entities,
          status: 'active',
          createdAt: first,
          updatedAt: last,
          expiresAt: expiryFor('pattern', now),
          count,
          provenance,
        };
    upserts.set(entry.id, entry);
    for (const event of events) deletes.add(event.id);
    stats.summarised += events.length;
    stats.patterns += 1;
  }

  // 4. Re-derive structural facts from the cluster; disagreements go to a human.
  const snapshot = input.snapshot;
  if (snapshot && snapshot.version > 0) {
    const coreBySubject = new Map(live.filter((entry) => entry.tier === 'core').map((entry) => [entry.subject, entry]));
    // Versions before kinds were named called every guest `vm N`: a CT's old cluster-derived fact is superseded.
    for (const guest of snapshot.guests) {
      if (guest.type !== 'lxc') continue;
      const legacy = coreBySubject.get(`vm ${guest.vmid} name`);
      if (legacy?.provenance.writer === 'cluster') deletes.add(legacy.id);
    }
    for (const fact of derivedFacts(snapshot)) {
      const check = checkMemoryText(fact.text);
      if (!check.ok) continue;
      const existing = coreBySubject.get(factSubject(check.text));
      const plan = planFactWrite(existing, {
        id: existing?.id ?? input.newId(),
        text: check.text,
        entities: fact.entities,
        now,
        provenance: { writer: 'cluster', principal: 'system', at: now, sourceId: `snapshot:${snapshot.version}`, tainted: true },
      });
      if (plan.kind === 'unchanged') continue;
      if (plan.kind === 'contradiction') {
        if (existing?.status === 'contradiction' && existing.note === plan.entry.note) continue;
        contradictions.push({ entryId: plan.entry.id, subject: plan.entry.subject, stored: plan.entry.text, observed: check.text });
        stats.contradictions += 1;
      } else stats.derived += 1;
      if (plan.kind === 'update') versions.push(plan.version);
      upserts.set(plan.entry.id, plan.entry);
    }
    const vmids = new Set(snapshot.guests.map((guest) => guest.vmid));
    for (const entry of live) {
      if (entry.tier !== 'core' || entry.status !== 'active') continue;
      const gone = entry.entities.filter((key) => key.startsWith('vm:') && !vmids.has(Number(key.slice(3))));
      if (gone.length === 0) continue;
      const note = `the cluster has no ${gone.map((key) => `VMID ${key.slice(3)}`).join(', ')} any more`;
      upserts.set(entry.id, { ...(upserts.get(entry.id) ?? entry), status: 'contradiction', note });
      contradictions.push({ entryId: entry.id, subject: entry.subject, stored: entry.text, observed: note });
      stats.contradictions += 1;
    }
  }

  for (const id of deletes) upserts.delete(id);
  return { deletes: [...deletes], upserts: [...upserts.values()], versions, contradictions, stats };
}
