import type { FastifyRequest } from 'fastify';

/** The request's own origin as the browser sees it: `<protocol>://<host[:port]>`, lower-case. */
export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`.toLowerCase();
}

/**
 * True when the request's Origin header is absent or allowed (its own origin or one of `allowed`).
 * Browsers send Origin on every cross-site request, on every non-GET fetch and on every WebSocket
 * upgrade, so a foreign page can never pass. `null` (sandboxed frames, file:) is foreign.
 */
export function originAllowed(request: FastifyRequest, allowed: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const value = origin.toLowerCase();
  return value === ownOrigin(request) || allowed.has(value);
}

/** Normalises configured origins (`https://Jarvis.lan/` -> `https://jarvis.lan`). */
export function normaliseOrigins(origins: readonly string[]): Set<string> {
  return new Set(origins.map((origin) => origin.trim().replace(/\/+$/, '').toLowerCase()));
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]', '::1'];

/** `Host` header value without its port, lower-case (`[::1]:8080` -> `[::1]`). */
export function hostName(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
  return trimmed.replace(/:\d+$/, '');
}

/** Loopback names, the configured hosts (server.allowedHosts) and the hosts of the allowed origins. */
export function allowedHostNames(hosts: readonly string[], origins: readonly string[]): Set<string> {
  const originHosts = [...normaliseOrigins(origins)].flatMap((origin) => {
    try {
      return [hostName(new URL(origin).host)];
    } catch {
      return [];
    }
  });
  return new Set([...LOOPBACK_HOSTS, ...hosts.map(hostName), ...originHosts]);
}

/** True when the request's Host header names this server (DNS-rebinding defence). */
export function hostAllowed(request: FastifyRequest, hosts: ReadonlySet<string>): boolean {
  const host = request.headers.host;
  return host !== undefined && hosts.has(hostName(host));
}
