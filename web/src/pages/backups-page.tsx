import type { SnapshotDto, TaskDto } from '../../../src/protocol/index.ts';
import { Section } from '../components/section.tsx';
import { useFreshness } from '../components/freshness-context.ts';
import { formatAge } from '../lib/freshness.ts';
import { BACKUP_STALE_MS, backupNeedsAttention, lastBackups } from '../lib/guest-view.ts';
import { href } from '../lib/router.ts';

/**
 * `#/backups`: the last backup of every guest (newest PVE `vzdump` task naming it) with its age and
 * result. Guests with none, a failed one or one older than 48 h come first and stand out.
 * Templates are listed but never flagged.
 */
export function BackupsPage({ snapshot, tasks, loaded }: { snapshot: SnapshotDto | null; tasks: ReadonlyMap<string, TaskDto>; loaded: boolean }) {
  const { now, offsetMs } = useFreshness();
  const serverNow = now + offsetMs;
  const backups = lastBackups(tasks.values());
  const rows = (snapshot?.guests ?? []).map((guest) => {
    const backup = backups.get(guest.vmid);
    return { guest, backup, attention: !guest.template && backupNeedsAttention(backup, serverNow) };
  });
  rows.sort((a, b) => Number(b.attention) - Number(a.attention) || a.guest.vmid - b.guest.vmid);
  const flagged = rows.filter((row) => row.attention).length;
  return (
    <Section id="backups" title="Backups" loading={!loaded} error={loaded && !snapshot ? 'no cluster data' : undefined} dataTs={snapshot?.takenAt}>
      <p className={flagged ? 'notice' : 'muted'} data-testid="backups-summary">
        {flagged ? `⚠ ${flagged} of ${rows.length} guests have no backup in the last ${BACKUP_STALE_MS / 3_600_000} h (or the last one failed).` : `✔ Every guest has a backup younger than ${BACKUP_STALE_MS / 3_600_000} h.`}
        {' '}Source: PVE backup tasks (vzdump) Jarvis has seen.
      </p>
      <table className="table dense">
        <thead><tr><th scope="col">Guest</th><th scope="col">Node</th><th scope="col">Last backup</th><th scope="col">Result</th></tr></thead>
        <tbody>
          {rows.map(({ guest, backup, attention }) => (
            <tr key={guest.vmid} data-testid={`backup-${guest.vmid}`} data-attention={attention} className={attention ? 'backup-missing' : undefined}>
              <td><a href={href('guest', guest.vmid)}>{guest.vmid} {guest.name ?? ''}</a>{guest.template ? ' (template)' : ''}</td>
              <td>{guest.node}</td>
              <td className="mono">{backup ? `${formatAge(Math.max(0, serverNow - backup.at))} ago` : '⚠ never seen'}</td>
              <td>{!backup ? '—' : backup.running ? '⏳ running' : backup.ok ? `✔ ${backup.exitstatus ?? 'OK'}` : `✖ ${backup.exitstatus ?? 'failed'}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
