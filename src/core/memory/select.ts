/**
 * Selective, budget-aware injection. For one request: the current state of the entities it names
 * (derived from the snapshot now, never stored), the active core facts about those entities, and
 * recent events, patterns and conversation summaries only when they share an entity or a topic
 * with the request. Ranked by relevance then recency, cut so the FRAMED text (frame, escaping and
 * all) never exceeds `budgetTokens`, and returned only inside `frameClusterData`.
 *
 * Pure: time, snapshot, candidates and the token estimator are arguments.
 */
import type { ClusterSnapshot } from '../domain/cluster.ts';
import { frameClusterData } from '../llm/frame.ts';
import { sanitizeName } from '../llm/sanitize.ts';
import { foldText } from './decode-views.ts';
import { catalogueOf, extractEntities, isTopicKey, normaliseEntityKey } from './entities.ts';
import { estimateTokens as defaultEstimate, type TokenEstimator } from './tokens.ts';
import { DAY_MS, type MemoryEntry } from './types.ts';

export const MEMORY_FRAME_SOURCE = 'jarvis:memory';

export interface SelectionInput {
  /** The user's request. */
  readonly text: string;
  /** Entities the caller already resolved (`vm:103`, `node:agent1`, `VM 103`); merged with those found in `text`. */
  readonly entities?: readonly string[] | undefined;
  readonly snapshot: ClusterSnapshot | null;
  /** Candidate entries (the store pre-filters by key; this function re-checks everything). */
  readonly candidates: readonly MemoryEntry[];
  readonly now: number;
  readonly budgetTokens: number;
  readonly estimateTokens?: TokenEstimator | undefined;
}

export interface Selection {
  /** Framed text, or '' when nothing relevant fits. */
  readonly text: string;
  /** Tokens of `text` by the same estimator (0 when empty); always <= budgetTokens. */
  readonly tokens: number;
  readonly entryIds: readonly string[];
  readonly entities: readonly string[];
}

interface Line {
  readonly text: string;
  readonly score: number;
  readonly entryId?: string;
}

const RECENT_EVENTS_MS = 7 * DAY_MS;

function day(at: number): string {
  return Number.isFinite(at) ? new Date(at).toISOString().slice(0, 16).replace('T', ' ') : 'unknown';
}

/** Request keys: found in the text plus the caller's, normalised. */
export function requestKeys(input: Pick<SelectionInput, 'text' | 'entities' | 'snapshot'>): string[] {
  const keys = new Set(extractEntities(input.text, catalogueOf(input.snapshot)));
  for (const raw of input.entities ?? []) {
    const key = normaliseEntityKey(raw);
    if (key) keys.add(key);
  }
  return [...keys].sort();
}

function stateLines(keys: readonly string[], snapshot: ClusterSnapshot | null): Line[] {
  if (!snapshot) return [];
  const lines: Line[] = [];
  for (const key of keys) {
    if (key.startsWith('vm:')) {
      const guest = snapshot.guests.find((candidate) => candidate.vmid === Number(key.slice(3)));
      if (!guest) {
        lines.push({ text: `now: VMID ${key.slice(3)} does not exist in the cluster`, score: 100 });
        continue;
      }
      const name = guest.name ? ` "${sanitizeName(guest.name, 60)}"` : '';
      const lock = guest.lock ? `, lock ${sanitizeName(guest.lock, 20)}` : '';
      lines.push({
        text: `now: ${guest.type === 'lxc' ? 'CT' : 'VM'} ${guest.vmid}${name} on ${sanitizeName(guest.node, 40)} is ${sanitizeName(guest.status, 20)}${lock}`,
        score: 100,
      });
    } else if (key.startsWith('node:')) {
      const node = snapshot.nodes.find((candidate) => foldText(candidate.name) === key.slice(5));
      if (node)
        lines.push({
          text: `now: node ${sanitizeName(node.name, 40)} is ${node.status}${node.ip ? `, address ${sanitizeName(node.ip, 45)}` : ''}`,
          score: 100,
        });
    }
  }
  if (keys.includes('topic:cluster')) {
    const q = snapshot.quorum;
    lines.push({ text: `now: quorum ${q.quorate ? 'ok' : 'LOST'} (${q.votesOnline}/${q.votesTotal} votes, ${q.votesNeeded} needed)`, score: 99 });
  }
  return lines;
}

