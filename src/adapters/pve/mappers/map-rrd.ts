import type { RrdSample } from '../../../core/ports/cluster.ts';
import type { RrdWire } from '../schemas/node.ts';

/**
 * RRD samples: keeps finite numeric data sources (numeric strings accepted); a source without a
 * value for the slot stays absent, never 0.
 * @see https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/rrddata
 */
export function mapRrd(wire: RrdWire): RrdSample[] {
  return wire.map((sample) => {
    const values: Record<string, number> = {};
    for (const [key, raw] of Object.entries(sample)) {
      if (key === 'time') continue;
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      if (Number.isFinite(value)) values[key] = value;
    }
    return { time: sample.time, values };
  });
}
