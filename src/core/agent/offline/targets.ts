/**
 * Target extraction for the offline parser: VMIDs, guest/container/node/unit names found in the
 * text, resolved against the live world. Exact matches first; a tolerated typo is reported as
 * `fuzzy` (reads may use it and say so; acts only ask "did you mean ...?").
 */
import { guestName } from '../../domain/guest-name.ts';
import { DEFAULT_RESTARTABLE_UNITS, PROTECTED_UNITS } from '../../safety/command-catalogue.ts';
import type { OfflineWorld } from './types.ts';
import { near, tolerance } from './words.ts';
import { READ_WORDS, STOP_WORDS, TYPE_WORDS, ACT_WORDS } from './lexicon.ts';

/** Units the parser recognises by name (PVE's own services + the catalogue's lists). */
export const KNOWN_UNITS: readonly string[] = [
  ...new Set([
    ...DEFAULT_RESTARTABLE_UNITS,
    ...PROTECTED_UNITS,
    'pve-lxc-syscalld',
    'qmeventd',
    'lxcfs',
    'ksmtuned',
    'pve-firewall',
    'pveproxy',
    'pvedaemon',
    'pvestatd',
    'pve-cluster',
    'corosync',
    'pve-ha-crm',
    'pve-ha-lrm',
    'pvescheduler',
    'spiceproxy',
    'chrony',
    'sshd',
    'cron',
    'postfix',
    'rsyslog',
    'smartd',
    'zfs-zed',
  ]),
];

export interface GuestRef {
  readonly vmid: number;
  readonly name?: string | undefined;
  readonly node: string;
  readonly type: 'qemu' | 'lxc';
  readonly fuzzy?: string | undefined;
  readonly known: boolean;
}
export interface NameRef {
  readonly name: string;
  readonly fuzzy?: string | undefined;
}

export interface Targets {
  readonly guests: readonly GuestRef[];
  readonly containers: readonly NameRef[];
  readonly nodes: readonly NameRef[];
  readonly units: readonly NameRef[];
  /** VMIDs written in the text that the (non-empty) world does not know. */
  readonly unknownVmids: readonly number[];
}

const VMID_TOKEN = /^(?:vm|ct|lxc|guest|id)?-?(\d{3,9})$/;
const VOCABULARY = new Set<string>([...Object.values(READ_WORDS).flat(), ...Object.values(TYPE_WORDS).flat(), ...Object.keys(ACT_WORDS), ...STOP_WORDS]);

/** Names found in `normalized` (exact, word-bounded; hyphens may be written as spaces). Returns the spans used. */
function exactNames(normalized: string, names: readonly string[], used: boolean[]): string[] {
  const found: string[] = [];
  const sorted = [...new Set(names)].filter((name) => name.length > 0).sort((a, b) => b.length - a.length);
  for (const name of sorted) {
    const lower = name.toLowerCase();
    for (const form of new Set([lower, lower.replace(/[-_]/g, ' ')])) {
      const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const pattern = new RegExp(`(^|[^\\p{L}\\p{N}_-])(${escaped})(?=$|[^\\p{L}\\p{N}_-])`, 'gu');
      for (const match of normalized.matchAll(pattern)) {
        const start = (match.index ?? 0) + match[1]!.length;
        const end = start + form.length;
        if (used.slice(start, end).some(Boolean)) continue;
        for (let i = start; i < end; i += 1) used[i] = true;
        if (!found.includes(name)) found.push(name);
      }
    }
  }
  return found;
}

/** Unclaimed tokens that are a tolerated typo of exactly one name. */
function fuzzyNames(tokens: readonly string[], names: readonly string[]): NameRef[] {
  const out: NameRef[] = [];
  for (const token of tokens) {
    if (token.length < 4 || VOCABULARY.has(token) || /^\d+$/.test(token)) continue;
    const hits = names.filter((name) => name.length >= 4 && tolerance(name.length) > 0 && near(token, name.toLowerCase()));
    if (hits.length === 1 && !out.some((ref) => ref.name === hits[0])) out.push({ name: hits[0]!, fuzzy: token });
  }
  return out;
}

