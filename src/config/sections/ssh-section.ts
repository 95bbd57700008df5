import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { pathString, port } from './fields.ts';

/**
 * `ssh`: access to the nodes for catalogue diagnostics (key auth only). The private key is read
 * from `keyFile` (a path; the key itself never goes in the YAML). Host keys are pinned through
 * `knownHostsFile` (default <dataDir>/ssh/known_hosts). The per-command timeout is `timeouts.sshMs`.
 */
export const sshSection = defineSection({
  key: 'ssh',
  description: 'SSH user, private key file and known_hosts for node diagnostics',
  schema: z.strictObject({
    user: z
      .string({ error: 'expected a user name' })
      .regex(/^[a-z_][a-z0-9_.-]*$/, { error: 'expected a Unix user name' })
      .default('root'),
    port: port.default(22),
    keyFile: pathString.optional(),
    knownHostsFile: pathString.optional(),
  }),
  env: [
    { name: 'JARVIS_SSH_USER', path: ['user'], kind: 'string' },
    { name: 'JARVIS_SSH_KEY_FILE', path: ['keyFile'], kind: 'string' },
    { name: 'JARVIS_SSH_KNOWN_HOSTS_FILE', path: ['knownHostsFile'], kind: 'string' },
  ],
});
