import type { ClusterSnapshot } from '../../core/domain/cluster.ts';
import type { Topology } from '../../core/domain/topology.ts';
import type { JarvisError, Result } from '../../core/errors.ts';
import type { ClusterApi } from '../../core/ports/cluster.ts';
import { checkSelfProtection } from '../../core/safety/self-protection.ts';
import { aclSubject, checkDangerousPrivileges, checkPermissionMap, checkSelfPowers, probePrivileges, type PermissionMap } from './doctor-privileges.ts';
import { check, type CheckResult } from './doctor-report.ts';
import type { TlsDiagnosis } from './doctor-tls.ts';

export interface DoctorTarget {
  readonly cluster: Pick<ClusterApi, 'version' | 'readSnapshot' | 'guestConfig' | 'nodeStatus' | 'syslog' | 'storageStatus' | 'guestStatus'>;
  /** GET /access/permissions for the credential in use, when the client can read it. */
  readonly permissions?: ((path?: string) => Promise<Result<PermissionMap, JarvisError>>) | undefined;
  readonly topology: Topology;
  readonly url: string;
  /** `token jarvis@pve!monitor` or `ticket jarvis@pve`. */
  readonly credential: string;
  readonly tls: { readonly fingerprint?: string | undefined; readonly insecure: boolean };
  /**
   * Explains a transport failure step by step (DNS, TCP, TLS, certificate), with cause and fix
   * (doctor-tls.ts). Without it a failure is reported as the PVE client classified it.
   */
  readonly diagnoseTls?: (() => Promise<TlsDiagnosis>) | undefined;
}

const UNREACHABLE = new Set(['PVE_UNREACHABLE', 'PVE_TIMEOUT', 'PVE_NODE_UNREACHABLE']);
/** Failures below HTTP that the TLS diagnosis explains. */
const TRANSPORT = new Set([...UNREACHABLE, 'TLS_FINGERPRINT_MISMATCH']);

function tlsCheck(target: DoctorTarget, error?: JarvisError): CheckResult {
  if (error?.code === 'TLS_FINGERPRINT_MISMATCH')
    return check('TLS fingerprint', 'FAIL', error.message, 'compare with `pvenode cert info` on the node and fix pve.fingerprint (JARVIS_PVE_FINGERPRINT)');
  if (target.tls.insecure)
    return check(
      'TLS fingerprint',
      'WARN',
      'certificate NOT verified (pve.insecure: true)',
      'pin the certificate: set pve.fingerprint from `pvenode cert info` and remove pve.insecure',
    );
  if (!target.tls.fingerprint)
    return check(
      'TLS fingerprint',
      'WARN',
      'no fingerprint pinned; relying on the system CA store',
      'set pve.fingerprint (self-signed PVE certificates fail CA checks)',
    );
  return check('TLS fingerprint', 'OK', 'server certificate matches pve.fingerprint');
}

function quorumCheck(snapshot: ClusterSnapshot): CheckResult {
  const { quorate, votesOnline, votesTotal, votesNeeded } = snapshot.quorum;
  const offline = snapshot.nodes.filter((node) => node.status !== 'online').map((node) => node.name);
  const votes = `${votesOnline}/${votesTotal} votes online, ${votesNeeded} needed`;
  if (!quorate)
    return check(
      'quorum',
      'FAIL',
      `cluster NOT quorate (${votes}); only reads will run`,
      `bring nodes back online${offline.length ? ` (${offline.join(', ')})` : ''}; never force \`pvecm expected\``,
    );
  if (offline.length > 0 || votesOnline - votesNeeded < 1) {
    return check(
      'quorum',
      'WARN',
      `quorate (${votes})${offline.length ? `; offline: ${offline.join(', ')}` : ''}; losing one more node breaks quorum`,
      'bring offline nodes back before any maintenance',
    );
  }
  return check('quorum', 'OK', `quorate (${votes})`);
}

function selfCheck(snapshot: ClusterSnapshot, topology: Topology): CheckResult {
  const self = topology.self;
  const guest = snapshot.guests.find((candidate) => candidate.vmid === self.vmid);
  const key = 'topology.self';
  if (!guest)
    return check('management VM', 'FAIL', `VM ${self.vmid} (${key}.vmid) not found in the cluster`, `set ${key}.vmid/vmName/node to where Jarvis really runs`);
  if (guest.name !== undefined && guest.name !== self.vmName)
    return check(
      'management VM',
      'FAIL',
      `VM ${self.vmid} is '${guest.name}', config says '${self.vmName}'`,
      `fix ${key}.vmName (the kernel denies on identity mismatch)`,
    );
  if (guest.node !== self.node)
    return check(
      'management VM',
      'WARN',
      `VM ${self.vmid} runs on ${guest.node}, config says ${self.node}`,
      `update ${key}.node (the protected node follows the VM)`,
    );
  const missing = topology.nodes.map((node) => node.name).filter((name) => !snapshot.nodes.some((node) => node.name === name));
  if (missing.length > 0)
    return check(
      'management VM',
      'WARN',
      `VM ${self.vmid} '${self.vmName}' on ${self.node}; configured nodes not in the cluster: ${missing.join(', ')}`,
      'fix topology.nodes',
    );
  return check('management VM', 'OK', `VM ${self.vmid} '${self.vmName}' on ${self.node} (${guest.status})`);
}

