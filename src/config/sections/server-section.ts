import { z } from 'zod';
import { defineSection } from './config-section.ts';
import { hostAddress, milliseconds, origin, port } from './fields.ts';

/** `server`: the HTTP/WebSocket listener that serves the API, /mcp and the dashboard. */
export const serverSection = defineSection({
  key: 'server',
  description: 'HTTP/WebSocket listener: address, port, allowed origins, client and session limits',
  schema: z.strictObject({
    /** Listen address. 127.0.0.1 by default; 0.0.0.0 inside Docker. */
    host: z.union([hostAddress, z.literal('0.0.0.0'), z.literal('::')], { error: 'expected an IP address or host name' }).default('127.0.0.1'),
    port: port.default(8080),
    /** Extra browser origins allowed for the WebSocket and state-changing requests (the server's own origin always is). */
    allowedOrigins: z.array(origin, { error: 'expected a list of origins' }).default([]),
    /**
     * Host names (or addresses) the server is reached by, besides loopback, topology.self.address and
     * the hosts of allowedOrigins: every request (/api, /ws, /metrics, /mcp) must name one in its Host header.
     */
    allowedHosts: z.array(hostAddress, { error: 'expected a list of host names or addresses' }).default([]),
    /** WebSocket clients beyond this are refused with a close code. */
    maxWsClients: z
      .number({ error: 'expected an integer 1-1000' })
      .int({ error: 'expected an integer 1-1000' })
      .min(1, { error: 'expected an integer 1-1000' })
      .max(1000, { error: 'expected an integer 1-1000' })
      .default(20),
    /** Session lifetime (ms); default 12 h. */
    sessionTtlMs: milliseconds(60_000, 30 * 24 * 3_600_000).default(12 * 3_600_000),
    /** Secure cookie flag: auto = only when the request came over https (or X-Forwarded-Proto with a trusted proxy). */
    secureCookies: z.union([z.literal('auto'), z.boolean()], { error: 'expected "auto", true or false' }).default('auto'),
    /**
     * Reverse proxy in front of Jarvis: false (default: the socket's address is the client), true
     * (trust any X-Forwarded-*), a hop count, or the proxies' addresses/CIDRs. With it, the login
     * throttle keys on the real client address and X-Forwarded-Proto: https makes cookies Secure.
     */
    trustProxy: z
      .preprocess(
        (value) => {
          if (typeof value !== 'string') return value;
          const text = value.trim();
          if (text === 'true' || text === 'false') return text === 'true';
          if (/^\d+$/.test(text)) return Number(text);
          return text
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part !== '');
        },
        z.union(
          [
            z.boolean(),
            z.number().int().min(1).max(10),
            z.array(z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, { error: 'expected an IP address or CIDR' })).min(1),
          ],
          { error: 'expected true, false, a hop count 1-10, or a list of proxy addresses/CIDRs' },
        ),
      )
      .default(false),
    logLevel: z.enum(['debug', 'info', 'warn', 'error'], { error: 'expected one of debug, info, warn, error' }).default('info'),
  }),
  env: [
    { name: 'JARVIS_SERVER_HOST', path: ['host'], kind: 'string' },
    { name: 'JARVIS_SERVER_PORT', path: ['port'], kind: 'number' },
    { name: 'JARVIS_SERVER_ALLOWED_ORIGINS', path: ['allowedOrigins'], kind: 'list' },
    { name: 'JARVIS_SERVER_ALLOWED_HOSTS', path: ['allowedHosts'], kind: 'list' },
    { name: 'JARVIS_LOG_LEVEL', path: ['logLevel'], kind: 'string' },
    { name: 'JARVIS_SERVER_TRUST_PROXY', path: ['trustProxy'], kind: 'string' },
  ],
  flags: [
    { name: '--host', path: ['host'], kind: 'string' },
    { name: '--port', path: ['port'], kind: 'number' },
  ],
});
