import { join } from 'node:path';
import type { AppOptions } from '../../app/app-options.ts';
import type { JarvisConfig } from '../../config/index.ts';

/**
 * `server.secureCookies: auto` -> Secure only when the dashboard is reached over https (an https
 * origin in server.allowedOrigins, i.e. behind a TLS reverse proxy). Jarvis itself serves plain
 * http, and browsers drop Secure cookies on plain http, which would make login impossible.
 */
export function secureCookies(config: JarvisConfig): boolean {
  const setting = config.server.secureCookies;
  if (setting !== 'auto') return setting;
  return config.server.allowedOrigins.some((origin) => origin.startsWith('https://'));
}

/** Maps the loaded config to the app's own options (src/app may not import src/config). */
export function appOptionsFromConfig(config: JarvisConfig, extra: { webRoot?: string | undefined; defaultMetrics?: boolean } = {}): AppOptions {
  return {
    topology: config.topology,
    poll: { ...config.poll, timeoutMs: config.timeouts.pveMs },
    server: {
      allowedOrigins: config.server.allowedOrigins,
      secureCookies: secureCookies(config),
      sessionTtlMs: config.server.sessionTtlMs,
      maxWsClients: config.server.maxWsClients,
    },
    admin: { password: config.secrets.adminPassword, passwordFile: join(config.paths.dataDir, 'admin-password') },
    actTimeoutMs: config.timeouts.taskMs,
    allowedHosts: [config.topology.self.address, ...(['0.0.0.0', '::', '127.0.0.1'].includes(config.server.host) ? [] : [config.server.host])],
    webRoot: extra.webRoot,
    ...(extra.defaultMetrics !== undefined ? { defaultMetrics: extra.defaultMetrics } : {}),
  };
}
