/**
 * Core facts are versioned: a fact is keyed by its subject ("agent1 address", "vm 101 name": subjects are folded to lower case), and
 * a changed fact is updated in place with the change logged (old, new, source, time) — never
 * appended beside the old one. Facts from cluster data (tainted) never become active core facts
 * without a human: a new one waits as `pending`, a change to an active one flags a contradiction.
 */
import { foldText } from './decode-views.ts';
import type { FactVersion, MemoryEntry, Provenance } from './types.ts';

/** The key of a fact: the left side of "X is Y" / "X: Y" / "X = Y", else the whole text, folded. */
export function factSubject(text: string): string {
  const folded = foldText(text).replace(/[.!]+$/, '');
  const match = /^(.{2,80}?)\s*(?:\bis\b|\bare\b|=|:)\s*(.+)$/.exec(folded);
  const left = match?.[1] ?? folded;
  return left
    .replace(/^(?:the|a|an|my|our)\s+/, '')
    .replace(/'s\b/g, '')
    .replace(/[^\p{L}\p{N}\s.:/@-]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
}

export type FactPlan =
  | { readonly kind: 'insert'; readonly entry: MemoryEntry }
  | { readonly kind: 'update'; readonly entry: MemoryEntry; readonly version: FactVersion }
  | { readonly kind: 'unchanged'; readonly entry: MemoryEntry }
  /** Tainted data disagreed with an active fact: the fact is kept and flagged for a human. */
  | { readonly kind: 'contradiction'; readonly entry: MemoryEntry };

export interface FactWrite {
  readonly id: string;
  readonly text: string;
  readonly entities: readonly string[];
  readonly provenance: Provenance;
  readonly now: number;
}

/** Decides how a new statement of a fact lands, given the current fact with the same subject. */
export function planFactWrite(existing: MemoryEntry | undefined, write: FactWrite): FactPlan {
  const subject = factSubject(write.text);
  if (!existing) {
    const pending = write.provenance.tainted;
    return {
      kind: 'insert',
      entry: {
        id: write.id,
        tier: 'core',
        subject,
        text: write.text,
        entities: write.entities,
        status: pending ? 'pending' : 'active',
        createdAt: write.now,
        updatedAt: write.now,
        count: 1,
        provenance: write.provenance,
        ...(pending ? { note: 'derived from cluster data: a human must confirm it before Jarvis uses it' } : {}),
      },
    };
  }
  if (foldText(existing.text) === foldText(write.text)) return { kind: 'unchanged', entry: existing };
  if (write.provenance.tainted && existing.status === 'active') {
    return { kind: 'contradiction', entry: { ...existing, status: 'contradiction', note: `cluster data now says: ${write.text}` } };
  }
  const entry: MemoryEntry = {
    ...existing,
    text: write.text,
    entities: write.entities,
    updatedAt: write.now,
    provenance: write.provenance,
    status: write.provenance.tainted ? 'pending' : 'active',
    note: write.provenance.tainted ? 'derived from cluster data: a human must confirm it before Jarvis uses it' : undefined,
  };
  return { kind: 'update', entry, version: { entryId: existing.id, oldText: existing.text, newText: write.text, provenance: write.provenance, at: write.now } };
}
