/**
 * Proxmox VE adapter: the typed REST client and the ClusterApi/GuestActuator/ServiceActuator
 * implementation built on it. Composition roots use:
 *   const client = createPveClient({ baseUrl, auth, fingerprint, logger });
 *   const cluster = new PveClusterApi(client.value);
 */
export { createPveClient, PveHttpClient, pvePath, type PveAuth, type PveClientOptions, type PveEnvelope, type PveRequestEvent } from './pve-http-client.ts';
export { PveClusterApi } from './pve-cluster-api.ts';
export { fingerprintOfDer, normalizeFingerprint, type TlsTrust } from './pinned-agent.ts';
export { classifyPveResponse } from './classify-response.ts';
export { probeFingerprint } from './probe-fingerprint.ts';
export { taskSucceeded } from './mappers/map-task-status.ts';
export type { ClusterMember, ClusterStatusView } from './mappers/map-quorum.ts';
