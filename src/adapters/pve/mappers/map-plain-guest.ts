import type { Guest } from '../../../core/domain/cluster.ts';
import { mapGuest } from './map-guest.ts';

const NUMBER_FIELDS = ['uptime', 'cpu', 'maxcpu', 'mem', 'maxmem', 'disk', 'maxdisk', 'netin', 'netout'] as const;
const STRING_FIELDS = ['status', 'name', 'tags', 'lock', 'hastate'] as const;

const finite = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);
const absent = (value: unknown): boolean => value === undefined || value === null;

/**
 * The hot path of a poll: a guest entry of /cluster/resources as PVE usually sends it (plain JSON
 * numbers, `template` 0/1 or boolean), checked field by field and mapped straight to a Guest.
 * Returns undefined for anything else (numeric strings, odd types), which the caller then decodes
 * with the lenient zod schema (`resourceGuestSchema`): same result, 10-20x the cost per entry, so
 * it is kept for the entries that need it (docs/benchmarks.md, "Poll cycle").
 * Equivalence with `resourceGuestFastSchema` + mapGuest is a property test (mappers.test.ts).
 */
export function mapPlainGuest(entry: unknown): Guest | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const raw = entry as Record<string, unknown>;
  if ((raw.type !== 'qemu' && raw.type !== 'lxc') || !finite(raw.vmid) || typeof raw.node !== 'string') return undefined;
  for (const field of NUMBER_FIELDS) if (!absent(raw[field]) && !finite(raw[field])) return undefined;
  for (const field of STRING_FIELDS) if (!absent(raw[field]) && typeof raw[field] !== 'string') return undefined;
  const template = raw.template;
  if (!absent(template) && template !== 0 && template !== 1 && typeof template !== 'boolean') return undefined;
  return mapGuest(raw as unknown as Parameters<typeof mapGuest>[0]);
}
