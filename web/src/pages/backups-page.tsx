import type { BackupsDto, SnapshotDto, TaskDto } from '../../../src/protocol/index.ts';
import { Section } from '../components/section.tsx';
import { useFreshness } from '../components/freshness-context.ts';
import { formatAge } from '../lib/freshness.ts';
import { formatBytes } from '../lib/format.ts';
import { BACKUP_STALE_MS, backupNeedsAttention, lastBackups } from '../lib/guest-view.ts';
import { href } from '../lib/router.ts';
import { ScrollRegion } from '../components/scroll-region.tsx';

/**
 * `#/backups`: the last backup of every guest — the newest of the archives on the backup storages
 * (GET /api/backups, listed by the server on a slow cadence) and the successful PVE `vzdump` tasks —
 * with its age, result (from the task when known) and archive. Guests with none, a failed one or
 * one older than 48 h come first and stand out. Templates are listed but never flagged.
 */
export function BackupsPage({
  snapshot,
  tasks,
  catalog,
  loaded,
}: {
  snapshot: SnapshotDto | null;
  tasks: ReadonlyMap<string, TaskDto>;
  catalog: { data: BackupsDto | undefined; error: string | undefined };
  loaded: boolean;
}) {
  const { now, offsetMs } = useFreshness();
  const serverNow = now + offsetMs;
  const backups = lastBackups(tasks.values(), catalog.data?.volumes);
  const rows = (snapshot?.guests ?? []).map((guest) => {
    const backup = backups.get(guest.vmid);
    return { guest, backup, attention: !guest.template && backupNeedsAttention(backup, serverNow) };
  });
  rows.sort((a, b) => Number(b.attention) - Number(a.attention) || a.guest.vmid - b.guest.vmid);
  const flagged = rows.filter((row) => row.attention).length;
  const failedStorages = catalog.data?.storages.filter((entry) => !entry.ok) ?? [];
  const storageNote = catalog.error
    ? `backup storages could not be listed (${catalog.error}): PVE backup tasks only`
    : catalog.data?.readAt === undefined
      ? 'backup storages not listed yet: PVE backup tasks only'
      : `PVE backup tasks and the contents of ${catalog.data.storages.length} backup storage listing${catalog.data.storages.length === 1 ? '' : 's'} (${formatAge(Math.max(0, serverNow - catalog.data.readAt))} old; shared storage listed once)`;
  return (
    <Section id="backups" title="Backups" loading={!loaded} error={loaded && !snapshot ? 'no cluster data' : undefined} dataTs={snapshot?.takenAt}>
      <p className={flagged ? 'notice' : 'muted'} data-testid="backups-summary">
        {flagged
          ? `⚠ ${flagged} of ${rows.length} guests have no backup in the last ${BACKUP_STALE_MS / 3_600_000} h (or the last one failed).`
          : `✔ Every guest has a backup younger than ${BACKUP_STALE_MS / 3_600_000} h.`}
      </p>
      <p className="muted small" data-testid="backups-source">
        Source: {storageNote}.
      </p>
      {failedStorages.length > 0 ? (
        <p className="notice small" data-testid="backups-storage-errors">
          ⚠ Not listed: {failedStorages.map((entry) => `${entry.storage}${entry.shared ? '' : ` on ${entry.node}`}`).join(', ')} — archives there are not
          counted.
        </p>
      ) : null}
      <ScrollRegion label="Backups table">
        <table className="table dense">
          <thead>
            <tr>
              <th scope="col">Guest</th>
              <th scope="col">Node</th>
              <th scope="col">Last backup</th>
              <th scope="col">Result</th>
              <th scope="col">Archive</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ guest, backup, attention }) => (
              <tr
                key={guest.vmid}
                data-testid={`backup-${guest.vmid}`}
                data-attention={attention}
                data-source={backup?.source}
                className={attention ? 'backup-missing' : undefined}
              >
                <td>
                  <a href={href('guest', guest.vmid)}>
                    {guest.vmid} {guest.name ?? ''}
                  </a>
                  {guest.template ? ' (template)' : ''}
                </td>
                <td>{guest.node}</td>
                <td className="mono">{backup ? `${formatAge(Math.max(0, serverNow - backup.at))} ago` : '⚠ never seen'}</td>
                <td>
                  {!backup
                    ? '—'
                    : backup.running
                      ? '◷ running'
                      : backup.ok === false
                        ? `✖ ${backup.exitstatus ?? 'failed'}`
                        : backup.source === 'storage' && backup.exitstatus === undefined
                          ? '✔ archive on storage'
                          : `✔ ${backup.exitstatus ?? 'OK'}`}
                </td>
                <td className="mono small archive">
                  {backup?.storage ? `${backup.storage}${backup.size !== undefined ? ` · ${formatBytes(backup.size)}` : ''}` : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </Section>
  );
}
