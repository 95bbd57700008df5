import { useState } from 'react';
import { z } from 'zod';
import { MEMORY_TIER_NAMES, MemoryDetailSchema, MemoryListSchema, MemoryWriteResultSchema } from '../../../src/protocol/memory.ts';
import { useApi } from '../hooks/use-api.ts';
import { apiRequest } from '../lib/api.ts';
import { formatClock } from '../lib/format.ts';
import { Section } from './section.tsx';
import { ScrollRegion } from './scroll-region.tsx';

const Ok = z.unknown();

/**
 * Memory: browse and search entries with their provenance and version history; operators edit,
 * confirm (pending facts from cluster data, contradictions) and delete; an admin wipes a tier.
 * Every write goes through the server's poisoning check, and a refusal is shown with its reasons.
 */
export function MemoryView({ role }: { role: string | undefined }) {
  const [tier, setTier] = useState('');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [draft, setDraft] = useState('');
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const canWrite = role === 'operator' || role === 'admin';
  const query = new URLSearchParams({ limit: '50', ...(tier ? { tier } : {}), ...(search ? { search } : {}) });
  const list = useApi(`/api/memory?${query.toString()}`, MemoryListSchema);
  const detail = useApi(selected ? `/api/memory/${encodeURIComponent(selected)}` : undefined, MemoryDetailSchema);

  async function write(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void> {
    const result = await apiRequest(path, method === 'DELETE' ? Ok : MemoryWriteResultSchema, { method, body });
    if (result.ok) {
      const value = result.value as { message?: string } | undefined;
      setNotice(value?.message ?? 'Done.');
    } else setNotice(result.error.message);
    list.reload();
    detail.reload();
  }

  return (
    <Section id="memory" title="Memory" loading={list.data === undefined && list.error === undefined} error={list.error?.message}>
      <form className="memory-filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Tier{' '}
          <select value={tier} onChange={(event) => setTier(event.target.value)}>
            <option value="">all</option>
            {MEMORY_TIER_NAMES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
        </label>
        {role === 'admin' && tier ? (
          <button type="button" onClick={() => window.confirm(`Wipe every ${tier} memory?`) && void write('DELETE', `/api/memory/tiers/${tier}`)}>
            Wipe {tier}
          </button>
        ) : null}
      </form>
      {canWrite ? (
        <form
          className="memory-add"
          onSubmit={(event) => {
            event.preventDefault();
            if (draft.trim()) void write('POST', '/api/memory', { text: draft }).then(() => setDraft(''));
          }}
        >
          <label>
            Remember <input value={draft} onChange={(event) => setDraft(event.target.value)} placeholder="a plain fact, e.g. VM 101 runs nginx" />
          </label>
          <button type="submit">Add</button>
        </form>
      ) : null}
      {notice ? (
        <p role="status" data-testid="memory-notice">
          {notice}
        </p>
      ) : null}
      <ScrollRegion label="Memory table">
        <table className="table memory">
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col">Text</th>
              <th scope="col">Status</th>
              <th scope="col">Written by</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(list.data?.entries ?? []).map((entry) => (
              <tr key={entry.id} data-testid="memory-row" data-status={entry.status}>
                <td>{entry.tier}</td>
                <td>
                  <button type="button" className="link" onClick={() => setSelected(entry.id)}>
                    {entry.text}
                  </button>
                  {entry.note ? <small> — {entry.note}</small> : null}
                </td>
                <td>
                  {entry.status}
                  {entry.provenance.tainted ? ' (from cluster data)' : ''}
                </td>
                <td>
                  {entry.provenance.writer} {entry.provenance.principal}
                  {entry.provenance.sourceId ? ` · ${entry.provenance.sourceId}` : ''}
                </td>
                <td>{formatClock(entry.updatedAt)}</td>
                <td>
                  {canWrite && entry.status !== 'active' ? (
                    <button type="button" onClick={() => void write('PUT', `/api/memory/${entry.id}`, { confirm: true })}>
                      Confirm
                    </button>
                  ) : null}
                  {canWrite ? (
                    <button
                      type="button"
                      onClick={() => {
                        const text = window.prompt('Edit memory', entry.text);
                        if (text) void write('PUT', `/api/memory/${entry.id}`, { text });
                      }}
                    >
                      Edit
                    </button>
                  ) : null}
                  {canWrite ? (
                    <button type="button" onClick={() => void write('DELETE', `/api/memory/${entry.id}`)}>
                      Delete
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p>{list.data ? `${list.data.entries.length} of ${list.data.total}` : null}</p>
      {detail.data ? (
        <aside aria-label="Version history" data-testid="memory-history">
          <h3>History of “{detail.data.entry.subject}”</h3>
          {detail.data.versions.length === 0 ? (
            <p>No changes since it was written.</p>
          ) : (
            <ol>
              {detail.data.versions.map((version) => (
                <li key={version.at + version.newText}>
                  {formatClock(version.at)}: “{version.oldText}” → “{version.newText}” by {version.provenance.principal}
                </li>
              ))}
            </ol>
          )}
        </aside>
      ) : null}
    </Section>
  );
}
