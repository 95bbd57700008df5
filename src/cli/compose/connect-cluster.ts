import { z } from 'zod';
import { createPveClient, PveClusterApi, type PveAuth } from '../../adapters/pve/index.ts';
import type { JarvisConfig } from '../../config/index.ts';
import { jarvisError, type JarvisError, type Result } from '../../core/errors.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { PermissionMap } from './doctor-privileges.ts';

/** Where and how to reach PVE: from the config (real cluster) or from the embedded simulator. */
export interface ClusterEndpoint {
  readonly url: string;
  readonly auth: PveAuth;
  readonly fingerprint?: string | undefined;
  readonly insecure: boolean;
  readonly simulated: boolean;
}

/** Endpoint of a configured (real) cluster; the secret comes from the env-resolved secrets. */
export function endpointFromConfig(config: JarvisConfig): Result<ClusterEndpoint, JarvisError> {
  const { pve, secrets } = config;
  if (pve.url === undefined)
    return { ok: false, error: jarvisError('CONFIG_INVALID', 'no cluster configured (pve.url)', { hint: 'set pve.url or run on the embedded simulator' }) };
  const auth: PveAuth =
    pve.auth === 'ticket'
      ? { kind: 'ticket', username: pve.username ?? '', password: secrets.pvePassword ?? '' }
      : { kind: 'token', tokenId: pve.tokenId ?? '', tokenSecret: secrets.pveTokenSecret ?? '' };
  return { ok: true, value: { url: pve.url, auth, fingerprint: pve.fingerprint, insecure: pve.insecure, simulated: false } };
}

/** Endpoint of the embedded simulator: its token, and its certificate pinned by fingerprint. */
export function simulatorEndpoint(simulator: { url: string; tokenId: string; tokenSecret: string; fingerprint: string }): ClusterEndpoint {
  return {
    url: simulator.url,
    auth: { kind: 'token', tokenId: simulator.tokenId, tokenSecret: simulator.tokenSecret },
    fingerprint: simulator.fingerprint,
    insecure: false,
    simulated: true,
  };
}

/** `token jarvis@pve!monitor` / `ticket root@pam` (never the secret). */
export function credentialLabel(endpoint: ClusterEndpoint): string {
  return endpoint.auth.kind === 'token' ? `token ${endpoint.auth.tokenId}` : `ticket ${endpoint.auth.username}`;
}

export interface ClusterConnection {
  readonly api: PveClusterApi;
  /** GET /access/permissions of the credential in use (every ACL path, or the effective privileges on `path`). */
  permissions(path?: string): Promise<Result<PermissionMap, JarvisError>>;
  close(): void;
}

const permissionsSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/** The real PVE client (adapters/pve) pointed at the endpoint, with the configured timeout. */
export function connectCluster(endpoint: ClusterEndpoint, options: { timeoutMs: number; logger: Logger }): Result<ClusterConnection, JarvisError> {
  const client = createPveClient({
    baseUrl: endpoint.url,
    auth: endpoint.auth,
    fingerprint: endpoint.fingerprint,
    insecure: endpoint.insecure,
    timeoutMs: options.timeoutMs,
    logger: options.logger,
  });
  if (!client.ok) return client;
  const api = new PveClusterApi(client.value);
  return {
    ok: true,
    value: {
      api,
      permissions: (path) => client.value.get('/access/permissions', permissionsSchema, path === undefined ? undefined : { path }),
      close: () => client.value.close(),
    },
  };
}
