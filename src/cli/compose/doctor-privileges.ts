import type { JarvisError, Result } from '../../core/errors.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import { check, type CheckResult } from './doctor-report.ts';

/** One ACL of the documented setup: a role of these privileges granted on this path. */
export interface PveGrant {
  readonly path: string;
  readonly role: string;
  readonly privileges: readonly string[];
}

/**
 * The per-path grants deploy/pve-role.md documents (its table and its `pveum` commands; a test holds
 * the three together). PVE replaces inherited privileges at a path that has its own ACL, so a path
 * below `/` carries every privilege needed there (`/nodes`: Sys.Audit again, beside Sys.Syslog).
 * `/vms/<self vmid>` is added by `minimalGrant`: there the token may only look.
 */
export const PVE_GRANTS: readonly PveGrant[] = [
  { path: '/', role: 'JarvisClusterAudit', privileges: ['Sys.Audit'] },
  { path: '/nodes', role: 'JarvisNodeAudit', privileges: ['Sys.Audit', 'Sys.Syslog'] },
  { path: '/storage', role: 'JarvisStorageAudit', privileges: ['Datastore.Audit'] },
  { path: '/vms', role: 'JarvisOperator', privileges: ['VM.Audit', 'VM.PowerMgmt'] },
];
const NODE_READ_ROLE = PVE_GRANTS.find((grant) => grant.path === '/nodes')?.role ?? 'JarvisNodeAudit';
/** The role on Jarvis's own VM (`/vms/<vmid>`): look, never power-manage. */
export const SELF_VM_GRANT = { role: 'JarvisGuestAudit', privileges: ['VM.Audit'] } as const;

/** Privileges Jarvis needs (deploy/pve-role.md explains each). */
export const READ_PRIVILEGES = ['Sys.Audit', 'VM.Audit', 'Datastore.Audit', 'Sys.Syslog'] as const;
export const ACT_PRIVILEGES = ['VM.PowerMgmt'] as const;
const ACTS = new Set<string>(ACT_PRIVILEGES);
const ROLE_HINT = `grant the roles per path as deploy/pve-role.md shows (${PVE_GRANTS.map((grant) => `${grant.role} on ${grant.path}`).join(', ')})`;

/** `GET /access/permissions` as path -> privilege -> flag. */
export type PermissionMap = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Privileges in effect at `path`: those of the longest listed path that is `path` or above it (a more specific ACL replaces the inherited one). */
export function effectiveAt(map: PermissionMap, path: string): Set<string> {
  const above = Object.keys(map)
    .filter((listed) => listed === path || listed === '/' || path.startsWith(`${listed.replace(/\/$/, '')}/`))
    .sort((a, b) => b.length - a.length)[0];
  const privileges = above === undefined ? {} : (map[above] ?? {});
  return new Set(
    Object.entries(privileges)
      .filter(([, flag]) => Boolean(flag))
      .map(([name]) => name),
  );
}

