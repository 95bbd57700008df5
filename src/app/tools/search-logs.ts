/** search_logs: recent syslog/journal lines of a node, optionally filtered by unit and text (read). */
import { z } from 'zod';
import { formatUtc } from '../../core/safety/command-catalogue.ts';
import { countField, nodeField, textField, unitField } from './fields.ts';
import { defineTool, failure, READ_ANNOTATIONS, success } from './define-tool.ts';
import { cleanText, provenance, summarize } from './format.ts';

export const searchLogs = defineTool({
  name: 'search_logs',
  title: 'Search node logs',
  description:
    'Recent journal lines of a node; filter by text, service unit, minutes back (default 60).',
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
    const read = await run.context.cluster.syslog(input.node, { since, limit: fetch, ...(input.service ? { service: input.service } : {}) }, { signal: run.signal, timeoutMs: run.context.timeouts.read });
    if (!read.ok) return failure('search_logs', read.error);
    const needle = input.text?.toLowerCase();
    const all = read.value.lines.map((line) => cleanText(line.t, 300).replace(/\n/g, ' '));
    const matching = needle ? all.filter((line) => line.toLowerCase().includes(needle)) : all;
    const newest = matching.slice(-limit);
    const header = `Log of ${input.node}${input.service ? ` unit ${input.service}` : ''}, last ${minutes} min${input.text ? `, containing "${cleanText(input.text, 100)}"` : ''}: ${newest.length} of ${matching.length} matching line(s).`;
    const summary = summarize(header, newest.slice().reverse(), provenance(`pve:/nodes/${input.node}/syslog`, run.now, input.node), 'add text=, service= or fewer minutes');
    return success(summary.text, { node: input.node, service: input.service ?? null, matched: matching.length, lines: newest.slice().reverse().slice(0, summary.shown), omitted: summary.omitted });
  },
});
