import { z } from 'zod';
import { defineSection } from './config-section.ts';

const dockerUrl = z.string({ error: 'expected tcp://host:2375 (socket proxy) or ssh://user@host' }).refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'tcp:' || url.protocol === 'ssh:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}, { error: 'expected tcp://host:2375 (a docker-socket-proxy) or ssh://user@host; a mounted docker.sock or unix:// socket is refused' });

/**
 * `docker`: Docker Engine endpoints by host id (e.g. `docker@103`), through a docker-socket-proxy
 * (`tcp://host:2375`) or SSH. A unix socket (a mounted docker.sock) is refused on purpose.
 */
export const dockerSection = defineSection({
  key: 'docker',
  description: 'Docker Engine endpoints per host id (socket proxy or ssh; never a mounted docker.sock)',
  schema: z.strictObject({
    hosts: z
      .record(
        z.string().regex(/^docker@\d+$/, { error: 'expected a host id like docker@103' }),
        z.strictObject({ url: dockerUrl }),
        { error: 'expected a map of host id -> { url }' },
      )
      .default({}),
  }),
});