/** Privilege check against the token's effective permissions, path by path as `PVE_GRANTS` places them. */
export function checkPermissionMap(map: PermissionMap): CheckResult {
  const missing = (acts: boolean): string[] =>
    PVE_GRANTS.flatMap((grant) => {
      const held = effectiveAt(map, grant.path);
      return grant.privileges.filter((name) => ACTS.has(name) === acts && !held.has(name)).map((name) => `${name} on ${grant.path}`);
    });
  const missingReads = missing(false);
  const missingActs = missing(true);
  if (missingReads.length > 0) return check('privileges', 'FAIL', `missing ${missingReads.join(', ')}: Jarvis cannot read the cluster fully`, ROLE_HINT);
  if (missingActs.length > 0) return check('privileges', 'WARN', `missing ${missingActs.join(', ')}: Jarvis can watch but not start/stop guests`, ROLE_HINT);
  return check('privileges', 'OK', `token holds ${PVE_GRANTS.map((grant) => `${grant.privileges.join(', ')} on ${grant.path}`).join('; ')}`);
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

/**
 * Privileges that give a token power Jarvis never uses and an attacker would love: node power and
 * consoles, ACL/user/realm changes, creating or reconfiguring guests, storage allocation. Sys.Modify
 * is tolerated only on a node path other than Jarvis's own (deploy/pve-role.md, optional).
 */
export const DANGEROUS_PRIVILEGES = [
  'Sys.PowerMgmt',
  'Sys.Console',
  'Sys.Modify',
  'Sys.Incoming',
  'Permissions.Modify',
  'User.Modify',
  'Realm.Allocate',
  'Realm.AllocateUser',
  'Group.Allocate',
  'Pool.Allocate',
  'VM.Allocate',
  'VM.Console',
  'VM.Monitor',
  'Datastore.Allocate',
  'Datastore.AllocateSpace',
  'SDN.Allocate',
  'Mapping.Modify',
] as const;
const DANGEROUS = new Set<string>(DANGEROUS_PRIVILEGES);
const isDangerous = (privilege: string) => DANGEROUS.has(privilege) || privilege.startsWith('VM.Config.');

/** Powers over Jarvis's own VM and node that the token must not hold (the second wall beside the kernel). */
const SELF_VM_POWERS = ['VM.PowerMgmt', 'VM.Migrate', 'VM.Allocate', 'VM.Console', 'VM.Monitor', 'VM.Snapshot', 'VM.Snapshot.Rollback', 'VM.Backup'];
const SELF_NODE_POWERS = ['Sys.PowerMgmt', 'Sys.Modify', 'Sys.Console'];

const held = (privileges: Readonly<Record<string, unknown>> | undefined): string[] =>
  Object.entries(privileges ?? {})
    .filter(([, flag]) => Boolean(flag))
    .map(([name]) => name);

/** The credential as `jarvis doctor` names it and as `pveum acl` selects it. */
export interface AclSubject {
  /** `token jarvis@pve!monitor` or `ticket jarvis@pve`. */
  readonly label: string;
  /** `--tokens 'jarvis@pve!monitor'` or `--users 'jarvis@pve'`. */
  readonly option: string;
}

/** From `credentialLabel` (connect-cluster.ts): tokens are granted with --tokens, ticket users with --users. */
export function aclSubject(credential: string): AclSubject {
  const [kind, ...rest] = credential.split(' ');
  const id = rest.join(' ');
  return { label: credential, option: kind === 'ticket' ? `--users '${id}'` : `--tokens '${id}'` };
}

/** The per-path grant deploy/pve-role.md prescribes, with the credential filled in. */
export function minimalGrant(subject: AclSubject, self: { vmid: number; node: string }): string {
  const token = subject.option;
  return [
    `pveum acl delete / ${token} --roles <every role granted there>`,
    ...PVE_GRANTS.map((grant) => `pveum acl modify ${grant.path} ${token} --roles ${grant.role}`),
    `pveum acl modify /vms/${self.vmid} ${token} --roles ${SELF_VM_GRANT.role}`,
  ].join('; ');
}

/** FAIL when the token holds any dangerous privilege on any path GET /access/permissions lists. */
export function checkDangerousPrivileges(map: PermissionMap, subject: AclSubject, self: { vmid: number; node: string }): CheckResult {
  const found: string[] = [];
  for (const [path, privileges] of Object.entries(map)) {
    const bad = held(privileges).filter(
      (name) => isDangerous(name) && !(name === 'Sys.Modify' && path.startsWith('/nodes/') && path !== `/nodes/${self.node}`),
    );
    if (bad.length > 0) found.push(`${bad.join(', ')} on ${path}`);
  }
  if (found.length === 0) return check('dangerous privileges', 'OK', 'none of node power, console, ACL/user/realm, guest create/config or storage allocation');
  return check(
    'dangerous privileges',
    'FAIL',
    `${subject.label} holds ${found.join('; ')}: Jarvis never needs them`,
    `grant per path, minimal (deploy/pve-role.md): ${minimalGrant(subject, self)}`,
  );
}

/**
 * FAIL when the token has power over Jarvis's own VM (`/vms/<vmid>`) or node (`/nodes/<node>`),
 * read from GET /access/permissions?path= (effective privileges, inheritance included).
 */
export function checkSelfPowers(vmMap: PermissionMap, nodeMap: PermissionMap, subject: AclSubject, self: { vmid: number; node: string }): CheckResult {
  const vmPath = `/vms/${self.vmid}`;
  const nodePath = `/nodes/${self.node}`;
  const onVm = held(vmMap[vmPath]).filter((name) => SELF_VM_POWERS.includes(name) || name.startsWith('VM.Config.'));
  const onNode = held(nodeMap[nodePath]).filter((name) => SELF_NODE_POWERS.includes(name));
  const parts = [...(onVm.length ? [`${onVm.join(', ')} on ${vmPath}`] : []), ...(onNode.length ? [`${onNode.join(', ')} on ${nodePath}`] : [])];
  if (parts.length === 0) return check('self privileges', 'OK', `no power over VM ${self.vmid} or node ${self.node} (read only)`);
  const fixes = [
    ...(onVm.length ? [`pveum acl modify ${vmPath} ${subject.option} --roles ${SELF_VM_GRANT.role}`] : []),
    ...(onNode.length ? [`pveum acl modify ${nodePath} ${subject.option} --roles ${NODE_READ_ROLE}`] : []),
  ];
  return check(
    'self privileges',
    'FAIL',
    `${subject.label} holds ${parts.join('; ')}: it could stop or change the VM and node Jarvis runs on`,
    `${fixes.join('; ')}   (a more specific ACL replaces the inherited one; deploy/pve-role.md)`,
  );
}