/** Extracts every target the text names. `tokens` come from the same normalised text. */
export function extractTargets(normalized: string, tokens: readonly string[], world: OfflineWorld): Targets {
  const used = new Array<boolean>(normalized.length).fill(false);
  const guestNames = world.guests.map((guest) => guest.name ?? '').filter(Boolean);
  const containerNames = world.containers ?? [];
  const guestsByName = exactNames(normalized, guestNames, used);
  const containers = exactNames(normalized, containerNames, used).map((name) => ({ name }));
  // A unit may share a guest's name (nginx): units are matched on their own, not after guests claimed the text.
  // `docker`/`containerd` name a unit only when the text says service/daemon/unit (else they are type words).
  const serviceWords = /\b(service|daemon|unit|systemd)\b/.test(normalized);
  const units = exactNames(normalized, KNOWN_UNITS, new Array<boolean>(normalized.length).fill(false))
    .filter((name) => serviceWords || (name !== 'docker' && name !== 'containerd'))
    .map((name) => ({ name }));
  const nodes = exactNames(
    normalized,
    world.nodes.map((node) => node.name),
    used,
  ).map((name) => ({ name }));
  const guests: GuestRef[] = [];
  const unknownVmids: number[] = [];
  for (const token of tokens) {
    const match = VMID_TOKEN.exec(token);
    if (!match) continue;
    const vmid = Number(match[1]);
    if (vmid < 100 || guests.some((guest) => guest.vmid === vmid)) continue;
    const known = world.guests.find((guest) => guest.vmid === vmid);
    if (known) guests.push({ ...known, known: true });
    else if (world.guests.length > 0) unknownVmids.push(vmid);
    else guests.push({ vmid, node: '', type: 'qemu', known: false });
  }
  for (const name of guestsByName) {
    for (const guest of world.guests.filter((candidate) => candidate.name === name)) {
      if (!guests.some((ref) => ref.vmid === guest.vmid)) guests.push({ ...guest, known: true });
    }
  }
  // Typos only for tokens no exact match claimed.
  const claimed = new Set(
    [...guestsByName, ...containers.map((c) => c.name), ...units.map((u) => u.name), ...nodes.map((n) => n.name)].map((name) => name.toLowerCase()),
  );
  const free = tokens.filter((token) => !claimed.has(token) && !VMID_TOKEN.test(token));
  const fuzzy = {
    guests: fuzzyNames(free, guestNames),
    containers: fuzzyNames(free, containerNames),
    nodes: fuzzyNames(
      free,
      world.nodes.map((node) => node.name),
    ),
    units: fuzzyNames(free, KNOWN_UNITS),
  };
  for (const ref of fuzzy.guests) {
    for (const guest of world.guests.filter((candidate) => candidate.name === ref.name)) {
      if (!guests.some((known) => known.vmid === guest.vmid)) guests.push({ ...guest, known: true, fuzzy: ref.fuzzy });
    }
  }
  return {
    guests,
    containers: [...containers, ...fuzzy.containers.filter((ref) => !containers.some((c) => c.name === ref.name))],
    nodes: [...nodes, ...fuzzy.nodes.filter((ref) => !nodes.some((n) => n.name === ref.name))],
    units: [...units, ...fuzzy.units.filter((ref) => !units.some((u) => u.name === ref.name))],
    unknownVmids,
  };
}

/** `VM 201 (nginx on agent)`, `CT 207 (...)` style label (guestName). */
export function guestLabel(guest: GuestRef): string {
  return `${guestName(guest.type, guest.vmid)}${guest.name ? ` (${guest.name}${guest.node ? ` on ${guest.node}` : ''})` : ''}`;
}
