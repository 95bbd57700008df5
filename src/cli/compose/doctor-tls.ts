import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, connect as netConnect } from 'node:net';
import tls, { type PeerCertificate } from 'node:tls';
import { fingerprintOfDer, normalizeFingerprint } from '../../adapters/pve/pinned-agent.ts';
import { bareHost } from '../../adapters/pve/send-request.ts';
import { check, type CheckResult } from './doctor-report.ts';

/** What went wrong on the way to the PVE API, below HTTP. */
export type TlsFailureKind =
  | 'dns'
  | 'refused'
  | 'unreachable'
  | 'timeout'
  | 'not-tls'
  | 'fingerprint'
  | 'self-signed'
  | 'expired'
  | 'not-yet-valid'
  | 'hostname'
  | 'untrusted'
  | 'handshake';

export interface TlsDiagnosis {
  /** `ok` when the handshake succeeded and the certificate is trusted the way the config says. */
  readonly kind: 'ok' | TlsFailureKind;
  /** The doctor lines: `PVE reachable` (and `TLS certificate` when the socket got that far). */
  readonly results: readonly CheckResult[];
  /** The leaf certificate's SHA-256 fingerprint, when a handshake completed. */
  readonly fingerprint?: string | undefined;
}

export interface TlsProbeInput {
  readonly url: string;
  /** pve.fingerprint (pinning). */
  readonly fingerprint?: string | undefined;
  /** pve.insecure. */
  readonly insecure: boolean;
  /** Extra trusted CA (PEM), as NODE_EXTRA_CA_CERTS adds to the system roots; tests pass a test CA. */
  readonly ca?: string | undefined;
  readonly timeoutMs: number;
  /** Epoch ms, for the certificate's validity window. */
  readonly now: number;
  /** Name resolution (default: the system resolver, as the PVE client uses). */
  readonly lookup?: ((host: string) => Promise<unknown>) | undefined;
}

const FINGERPRINT_HOW = 'on the node: `pvenode cert info` (the SHA-256 line of pve-ssl.pem or pveproxy-ssl.pem)';

interface Handshake {
  readonly certificate: PeerCertificate;
  readonly authorizationError?: string | undefined;
}

type Attempt =
  { readonly ok: true; readonly value: Handshake } | { readonly ok: false; readonly stage: 'tcp' | 'tls'; readonly code: string; readonly message: string };

/** TCP connect, then the TLS handshake, trusting nothing yet (the verdict comes from the certificate). */
function handshake(host: string, port: number, input: TlsProbeInput): Promise<Attempt> {
  return new Promise((resolve) => {
    let stage: 'tcp' | 'tls' = 'tcp';
    const socket = tls.connect({
      host,
      port,
      rejectUnauthorized: false,
      ...(isIP(host) ? {} : { servername: host }),
      ...(input.ca ? { ca: [...tls.rootCertificates, input.ca] } : {}),
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, stage, code: 'TIMEOUT', message: `no answer within ${input.timeoutMs} ms` });
    }, input.timeoutMs);
    socket.once('connect', () => {
      stage = 'tls';
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const certificate = socket.getPeerCertificate(false);
      const authorizationError = socket.authorizationError
        ? String((socket.authorizationError as Error & { code?: string }).code ?? socket.authorizationError)
        : undefined;
      socket.destroy();
      resolve({ ok: true, value: { certificate, authorizationError } });
    });
    socket.once('error', (error: Error & { code?: string }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok: false, stage, code: error.code ?? '', message: error.message.split('\n')[0] ?? '' });
    });
  });
}

