import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { pathString } from './fields.ts';

/**
 * `paths`: where Jarvis keeps state. Relative paths are resolved against the working directory.
 * The audit DB has a path of its own so that Docker can mount it on its own volume.
 */
export const pathsSection = defineSection({
  key: 'paths',
  description: 'data directory and the audit database (a volume of its own in Docker)',
  schema: z.strictObject({
    dataDir: pathString.default('./data'),
    /** Default: <dataDir>/audit/audit.db */
    auditDb: pathString.optional(),
  }),
  env: [
    { name: 'JARVIS_DATA_DIR', path: ['dataDir'], kind: 'string' },
    { name: 'JARVIS_AUDIT_DB', path: ['auditDb'], kind: 'string' },
  ],
  flags: [{ name: '--data-dir', path: ['dataDir'], kind: 'string' }],
});
