import type { JarvisError, Result } from '../../core/errors.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import { check, type CheckResult } from './doctor-report.ts';

/** Privileges Jarvis needs (deploy/pve-role.md explains each). */
export const READ_PRIVILEGES = ['Sys.Audit', 'VM.Audit', 'Datastore.Audit', 'Sys.Syslog'] as const;
export const ACT_PRIVILEGES = ['VM.PowerMgmt'] as const;
const ROLE_HINT = 'grant the JarvisOperator role on / to the token (deploy/pve-role.md)';

/** `GET /access/permissions` as path -> privilege -> flag. */
export type PermissionMap = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Privilege check from the token's effective permissions (any path counts; `/` is preferred). */
export function checkPermissionMap(map: PermissionMap): CheckResult {
  const held = new Set<string>();
  for (const privileges of Object.values(map)) for (const [name, flag] of Object.entries(privileges)) if (flag) held.add(name);
  const missingReads = READ_PRIVILEGES.filter((name) => !held.has(name));
  const missingActs = ACT_PRIVILEGES.filter((name) => !held.has(name));
  if (missingReads.length > 0) return check('privileges', 'FAIL', `missing ${missingReads.join(', ')}: Jarvis cannot read the cluster fully`, ROLE_HINT);
  if (missingActs.length > 0) return check('privileges', 'WARN', `missing ${missingActs.join(', ')}: Jarvis can watch but not start/stop guests`, ROLE_HINT);
  return check('privileges', 'OK', `token holds ${[...READ_PRIVILEGES, ...ACT_PRIVILEGES].join(', ')}`);
}

type Probe = Pick<ClusterApi, 'nodeStatus' | 'syslog' | 'storageStatus' | 'guestStatus'>;

/**
 * Fallback when /access/permissions is not readable: one read per privilege, on the node that
 * hosts Jarvis's VM. A PVE_PERMISSION answer names the missing privilege; VM.PowerMgmt cannot be
 * probed without acting, so it is reported as unverified (WARN).
 */
export async function probePrivileges(cluster: Probe, node: string, vmid: number): Promise<CheckResult> {
  const probes: [string, () => Promise<Result<unknown, JarvisError>>][] = [
    ['Sys.Audit', () => cluster.nodeStatus(node)],
    ['Sys.Syslog', () => cluster.syslog(node, { limit: 1 })],
    ['Datastore.Audit', () => cluster.storageStatus(node)],
    ['VM.Audit', () => cluster.guestStatus(node, 'qemu', vmid)],
  ];
  const missing: string[] = [];
  for (const [privilege, probe] of probes) {
    const result = await probe();
    if (!result.ok && (result.error.code === 'PVE_PERMISSION' || result.error.code === 'PVE_AUTH')) missing.push(privilege);
  }
  if (missing.length > 0) return check('privileges', 'FAIL', `reads refused: missing ${missing.join(', ')}`, ROLE_HINT);
  return check('privileges', 'WARN', `reads work (${READ_PRIVILEGES.join(', ')}); VM.PowerMgmt not verifiable without /access/permissions`, ROLE_HINT);
}