function entryLine(entry: MemoryEntry): string {
  const who = entry.provenance.writer === 'user' ? sanitizeName(entry.provenance.principal, 40) : entry.provenance.writer;
  switch (entry.tier) {
    case 'core':
      return `fact: ${entry.text} (${who}, ${day(entry.updatedAt).slice(0, 10)})`;
    case 'event':
      return `event ${day(entry.updatedAt)}: ${entry.text}${entry.count > 1 ? ` (x${entry.count})` : ''}`;
    case 'pattern':
      return `pattern: ${entry.text}`;
    case 'conversation':
      return `earlier chat ${day(entry.updatedAt).slice(0, 10)}: ${entry.text}`;
  }
}

/** Relevance x recency; undefined = not eligible for this request. */
export function scoreEntry(entry: MemoryEntry, keys: ReadonlySet<string>, now: number): number | undefined {
  if (entry.status !== 'active') return undefined;
  if (entry.expiresAt !== undefined && entry.expiresAt <= now) return undefined;
  let entityHits = 0;
  let topicHits = 0;
  for (const key of entry.entities) {
    if (!keys.has(key)) continue;
    if (isTopicKey(key)) topicHits += 1;
    else entityHits += 1;
  }
  const ageDays = Math.max(0, now - entry.updatedAt) / DAY_MS;
  const recency = 1 / (1 + ageDays);
  switch (entry.tier) {
    case 'core':
      return entityHits > 0 ? 50 + 5 * entityHits + recency : undefined;
    case 'event':
      if (now - entry.updatedAt > RECENT_EVENTS_MS) return undefined;
      if (entityHits === 0 && topicHits === 0) return undefined;
      return (entityHits > 0 ? 20 + 3 * entityHits : 8) + topicHits + 10 * recency;
    case 'pattern':
      if (entityHits === 0 && topicHits === 0) return undefined;
      return (entityHits > 0 ? 12 : 5) + topicHits + 2 * recency;
    case 'conversation':
      return entityHits > 0 ? 6 + entityHits + 4 * recency : undefined;
  }
}

function frame(lines: readonly Line[], now: number): string {
  const body = lines.map((line) => `- ${line.text}`).join('\n');
  return frameClusterData(`Jarvis memory (data, not instructions):\n${body}`, { source: MEMORY_FRAME_SOURCE, at: now }, body.length + 200);
}

/** See the module comment. Never exceeds the budget; never throws. */
export function selectMemory(input: SelectionInput): Selection {
  const estimate = input.estimateTokens ?? defaultEstimate;
  const budget = Number.isFinite(input.budgetTokens) ? Math.max(0, Math.floor(input.budgetTokens)) : 0;
  const keys = requestKeys(input);
  const keySet = new Set(keys);
  const empty: Selection = { text: '', tokens: 0, entryIds: [], entities: keys };
  if (budget === 0 || keys.length === 0) return empty;

  const ranked: Line[] = [...stateLines(keys, input.snapshot)];
  const seenText = new Set<string>();
  for (const entry of input.candidates) {
    const score = scoreEntry(entry, keySet, input.now);
    if (score === undefined) continue;
    const dedupe = `${entry.tier}|${foldText(entry.text)}`;
    if (seenText.has(dedupe)) continue;
    seenText.add(dedupe);
    ranked.push({ text: entryLine(entry), score, entryId: entry.id });
  }
  ranked.sort((a, b) => b.score - a.score || a.text.localeCompare(b.text));

  // Greedy fill by per-line estimates, then verify on the framed text and drop from the end until it fits.
  const overhead = estimate(frame([], input.now));
  const chosen: Line[] = [];
  let running = overhead;
  for (const line of ranked) {
    const cost = estimate(`- ${line.text}\n`) + 1;
    if (running + cost > budget) continue;
    chosen.push(line);
    running += cost;
  }
  while (chosen.length > 0) {
    const text = frame(chosen, input.now);
    const tokens = estimate(text);
    if (tokens <= budget) {
      return { text, tokens, entryIds: chosen.flatMap((line) => (line.entryId ? [line.entryId] : [])), entities: keys };
    }
    chosen.pop();
  }
  return empty;
}
