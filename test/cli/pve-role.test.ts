/**
 * deploy/pve-role.md says three things that must agree: its table (privilege, path, role), its
 * `pveum` commands (the roles and the per-path ACLs), and what `jarvis doctor` checks
 * (`PVE_GRANTS`). This test parses the first two and holds all three together, and runs doctor's
 * checks on the permissions the documented commands would give.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  aclSubject,
  checkDangerousPrivileges,
  checkPermissionMap,
  checkSelfPowers,
  minimalGrant,
  PVE_GRANTS,
  SELF_VM_GRANT,
  type PermissionMap,
} from '../../src/cli/compose/doctor-privileges.ts';

const text = readFileSync(new URL('../../deploy/pve-role.md', import.meta.url), 'utf8');
const roles = new Map([...text.matchAll(/^pveum role add (\w+)\s+--privs "([^"]*)"/gm)].map((match) => [match[1]!, match[2]!.split(/\s+/)]));
const acls = new Map([...text.matchAll(/^\s+pveum acl modify (\S+)\s+\$subject --roles (\w+)/gm)].map((match) => [match[1]!, match[2]!]));
/** Table rows that are not optional: [privilege, path, role]. */
const rows = [...text.matchAll(/^\| `([\w.]+)`(?: only)? \| `([^`]+)` \| (\w+) \|/gm)].map((match) => [match[1]!, match[2]!, match[3]!] as const);
/** What GET /access/permissions reports for the documented grants: each ACL's path with its role's privileges. */
const granted: PermissionMap = Object.fromEntries(
  [...acls].map(([path, role]) => [path, Object.fromEntries((roles.get(role) ?? []).map((name) => [name, 1]))]),
);
const self = { vmid: 103, node: 'agent1' };

describe('deploy/pve-role.md', () => {
  it('grants per path: no role on / beyond Sys.Audit', () => {
    expect(acls.get('/')).toBeDefined();
    expect(roles.get(acls.get('/')!)).toEqual(['Sys.Audit']);
    expect([...acls.keys()].sort()).toEqual(['/', '/nodes', '/storage', '/vms', '/vms/103']);
  });

  it('its commands grant exactly what its table lists, path by path', () => {
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const [privilege, path, role] of rows) {
      expect(acls.get(path), `${privilege} on ${path}`).toBe(role);
      expect(roles.get(role), `${role} holds ${privilege}`).toContain(privilege);
    }
    for (const [path, role] of acls)
      for (const privilege of roles.get(role) ?? [])
        expect(rows, `${privilege} on ${path} granted but not in the table`).toContainEqual([privilege, path, role]);
  });

  it("agrees with doctor's PVE_GRANTS and the role it expects on the management VM", () => {
    for (const grant of PVE_GRANTS) {
      expect(acls.get(grant.path), grant.path).toBe(grant.role);
      expect(roles.get(grant.role)).toEqual(grant.privileges);
    }
    expect(acls.get('/vms/103')).toBe(SELF_VM_GRANT.role);
    expect(roles.get(SELF_VM_GRANT.role)).toEqual(SELF_VM_GRANT.privileges);
    const fix = minimalGrant(aclSubject('token jarvis@pve!monitor'), self);
    for (const [path, role] of acls) expect(fix).toContain(`pveum acl modify ${path} --tokens 'jarvis@pve!monitor' --roles ${role}`);
  });

  it('the documented grants pass every privilege check of jarvis doctor', () => {
    const subject = aclSubject('token jarvis@pve!monitor');
    expect(checkPermissionMap(granted)).toMatchObject({ verdict: 'OK' });
    expect(checkDangerousPrivileges(granted, subject, self)).toMatchObject({ verdict: 'OK' });
    // effective privileges on the VM and node, as GET /access/permissions?path= reports them
    const vm = { '/vms/103': granted['/vms/103']! };
    const node = { '/nodes/agent1': granted['/nodes']! };
    expect(checkSelfPowers(vm, node, subject, self)).toMatchObject({ verdict: 'OK' });
  });
});

describe("doctor's privilege check, path by path", () => {
  it('FAILs a read granted on the wrong path: the /nodes ACL replaces / there, so Sys.Audit must be repeated', () => {
    const map = { ...granted, '/nodes': { 'Sys.Syslog': 1 } };
    expect(checkPermissionMap(map)).toMatchObject({ verdict: 'FAIL', detail: expect.stringContaining('Sys.Audit on /nodes') });
  });

  it('FAILs without Datastore.Audit on /storage even when another path holds it', () => {
    const map = { ...granted, '/storage': {}, '/vms': { 'VM.Audit': 1, 'VM.PowerMgmt': 1, 'Datastore.Audit': 1 } };
    expect(checkPermissionMap(map)).toMatchObject({ verdict: 'FAIL', detail: expect.stringContaining('Datastore.Audit on /storage') });
  });

  it('WARNs with reads only (JarvisGuestAudit on /vms), and inherits from / when no more specific path is listed', () => {
    expect(checkPermissionMap({ ...granted, '/vms': { 'VM.Audit': 1 } })).toMatchObject({
      verdict: 'WARN',
      detail: expect.stringContaining('VM.PowerMgmt on /vms'),
    });
    expect(checkPermissionMap({ '/': { 'Sys.Audit': 1, 'Sys.Syslog': 1, 'Datastore.Audit': 1, 'VM.Audit': 1, 'VM.PowerMgmt': 1 } }).verdict).toBe('OK');
  });
});
