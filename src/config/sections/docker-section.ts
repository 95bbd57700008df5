import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { pathString } from './fields.ts';

const EXPECTED =
  'expected tcp://host:2375 (a docker-socket-proxy), https://host:2376 (TLS) or ssh://user@host; a mounted docker.sock or unix:// socket is refused';

const dockerUrl = z.string({ error: EXPECTED }).refine(
  (value) => {
    try {
      const url = new URL(value);
      return ['tcp:', 'https:', 'ssh:'].includes(url.protocol) && url.hostname.length > 0;
    } catch {
      return false;
    }
  },
  { error: EXPECTED },
);

/**
 * `docker`: Docker Engine endpoint per host id (e.g. `docker@103`), in the shape the Docker adapter
 * takes (src/adapters/docker createDockerApi): a docker-socket-proxy (`tcp://host:2375`), the
 * daemon's TLS port (`https://host:2376` + `tls` file paths) or SSH. A unix socket is refused.
 */
export const dockerSection = defineSection({
  key: 'docker',
  description: 'Docker Engine endpoints per host id (socket proxy, TLS or ssh; never a mounted docker.sock)',
  schema: z.strictObject({
    hosts: z
      .record(z.string().regex(/^docker@\d+$/, { error: 'expected a host id like docker@103' }), dockerUrl, {
        error: 'expected a map of host id -> endpoint URL',
      })
      .default({}),
    /** Client certificate files for https:// endpoints (paths; the key file is read at start-up). */
    tls: z.strictObject({ caFile: pathString.optional(), certFile: pathString.optional(), keyFile: pathString.optional() }).optional(),
  }),
});
