/**
 * Node logs: /syslog (paged `[{n, t}]` + total, journalctl -o short lines) and a minimal /journal
 * (text lines framed by first/last cursors).
 * @see reference pve-api.md §5.16, §5.17
 */
import { syslogLine } from '../world/journal.ts';
import { ok } from './reply.ts';
import type { Route } from './router.ts';
import { pageLines } from './task-routes.ts';

const syslogAcl = (params: Readonly<Record<string, string>>) => ({ path: `/nodes/${params.node}`, privilege: 'Sys.Syslog' });

/** `YYYY-MM-DD[ HH:MM[:SS]]` (UTC here) to epoch seconds; undefined when absent or invalid. */
function parseSince(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)) / 1000;
}

export const logRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: '/nodes/{node}/syslog',
    proxied: true,
    permission: syslogAcl,
    handler: ({ node, args }) => {
      const service = args.service === 'sshd' ? 'ssh' : args.service;
      const since = parseSince(args.since);
      const until = parseSince(args.until);
      const lines = node.journal
        .filter((entry) => service === undefined || entry.unit === service || entry.identifier === service || (service === 'ssh' && entry.unit === 'sshd'))
        .filter((entry) => (since === undefined || entry.time >= since) && (until === undefined || entry.time <= until))
        .map((entry) => syslogLine(node.name, entry));
      // Like PVE's dump_journal: pages from the OLDEST line of the window (`start` 0 by default,
      // `limit` 50 when absent or 0), `n` 1-based, `total` = all lines; clients that want the newest
      // lines read `total` and ask for `start = total - limit`. Empty: one `no content` line.
      const limit = Number(args.limit ?? 50) || 50;
      return pageLines(lines, args.start, String(limit));
    },
  },
  {
    method: 'GET',
    pattern: '/nodes/{node}/journal',
    proxied: true,
    permission: syslogAcl,
    handler: ({ node, args }) => {
      const since = args.since !== undefined ? Number(args.since) : undefined;
      const until = args.until !== undefined ? Number(args.until) : undefined;
      let entries = node.journal.filter((entry) => (since === undefined || entry.time >= since) && (until === undefined || entry.time <= until));
      const last = Number(args.lastentries ?? 0);
      if (last > 0) entries = entries.slice(-last);
      if (entries.length === 0) return ok([]);
      const cursor = (index: number): string => `s=sim;i=${index.toString(16)};t=${entries[index]!.time}`;
      return ok([cursor(0), ...entries.map((entry) => syslogLine(node.name, entry)), cursor(entries.length - 1)]);
    },
  },
];
