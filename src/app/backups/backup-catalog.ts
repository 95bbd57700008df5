/**
 * The vzdump archives on the cluster's backup storages, for the dashboard's backups view and the
 * guest table's backup age. Poll budget: never read on a poll. A listing is made on demand (GET
 * /api/backups) when the cached one is older than `maxAgeMs` (default 10 min), or after a `vzdump`
 * task ended (the bus's `task.finished`), but never more often than `minIntervalMs` (default 30 s).
 * One listing per shared storage (through one node that sees it), one per node for local ones:
 * a storage on N nodes is never listed N times.
 */
import type { ClusterSnapshot, StorageEntry } from '../../core/domain/cluster.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { BackupVolume, ClusterApi } from '../../core/ports/cluster.ts';
import type { EventBus } from '../../core/ports/events.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { BackupsDto, BackupVolumeDto } from '../../protocol/index.ts';

export interface BackupCatalogDeps {
  readonly cluster: Pick<ClusterApi, 'backupVolumes'>;
  readonly snapshot: () => ClusterSnapshot | null | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly maxAgeMs?: number | undefined;
  readonly minIntervalMs?: number | undefined;
}

export interface BackupCatalog {
  /** The cached listing, re-read first when it is older than maxAgeMs or was invalidated (single flight). */
  get(): Promise<BackupsDto>;
  /** Marks the listing out of date (a backup task ended): the next get() re-reads, respecting minIntervalMs. */
  invalidate(): void;
  /** Listens for `task.finished` of `vzdump` tasks; returns the unsubscribe function. */
  subscribe(bus: EventBus): () => void;
}

/** A listing to make: a shared storage once, a local one on its node. */
export interface StorageListing {
  readonly storage: string;
  readonly node: string;
  readonly shared: boolean;
  /** False when no node reports the storage available (not listed; reported as an error). */
  readonly available: boolean;
}

/**
 * The listings for one snapshot: storages with `backup` content; a shared storage once, through
 * the first node (by name) that is online and sees it available; a local one per node.
 */
export function backupListings(snapshot: ClusterSnapshot): StorageListing[] {
  const online = new Set(snapshot.nodes.filter((node) => node.status === 'online').map((node) => node.name));
  const usable = (entry: StorageEntry) => entry.status === 'available' && online.has(entry.node);
  const byKey = new Map<string, StorageEntry[]>();
  for (const entry of snapshot.storage) {
    if (!entry.content.includes('backup')) continue;
    const key = entry.shared ? `shared:${entry.storage}` : `${entry.node}/${entry.storage}`;
    byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  }
  const out: StorageListing[] = [];
  for (const entries of byKey.values()) {
    const sorted = [...entries].sort((a, b) => a.node.localeCompare(b.node));
    const via = sorted.find(usable) ?? sorted[0]!;
    out.push({ storage: via.storage, node: via.node, shared: via.shared, available: usable(via) });
  }
  return out.sort((a, b) => Number(b.shared) - Number(a.shared) || a.storage.localeCompare(b.storage) || a.node.localeCompare(b.node));
}

function volumeDto(volume: BackupVolume, shared: boolean): BackupVolumeDto {
  return {
    volid: volume.volid,
    storage: volume.storage,
    node: volume.node,
    shared,
    protected: volume.protected,
    ...(volume.vmid !== undefined ? { vmid: volume.vmid } : {}),
    ...(volume.ctime !== undefined ? { createdAt: volume.ctime * 1000 } : {}),
    ...(volume.size !== undefined ? { size: volume.size } : {}),
    ...(volume.format !== undefined ? { format: volume.format } : {}),
    ...(volume.notes !== undefined ? { notes: volume.notes } : {}),
  };
}

const CONCURRENCY = 4;

export function createBackupCatalog(deps: BackupCatalogDeps): BackupCatalog {
  const maxAgeMs = deps.maxAgeMs ?? 600_000;
  const minIntervalMs = deps.minIntervalMs ?? 30_000;
  let cached: BackupsDto = { volumes: [], storages: [], maxAgeMs };
  let stale = true;
  let inflight: Promise<BackupsDto> | undefined;

  async function read(): Promise<BackupsDto> {
    const snapshot = deps.snapshot();
    if (!snapshot) return cached;
    const listings = backupListings(snapshot);
    const results: { listing: StorageListing; volumes: BackupVolume[]; error?: string }[] = [];
    const queue = [...listings];
    const worker = async () => {
      for (let listing = queue.shift(); listing; listing = queue.shift()) {
        if (!listing.available) {
          results.push({ listing, volumes: [], error: 'storage not available on any online node' });
          continue;
        }
        const result = await deps.cluster.backupVolumes(listing.node, listing.storage);
        if (result.ok) results.push({ listing, volumes: result.value });
        else {
          deps.logger.warn({ storage: listing.storage, node: listing.node, code: result.error.code }, 'backups: storage listing failed');
          results.push({ listing, volumes: [], error: `${result.error.code}: ${result.error.message}` });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, listings.length) }, worker));
    const order = new Map(listings.map((listing, index) => [listing, index]));
    results.sort((a, b) => order.get(a.listing)! - order.get(b.listing)!);
    const volumes = results.flatMap(({ listing, volumes }) => volumes.map((volume) => volumeDto(volume, listing.shared)));
    volumes.sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || a.volid.localeCompare(b.volid));
    return {
      volumes,
      storages: results.map(({ listing, volumes, error }) => ({
        storage: listing.storage,
        node: listing.node,
        shared: listing.shared,
        ok: error === undefined,
        ...(error !== undefined ? { error } : {}),
        count: volumes.length,
      })),
      readAt: deps.clock.now(),
      maxAgeMs,
    };
  }

  function due(): boolean {
    if (cached.readAt === undefined) return true;
    const age = deps.clock.now() - cached.readAt;
    return age >= maxAgeMs || (stale && age >= minIntervalMs);
  }

  return {
    async get() {
      if (!due()) return cached;
      inflight ??= read()
        .then((fresh) => {
          if (fresh.readAt !== undefined) {
            cached = fresh;
            stale = false;
          }
          return cached;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
    invalidate() {
      stale = true;
    },
    subscribe(bus) {
      return bus.on('task.finished', (task) => {
        if (task.type === 'vzdump') stale = true;
      });
    },
  };
}
