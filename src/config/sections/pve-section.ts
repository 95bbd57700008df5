import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { fingerprint, httpUrl } from './fields.ts';

/**
 * `pve`: how to reach the Proxmox VE API. No `url` means "no cluster configured": `jarvis start`
 * then runs the embedded simulator. Secrets (token secret, password) never live here: they come
 * from JARVIS_PVE_TOKEN_SECRET / JARVIS_PVE_PASSWORD or their `_FILE` variants.
 */
export const pveSection = defineSection({
  key: 'pve',
  description: 'Proxmox VE API endpoint, auth method and TLS pinning',
  schema: z
    .strictObject({
      /** https://host:8006 of any cluster node; absent = embedded simulator. */
      url: httpUrl(['https']).optional(),
      auth: z.enum(['token', 'ticket'], { error: 'expected "token" or "ticket"' }).default('token'),
      /** `user@realm!tokenname` (auth: token). */
      tokenId: z
        .string({ error: 'expected a token id string' })
        .regex(/^[^\s@!]+@[^\s@!]+![A-Za-z][A-Za-z0-9._-]+$/, { error: 'expected a token id like jarvis@pve!monitor' })
        .optional(),
      /** `user@realm` (auth: ticket). */
      username: z
        .string({ error: 'expected a user name string' })
        .regex(/^[^\s@!]+@[^\s@!]+$/, { error: 'expected a user like jarvis@pve' })
        .optional(),
      /** SHA-256 fingerprint of the node certificate (pinning; self-signed certs are the norm). */
      fingerprint: fingerprint.optional(),
      /** Accept any certificate. Logs a warning on every start. */
      insecure: z.boolean({ error: 'expected true or false' }).default(false),
    })
    .superRefine((pve, context) => {
      if (pve.url === undefined) return;
      if (pve.auth === 'token' && pve.tokenId === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['tokenId'],
          input: pve.tokenId,
          message: 'required when pve.url is set and pve.auth is "token" (e.g. jarvis@pve!monitor)',
        });
      }
      if (pve.auth === 'ticket' && pve.username === undefined) {
        context.addIssue({ code: 'custom', path: ['username'], input: pve.username, message: 'required when pve.auth is "ticket" (e.g. jarvis@pve)' });
      }
      if (pve.insecure && pve.fingerprint !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['insecure'],
          input: pve.insecure,
          message: 'expected false when pve.fingerprint is set (pinning and insecure exclude each other)',
        });
      }
    }),
  env: [
    { name: 'JARVIS_PVE_URL', path: ['url'], kind: 'string' },
    { name: 'JARVIS_PVE_AUTH', path: ['auth'], kind: 'string' },
    { name: 'JARVIS_PVE_TOKEN_ID', path: ['tokenId'], kind: 'string' },
    { name: 'JARVIS_PVE_USERNAME', path: ['username'], kind: 'string' },
    { name: 'JARVIS_PVE_FINGERPRINT', path: ['fingerprint'], kind: 'string' },
    { name: 'JARVIS_PVE_INSECURE', path: ['insecure'], kind: 'boolean' },
  ],
  flags: [{ name: '--pve-url', path: ['url'], kind: 'string' }],
});
