/** Small text helpers shared by the simulated commands (all times are UTC, from the simulated clock). */

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `2026-11-25T10:14:33+0000` (journalctl -o short-iso). */
export function isoSeconds(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${clock(date)}+0000`;
}

/** `Wed 2026-11-25 06:00:00 UTC` (systemctl status). */
export function systemdTimestamp(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${clock(date)} UTC`;
}

/** `10:14:33` */
export function clock(date: Date): string {
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** Parses `YYYY-MM-DD HH:MM:SS` as UTC into epoch seconds; undefined when malformed. */
export function parseJournalTime(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(millis) ? undefined : millis / 1000;
}

/** `3 days 4h ago`-style relative age, as systemctl prints it. */
export function ago(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}min ago`;
  return `${Math.floor(s / 86400)} days ago`;
}

/** Right-aligns each column to its widest cell (first column left-aligned). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows
    .map((row) => row.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join(' '))
    .map((line) => `${line.trimEnd()}\n`)
    .join('');
}