/** Does a plain HTTP server answer on this port? (A ClientHello sent to one fails with "wrong version number".) */
function answersPlainHttp(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host, port });
    let head = '';
    const done = (value: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => socket.write(`HEAD / HTTP/1.0\r\nHost: ${host}\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (head.length >= 5) done(head.startsWith('HTTP/'));
    });
    socket.once('error', () => done(false));
    socket.once('end', () => done(head.startsWith('HTTP/')));
  });
}

const reachable = (url: string, detail?: string) => check('PVE reachable', 'OK', detail ?? `${url}: TCP and TLS handshake completed`);

function unreachable(kind: TlsFailureKind, url: string, detail: string, cause: string, fix: string): TlsDiagnosis {
  return { kind, results: [check('PVE reachable', 'FAIL', `${url}: ${detail}`, fix, cause)] };
}

function certificateNames(certificate: PeerCertificate): string {
  const names = (certificate.subjectaltname ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return names.length > 0 ? names.join(', ') : `CN=${certificate.subject?.CN ?? '?'}`;
}

const SELF_SIGNED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

/** The certificate's verdict under the configured trust mode (pin, insecure, or CA + hostname). */
function judgeCertificate(url: string, host: string, shake: Handshake, input: TlsProbeInput): TlsDiagnosis {
  const { certificate } = shake;
  const actual = certificate.raw ? fingerprintOfDer(certificate.raw) : '';
  const validTo = Date.parse(certificate.valid_to);
  const validFrom = Date.parse(certificate.valid_from);
  const expired = Number.isFinite(validTo) && input.now > validTo;
  const early = Number.isFinite(validFrom) && input.now < validFrom;
  const ok = (detail: string): TlsDiagnosis => ({ kind: 'ok', fingerprint: actual, results: [reachable(url), check('TLS certificate', 'OK', detail)] });
  const fail = (kind: TlsFailureKind, detail: string, cause: string, fix: string, verdict: 'FAIL' | 'WARN' = 'FAIL'): TlsDiagnosis => ({
    kind,
    fingerprint: actual,
    results: [reachable(url), check('TLS certificate', verdict, detail, fix, cause)],
  });
  const renew = `renew it on the node: \`pvecm updatecerts --force\` (self-signed pve-ssl.pem) or \`pvenode acme cert order --force\` (ACME), then \`systemctl restart pveproxy\``;

  if (input.fingerprint !== undefined) {
    const expected = normalizeFingerprint(input.fingerprint);
    if (actual !== expected) {
      return fail(
        'fingerprint',
        `certificate fingerprint ${actual || '(none)'} is not the pinned ${expected}`,
        'the PVE certificate was renewed or replaced, or this is not your PVE host',
        `compare it with the one shown ${FINGERPRINT_HOW}; if it is yours, set pve.fingerprint (JARVIS_PVE_FINGERPRINT) to ${actual}`,
      );
    }
    if (expired)
      return fail(
        'expired',
        `pinned certificate matches but expired on ${certificate.valid_to}`,
        'the pin still works, but browsers and other clients refuse an expired certificate',
        `${renew}; then pin the new fingerprint`,
        'WARN',
      );
    return ok(`matches pve.fingerprint; valid until ${certificate.valid_to}`);
  }
  if (input.insecure) return ok(`not verified (pve.insecure: true); certificate ${actual}`);
  if (expired) {
    return fail(
      'expired',
      `certificate expired on ${certificate.valid_to}`,
      'PVE presents an expired certificate, so CA verification refuses it',
      `${renew}; or pin it: pve.fingerprint = ${actual} (after checking ${FINGERPRINT_HOW})`,
    );
  }
  if (early) {
    return fail(
      'not-yet-valid',
      `certificate not valid before ${certificate.valid_from}`,
      "this host's clock is behind the certificate (or the node's clock was ahead when it was made)",
      'fix the clock: `timedatectl set-ntp true` here and on the node (chrony), then run doctor again',
    );
  }
  if (shake.authorizationError && SELF_SIGNED.has(shake.authorizationError)) {
    return fail(
      'self-signed',
      `certificate not trusted (${shake.authorizationError}): self-signed and no fingerprint pinned`,
      'PVE uses its own self-signed certificate by default; the system CA store does not know it',
      `pin it: set pve.fingerprint (JARVIS_PVE_FINGERPRINT) to ${actual} after checking it ${FINGERPRINT_HOW}`,
    );
  }
  const identity = tls.checkServerIdentity(host, certificate);
  if (identity) {
    return fail(
      'hostname',
      `certificate is for ${certificateNames(certificate)}, not ${host}`,
      `pve.url names a host the certificate does not cover`,
      `put a name the certificate covers in pve.url (${certificateNames(certificate)}), or pin pve.fingerprint to ${actual}`,
    );
  }
  if (shake.authorizationError) {
    return fail(
      'untrusted',
      `certificate not trusted (${shake.authorizationError})`,
      'the certificate chain does not verify against the system CA store',
      `install the issuing CA (NODE_EXTRA_CA_CERTS), or pin pve.fingerprint to ${actual} after checking it ${FINGERPRINT_HOW}`,
    );
  }
  return ok(`trusted by the CA store; valid until ${certificate.valid_to}`);
}

/**
 * Explains why (or that) the PVE endpoint can be reached over TLS, step by step like a human
 * would: resolve the name, open TCP, complete the TLS handshake (sending no HTTP byte, no
 * credential), then judge the certificate under the configured trust (pin, insecure, or CA +
 * hostname). Each failure kind gets a cause and the exact fix.
 */
export async function diagnoseTls(input: TlsProbeInput): Promise<TlsDiagnosis> {
  const url = new URL(input.url);
  const host = bareHost(url);
  const port = Number(url.port || 443);
  const where = `${host}:${port}`;
  if (isIP(host) === 0) {
    try {
      await (input.lookup ?? dnsLookup)(host);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERROR';
      return unreachable(
        'dns',
        input.url,
        `cannot resolve ${host} (${code})`,
        `the name ${host} does not resolve on this host`,
        `fix the host name in pve.url, or add it to DNS or /etc/hosts, or use the node's IP address (check: \`getent hosts ${host}\`)`,
      );
    }
  }
  const attempt = await handshake(host, port, input);
  if (attempt.ok) return judgeCertificate(input.url, host, attempt.value, input);
  const { code, stage } = attempt;
  if (code === 'ECONNREFUSED') {
    return unreachable(
      'refused',
      input.url,
      `connection refused at ${where}`,
      `nothing listens on ${where}: pveproxy is stopped, or the port is wrong`,
      `check pve.url uses port 8006; on the node: \`systemctl status pveproxy\` (start it with \`systemctl restart pveproxy\`)`,
    );
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return unreachable(
      'unreachable',
      input.url,
      `no route to ${where} (${code})`,
      'the node is down or not reachable from this network',
      'check the node is up and this host can reach it (`ping`, routes, VLAN)',
    );
  }
  if (code === 'TIMEOUT' && stage === 'tcp') {
    return unreachable(
      'timeout',
      input.url,
      `TCP connect to ${where} timed out after ${input.timeoutMs} ms`,
      'packets are dropped on the way: a firewall, or the node is down',
      `allow TCP ${port} from this host in the PVE firewall (Datacenter -> Firewall) and any firewall between; check the node is up`,
    );
  }
  if (code === 'TIMEOUT') {
    return unreachable(
      'timeout',
      input.url,
      `${where} accepted the connection but sent no TLS answer within ${input.timeoutMs} ms`,
      'something that is not pveproxy holds the port, or pveproxy is hung',
      `on the node: \`ss -ltnp 'sport = :${port}'\` shows who listens; \`systemctl restart pveproxy\``,
    );
  }
  if (stage === 'tls' && (await answersPlainHttp(host, port, input.timeoutMs))) {
    return unreachable(
      'not-tls',
      input.url,
      `${where} speaks plain HTTP, not TLS (${code || attempt.message})`,
      'the port answers HTTP without TLS: a plain-HTTP proxy or another service, not pveproxy',
      `use https:// and the port pveproxy serves (8006); if a reverse proxy sits in front, point pve.url at its HTTPS port`,
    );
  }
  if (stage === 'tls') {
    return unreachable(
      'handshake',
      input.url,
      `TLS handshake with ${where} failed (${code || attempt.message})`,
      'the server at that port does not complete a TLS handshake',
      'check that pve.url points at pveproxy (port 8006) and that no middlebox intercepts TLS',
    );
  }
  return unreachable(
    'unreachable',
    input.url,
    `cannot connect to ${where} (${code || attempt.message})`,
    'the connection failed before TLS',
    'check pve.url and that port 8006 is reachable from this host',
  );
}
