/** search_logs: recent syslog/journal lines of a node, optionally filtered by unit and text (read). */
import { z } from 'zod';
import { ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { LogLine } from '../../core/ports/cluster.ts';
import type { ToolRun } from './tool-context.ts';
import { formatUtc } from '../../core/safety/command-catalogue.ts';
import { countField, nodeField, textField, unitField } from './fields.ts';
import { defineTool, failure, READ_ANNOTATIONS, success } from './define-tool.ts';
import { cleanText, provenance, summarize } from './format.ts';

export const searchLogs = defineTool({
  name: 'search_logs',
  title: 'Search node logs',
  description: 'Recent journal lines of a node; filter by text, service unit, minutes back (default 60).',
  category: 'read',
  input: z.object({ node: nodeField, text: textField(100).optional(), service: unitField.optional(), minutes: countField(1, 10080).optional() }),
  annotations: READ_ANNOTATIONS,
  timeout: 'read',
  needs: ['pve'],
  async handler(input, run) {
    const minutes = input.minutes ?? 60;
    const limit = 40;
    const since = formatUtc(run.now - minutes * 60_000);
    // Read more than `limit` when filtering by text, so the filter has something to choose from.
    const fetch = input.text ? 500 : limit;
    const read = await newestLines(run, input.node, { since, fetch, service: input.service });
    if (!read.ok) return failure('search_logs', read.error);
    const needle = input.text?.toLowerCase();
    const all = read.value.map((line) => cleanText(line.t, 300).replace(/\n/g, ' '));
    const matching = needle ? all.filter((line) => line.toLowerCase().includes(needle)) : all;
    const newest = matching.slice(-limit);
    const header = `Log of ${input.node}${input.service ? ` unit ${input.service}` : ''}, last ${minutes} min${input.text ? `, containing "${cleanText(input.text, 100)}"` : ''}: ${newest.length} of ${matching.length} matching line(s).`;
    const summary = summarize(
      header,
      newest.slice().reverse(),
      provenance(`pve:/nodes/${input.node}/syslog`, run.now, input.node),
      'add text=, service= or fewer minutes',
    );
    return success(summary.text, {
      node: input.node,
      service: input.service ?? null,
      matched: matching.length,
      lines: newest.slice().reverse().slice(0, summary.shown),
      omitted: summary.omitted,
    });
  },
});

/**
 * The newest `fetch` lines since `since`. PVE's /syslog pages journalctl output from the OLDEST line
 * (`start` defaults to 0) and reports the `total`, so when the window holds more than one page a
 * second request asks for the last page. PVE's empty answer (one `no content` line) becomes [].
 */
async function newestLines(
  run: ToolRun,
  node: string,
  query: { since: string; fetch: number; service?: string | undefined },
): Promise<Result<readonly LogLine[], JarvisError>> {
  const options = { signal: run.signal, timeoutMs: run.context.timeouts.read };
  const base = { since: query.since, limit: query.fetch, ...(query.service ? { service: query.service } : {}) };
  const first = await run.context.cluster.syslog(node, { ...base, start: 0 }, options);
  if (!first.ok) return first;
  let lines = first.value.lines;
  if (first.value.total > lines.length) {
    const last = await run.context.cluster.syslog(node, { ...base, start: first.value.total - query.fetch }, options);
    if (!last.ok) return last;
    lines = last.value.lines;
  }
  const empty = first.value.total <= 1 && lines.length === 1 && lines[0]!.t === 'no content';
  return ok(empty ? [] : lines);
}
