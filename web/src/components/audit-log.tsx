import { useContext, useEffect, useState } from 'react';
import { AuditPageSchema, type AuditEntryDto } from '../../../src/protocol/index.ts';
import { useApi } from '../hooks/use-api.ts';
import { formatClock } from '../lib/format.ts';
import { FreshnessContext } from './freshness-context.ts';
import { Section } from './section.tsx';
import { ScrollRegion } from './scroll-region.tsx';

/**
 * The audit log, paged newest-first (GET /api/audit?before=&limit=). The first page also shows
 * rows appended live over the WebSocket since it was loaded, so it is as fresh as the last server
 * frame (`liveTs`, heartbeats included); an older page is as old as its fetch.
 */
/** `#audit-42` (an alert timeline's link to an audit row): the page that starts at that row. */
function linkedSeq(): number | undefined {
  const match = /^#audit-(\d{1,15})$/.exec(window.location.hash);
  return match ? Number(match[1]) : undefined;
}

export function AuditLog({ live, liveTs }: { live: readonly AuditEntryDto[]; liveTs: number | undefined }) {
  const [linked, setLinked] = useState<number | undefined>(linkedSeq);
  const [cursors, setCursors] = useState<number[]>(() => (linked !== undefined ? [linked + 1] : []));
  useEffect(() => {
    const onHash = () => {
      const seq = linkedSeq();
      if (seq === undefined) return;
      setLinked(seq);
      setCursors([seq + 1]);
      document.getElementById('audit')?.scrollIntoView();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const { offsetMs } = useContext(FreshnessContext);
  const before = cursors.at(-1);
  const page = useApi(`/api/audit?limit=20${before !== undefined ? `&before=${before}` : ''}`, AuditPageSchema);
  const fetched = page.data?.entries ?? [];
  const newest = fetched[0]?.seq ?? -1;
  const rows = before === undefined ? [...live.filter((entry) => entry.seq > newest), ...fetched] : fetched;
  return (
    <Section
      id="audit"
      title="Audit log"
      loading={page.data === undefined && page.error === undefined}
      error={page.error?.message}
      dataTs={page.loadedAt !== undefined ? Math.max(page.loadedAt + offsetMs, before === undefined ? (liveTs ?? 0) : 0) : undefined}
      actions={
        <button type="button" onClick={page.reload}>
          Refresh
        </button>
      }
    >
      <ScrollRegion label="Audit log table">
        <table className="table audit">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Tier</th>
              <th scope="col">Verdict / result</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((entry) => (
              <tr
                key={entry.seq}
                id={`audit-${entry.seq}`}
                className={entry.seq === linked ? 'linked' : undefined}
                data-testid="audit-row"
                data-action={entry.action ?? ''}
                data-verdict={entry.verdict}
              >
                <td>{entry.seq}</td>
                <td>{formatClock(entry.time)}</td>
                <td>{entry.actor}</td>
                <td>{entry.action ?? entry.tool ?? '—'}</td>
                <td>{entry.target ?? '—'}</td>
                <td>{entry.tier ?? '—'}</td>
                <td>
                  {entry.verdict}
                  {entry.result ? ` → ${entry.result}` : ''}
                  {entry.reasons.length ? ` (${entry.reasons.join('; ')})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <nav className="pager" aria-label="Audit pages">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button type="button" disabled={!page.data?.nextBefore} onClick={() => page.data?.nextBefore && setCursors([...cursors, page.data.nextBefore])}>
          Older
        </button>
      </nav>
    </Section>
  );
}
