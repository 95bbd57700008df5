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

/** Host services Jarvis knows by name (plus anything spelled `<unit>.service`). */
export const KNOWN_SERVICES: readonly string[] = [
  'pveproxy', 'pvedaemon', 'pvestatd', 'pve-cluster', 'corosync', 'pve-ha-lrm', 'pve-ha-crm', 'pvescheduler', 'pve-firewall',
  'spiceproxy', 'qmeventd', 'sshd', 'chrony', 'cron', 'postfix', 'nginx', 'docker', 'containerd', 'zfs-zed', 'smartd', 'ceph', 'rrdcached',
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

export function catalogueOf(snapshot: ClusterSnapshot | null): EntityCatalogue {
  if (!snapshot) return { nodes: [], guests: [] };
  return { nodes: snapshot.nodes.map((node) => node.name), guests: snapshot.guests.map((guest) => ({ vmid: guest.vmid, name: guest.name })) };
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
  const keys = new Set<string>();
  const guestIds = new Set(catalogue.guests.map((guest) => guest.vmid));
  for (const match of folded.matchAll(/\b(?:vm|ct|vmid|guest|lxc|container|qemu)\s*#?\s*(\d{2,9})\b/g)) keys.add(`vm:${match[1]}`);
  for (const match of folded.matchAll(/\b(\d{3,9})\b/g)) if (guestIds.has(Number(match[1]))) keys.add(`vm:${match[1]}`);
  for (const guest of catalogue.guests) {
    if (guest.name && guest.name.length >= 2 && new RegExp(`(?:^|[^\\w-])${escapeRe(foldText(guest.name))}(?![\\w-])`).test(folded)) keys.add(`vm:${guest.vmid}`);
  }
  for (const node of catalogue.nodes) {
    if (new RegExp(`(?:^|[^\\w-])${escapeRe(foldText(node))}(?![\\w-])`).test(folded)) keys.add(`node:${foldText(node)}`);
  }
  for (const service of KNOWN_SERVICES) if (new RegExp(`(?:^|[^\\w-])${escapeRe(service)}(?:\\.service)?(?![\\w-])`).test(folded)) keys.add(`service:${service}`);
  for (const match of folded.matchAll(/\b([a-z0-9@_.-]+)\.service\b/g)) keys.add(`service:${match[1]}`);
  for (const [topic, pattern] of Object.entries(TOPICS)) if (pattern.test(folded)) keys.add(`topic:${topic}`);
  return [...keys].sort();
}

export const isTopicKey = (key: string): boolean => key.startsWith('topic:');
