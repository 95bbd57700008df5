import { z } from 'zod';

/**
 * Reusable field schemas with messages written for humans: each message says what is expected,
 * because the loader prints it after the dotted key and the offending value.
 */

/** TCP port; 0 means "any free port" (tests). */
export const port = z
  .number({ error: 'expected a TCP port number 0-65535' })
  .int({ error: 'expected a whole TCP port number 0-65535' })
  .min(0, { error: 'expected a TCP port number 0-65535' })
  .max(65535, { error: 'expected a TCP port number 0-65535' });

/** Proxmox VMID: 100 .. 999999999 (PVE's own range). */
export const vmid = z
  .number({ error: 'expected a VMID (integer 100-999999999)' })
  .int({ error: 'expected a VMID (integer 100-999999999)' })
  .min(100, { error: 'expected a VMID (integer 100-999999999)' })
  .max(999_999_999, { error: 'expected a VMID (integer 100-999999999)' });

/** PVE node name: letters, digits, dots and dashes (a hostname label). */
export const nodeName = z
  .string({ error: 'expected a node name (string)' })
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,62})$/, { error: 'expected a node name: letters, digits, "." and "-"' });

/** IPv4 address or DNS host name. */
export const hostAddress = z
  .string({ error: 'expected an IP address or host name (string)' })
  .regex(/^(?:\d{1,3}(?:\.\d{1,3}){3}|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:]+\])$/, {
    error: 'expected an IP address or host name',
  });

/** SHA-256 certificate fingerprint as PVE shows it: 32 hex bytes separated by colons. */
export const fingerprint = z.string({ error: 'expected a SHA-256 fingerprint string' }).regex(/^(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, {
  error: 'expected a SHA-256 fingerprint: 32 hex byte pairs separated by ":" (AA:BB:...; see `pvenode cert info`)',
});

/** An http(s) URL. */
export function httpUrl(schemes: readonly string[] = ['http', 'https']) {
  const expected = `expected an absolute ${schemes.join(' or ')} URL`;
  return z.string({ error: expected }).refine(
    (value) => {
      try {
        const url = new URL(value);
        return schemes.includes(url.protocol.replace(/:$/, '')) && url.hostname.length > 0;
      } catch {
        return false;
      }
    },
    { error: expected },
  );
}

/** A browser origin: scheme://host[:port], no path. */
export const origin = z.string({ error: 'expected an origin like https://jarvis.lan:8080' }).refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '');
    } catch {
      return false;
    }
  },
  { error: 'expected an origin like https://jarvis.lan:8080 (scheme, host and optional port; no path)' },
);

/** A duration in milliseconds within bounds. */
export function milliseconds(min: number, max: number) {
  const expected = `expected a duration in milliseconds between ${min} and ${max}`;
  return z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
}

/** A non-empty path string (files and directories; resolved against the working directory). */
export const pathString = z.string({ error: 'expected a file system path (string)' }).min(1, { error: 'expected a non-empty path' });
