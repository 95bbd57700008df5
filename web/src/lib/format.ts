/**
 * Display formatting. A figure PVE does not know arrives as `undefined` and is shown as "—"
 * (never 0): QEMU disk without a guest agent, stopped guest memory, offline node metrics.
 */
export const UNKNOWN = '—';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Bytes in binary units, one decimal ("1.5 GiB"); "—" when unknown. */
export function formatBytes(bytes: number | undefined | null): string {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return UNKNOWN;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** A 0..1 fraction as "42 %"; "—" when unknown. */
export function formatFraction(fraction: number | undefined | null): string {
  if (fraction === undefined || fraction === null || !Number.isFinite(fraction)) return UNKNOWN;
  return `${Math.round(fraction * 100)} %`;
}

/** used/total as "1.0 GiB / 4.0 GiB (25 %)"; "—" when either side is unknown or total is 0. */
export function formatUsage(used: number | undefined | null, total: number | undefined | null): string {
  if (used === undefined || used === null || total === undefined || total === null || total <= 0) return UNKNOWN;
  return `${formatBytes(used)} / ${formatBytes(total)} (${formatFraction(used / total)})`;
}

/** Seconds as "3 d 4 h" / "5 h 2 min" / "42 s"; "—" when unknown. */
export function formatUptime(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return UNKNOWN;
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${Math.floor(seconds)} s`;
}

/** Epoch ms as a local "HH:MM:SS" time. */
export function formatClock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString('en-GB', { hour12: false });
}

/** A running duration to the second: "45 s", "2 min 10 s", "1 h 5 min" (a running task's elapsed time). */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
