/**
 * Entity and topic keys: how requests, entries and the snapshot meet. Keys are normalised strings
 * (`node:agent1`, `vm:103`, `service:pveproxy`, `topic:backup`); guest names resolve to `vm:<id>`
 * through the live snapshot, so "web01" and "VM 101" select the same memories.
 */
import type { ClusterSnapshot } from '../domain/cluster.ts';
import { foldText } from './decode-views.ts';

export interface EntityCatalogue {
  readonly nodes: readonly string[];
  readonly guests: readonly { readonly vmid: number; readonly name?: string | undefined }[];
}

/** Lookup tables built once per catalogue: folded single-word names -> keys, multi-word names apart. */
interface CatalogueIndex {
  readonly words: ReadonlyMap<string, readonly string[]>;
  readonly phrases: readonly (readonly [string, string])[];
  readonly vmids: ReadonlySet<number>;
}

const indexes = new WeakMap<EntityCatalogue, CatalogueIndex>();
const WORD_SPLIT = /[^\p{L}\p{N}_.@-]+/u;

function indexOf(catalogue: EntityCatalogue): CatalogueIndex {
  const cached = indexes.get(catalogue);
  if (cached) return cached;
  const words = new Map<string, string[]>();
  const phrases: [string, string][] = [];
  const add = (name: string, key: string): void => {
    const folded = foldText(name);
    if (folded.length < 2) return;
    if (WORD_SPLIT.test(folded)) phrases.push([folded, key]);
    else words.set(folded, [...(words.get(folded) ?? []), key]);
  };
  for (const guest of catalogue.guests) if (guest.name) add(guest.name, `vm:${guest.vmid}`);
  for (const node of catalogue.nodes) add(node, `node:${foldText(node)}`);
  const index = { words, phrases, vmids: new Set(catalogue.guests.map((guest) => guest.vmid)) };
  indexes.set(catalogue, index);
  return index;
}

/** Host services Jarvis knows by name (plus anything spelled `<unit>.service`). */
export const KNOWN_SERVICES: readonly string[] = [
  'pveproxy',
  'pvedaemon',
  'pvestatd',
  'pve-cluster',
  'corosync',
  'pve-ha-lrm',
  'pve-ha-crm',
  'pvescheduler',
  'pve-firewall',
  'spiceproxy',
  'qmeventd',
  'sshd',
  'chrony',
  'cron',
  'postfix',
  'nginx',
  'docker',
  'containerd',
  'zfs-zed',
  'smartd',
  'ceph',
  'rrdcached',
];

/** Topics: request words -> one key, so an event about backups matches "why did the backup fail?". */
export const TOPICS: Readonly<Record<string, RegExp>> = {
  backup: /\b(?:backups?|vzdump|snapshots?|restore|pbs)\b/,
  storage: /\b(?:storage|disks?|zfs|lvm|thin ?pool|full|space|datastore|nfs|ceph)\b/,
  network: /\b(?:network|bridge|vmbr\d*|interfaces?|dns|ip|gateway|vlan|firewall|ping|latency)\b/,
  cluster: /\b(?:quorum|corosync|cluster|votes?|split[- ]brain)\b/,
  performance: /\b(?:cpu|load|memory|ram|swap|slow|performance|usage|oom)\b/,
  update: /\b(?:updates?|upgrades?|apt|versions?|packages?|kernel)\b/,
  certificate: /\b(?:certs?|certificates?|tls|ssl|acme)\b/,
  ha: /\b(?:ha|failover|fencing|fenced|watchdog)\b/,
  docker: /\b(?:docker|containers?|compose|images?)\b/,
  power: /\b(?:start(?:ed)?|stop(?:ped)?|reboot(?:ed)?|shut ?down|crash(?:ed)?|offline|online|down|restart(?:ed)?|power)\b/,
  task: /\b(?:tasks?|jobs?|failed|errors?|fail(?:ure)?s?)\b/,
};

const EMPTY_CATALOGUE: EntityCatalogue = { nodes: [], guests: [] };
const catalogues = new WeakMap<ClusterSnapshot, EntityCatalogue>();

/** The snapshot's names (cached per snapshot object: snapshots are immutable). */
export function catalogueOf(snapshot: ClusterSnapshot | null): EntityCatalogue {
  if (!snapshot) return EMPTY_CATALOGUE;
  const cached = catalogues.get(snapshot);
  if (cached) return cached;
  const catalogue = { nodes: snapshot.nodes.map((node) => node.name), guests: snapshot.guests.map((guest) => ({ vmid: guest.vmid, name: guest.name })) };
  catalogues.set(snapshot, catalogue);
  return catalogue;
}

const escapeRe = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Normalises a caller-given key (`VM 103`, `node:Agent1`, `103`) to the key form; undefined when not a key. */
export function normaliseEntityKey(value: string): string | undefined {
  const folded = foldText(value).replace(/\s+/g, ' ');
  const typed = /^(node|vm|service|topic):\s*(\S+)$/.exec(folded);
  if (typed) return `${typed[1]}:${typed[2]}`;
  const vm = /^(?:vm|ct|vmid|guest|lxc|qemu)?\s*#?(\d{2,9})$/.exec(folded);
  if (vm) return `vm:${vm[1]}`;
  return undefined;
}

/** Entity and topic keys found in `text`, deduplicated, in a stable order. */
export function extractEntities(text: string, catalogue: EntityCatalogue): string[] {
  const folded = foldText(text);
  const index = indexOf(catalogue);
  const keys = new Set<string>();
  for (const match of folded.matchAll(/\b(?:vm|ct|vmid|guest|lxc|container|qemu)\s*#?\s*(\d{2,9})\b/g)) keys.add(`vm:${match[1]}`);
  for (const match of folded.matchAll(/\b(\d{3,9})\b/g)) if (index.vmids.has(Number(match[1]))) keys.add(`vm:${match[1]}`);
  for (const raw of folded.split(WORD_SPLIT)) {
    // Words may end in sentence punctuation ("web01.", "agent1?"): try the word and the word without it.
    for (const word of new Set([raw, raw.replace(/[.@_-]+$/, '')])) for (const key of index.words.get(word) ?? []) keys.add(key);
  }
  for (const [phrase, key] of index.phrases) {
    const at = folded.indexOf(phrase);
    if (at >= 0 && !/[\p{L}\p{N}]/u.test(folded[at - 1] ?? ' ') && !/[\p{L}\p{N}]/u.test(folded[at + phrase.length] ?? ' ')) keys.add(key);
  }
  for (const service of KNOWN_SERVICES)
    if (folded.includes(service) && new RegExp(`(?:^|[^\\w-])${escapeRe(service)}(?:\\.service)?(?![\\w-])`).test(folded)) keys.add(`service:${service}`);
  for (const match of folded.matchAll(/\b([a-z0-9@_.-]+)\.service\b/g)) keys.add(`service:${match[1]}`);
  for (const [topic, pattern] of Object.entries(TOPICS)) if (pattern.test(folded)) keys.add(`topic:${topic}`);
  return [...keys].sort();
}

export const isTopicKey = (key: string): boolean => key.startsWith('topic:');
