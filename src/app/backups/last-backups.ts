/**
 * The monitor's second "last successful backup per guest" source (MonitorDeps.backups): the
 * newest vzdump archive per guest in the backup catalog (PVE storage content). The catalog keeps
 * its own cadence (a listing at most every 10 min, or after a vzdump ended), so the monitor asking
 * on its tasks cadence costs no extra PVE reads. A catalog whose every storage listing failed is
 * an error (the monitor keeps what it knew); a partial listing reports what it saw.
 */
import type { LastBackupView } from '../../core/anomaly/index.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { BackupCatalog } from './backup-catalog.ts';

export function lastBackupsFrom(catalog: Pick<BackupCatalog, 'get'>): () => Promise<Result<readonly LastBackupView[], JarvisError>> {
  return async () => {
    const listing = await catalog.get();
    if (listing.storages.length > 0 && listing.storages.every((storage) => !storage.ok))
      return err(
        jarvisError(
          'PVE_UNREACHABLE',
          `no backup storage could be listed (${listing.storages.map((storage) => storage.error ?? storage.storage).join('; ')})`,
          {
            retryable: true,
          },
        ),
      );
    const newest = new Map<number, LastBackupView>();
    for (const volume of listing.volumes) {
      if (volume.vmid === undefined || volume.createdAt === undefined) continue;
      const before = newest.get(volume.vmid);
      if (before && before.at >= volume.createdAt) continue;
      newest.set(volume.vmid, { vmid: volume.vmid, at: volume.createdAt, node: volume.shared ? undefined : volume.node, source: `storage:${volume.storage}` });
    }
    return ok([...newest.values()]);
  };
}