/**
 * The connectivity checks of `jarvis doctor`, in order: reachable, TLS, credential, privileges,
 * quorum, management VM identity, PVE protection flag. A failure that makes later checks
 * meaningless (unreachable, TLS or auth) ends the list.
 */
export async function runDoctorChecks(target: DoctorTarget): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const version = await target.cluster.version();
  const diagnosis = target.diagnoseTls && (!version.ok ? TRANSPORT.has(version.error.code) : true) ? await target.diagnoseTls() : undefined;
  if (!version.ok && diagnosis && diagnosis.kind !== 'ok') return [...diagnosis.results];
  if (!version.ok && UNREACHABLE.has(version.error.code)) {
    results.push(check('PVE reachable', 'FAIL', `${target.url}: ${version.error.message}`, 'check pve.url and that port 8006 is reachable from this host'));
    return results;
  }
  results.push(check('PVE reachable', 'OK', version.ok ? `Proxmox VE ${version.value.version} at ${target.url}` : `${target.url} answered`));
  const tls = tlsCheck(target, version.ok ? undefined : version.error);
  results.push(tls);
  // A pinned certificate that works but has expired: a WARN with the renewal command.
  const certificate = diagnosis?.results.find((result) => result.name === 'TLS certificate');
  if (certificate && certificate.verdict !== 'OK') results.push(certificate);
  if (tls.verdict === 'FAIL') return results;
  if (!version.ok) {
    const authFailed = version.error.code === 'PVE_AUTH' || version.error.code === 'PVE_PERMISSION';
    results.push(
      check(
        'credential',
        'FAIL',
        `${target.credential}: ${version.error.message}`,
        authFailed ? 'check the token id and JARVIS_PVE_TOKEN_SECRET(_FILE), and that the token is not expired' : undefined,
      ),
    );
    return results;
  }
  results.push(check('credential', 'OK', `${target.credential} accepted`));

  const permissions = target.permissions ? await target.permissions() : undefined;
  const self = target.topology.self;
  results.push(permissions?.ok ? checkPermissionMap(permissions.value) : await probePrivileges(target.cluster, self.node, self.vmid));
  if (permissions?.ok && target.permissions) {
    const subject = aclSubject(target.credential);
    results.push(checkDangerousPrivileges(permissions.value, subject, self));
    const [onVm, onNode] = await Promise.all([target.permissions(`/vms/${self.vmid}`), target.permissions(`/nodes/${self.node}`)]);
    if (onVm.ok && onNode.ok) results.push(checkSelfPowers(onVm.value, onNode.value, subject, self));
    else
      results.push(
        check(
          'self privileges',
          'WARN',
          `cannot read the token's permissions on /vms/${self.vmid} and /nodes/${self.node}`,
          `run: pveum user token permissions <user> <token> --path /vms/${self.vmid}`,
        ),
      );
  }

  const snapshot = await target.cluster.readSnapshot();
  if (!snapshot.ok) {
    results.push(check('quorum', 'FAIL', `cannot read cluster state: ${snapshot.error.message}`, snapshot.error.hint));
    return results;
  }
  results.push(quorumCheck(snapshot.value));
  results.push(selfCheck(snapshot.value, target.topology));

  const vm = snapshot.value.guests.find((guest) => guest.vmid === self.vmid && guest.type === 'qemu');
  if (vm) {
    const config = await target.cluster.guestConfig(vm.node, 'qemu', self.vmid);
    if (!config.ok) results.push(check('VM protection', 'WARN', `cannot read VM ${self.vmid} config: ${config.error.message}`, 'grant VM.Audit on /vms'));
    else {
      const verdict = checkSelfProtection(config.value, self.vmid);
      results.push(
        verdict.ok
          ? check('VM protection', 'OK', verdict.message)
          : check(
              'VM protection',
              'WARN',
              `VM ${self.vmid} has no PVE protection flag`,
              `qm set ${self.vmid} --protection 1   (defence in depth beside Jarvis's own protected list)`,
            ),
      );
    }
  }
  return results;
}
