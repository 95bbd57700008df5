import { X509Certificate, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { bitString, boolean, explicit, integer, octets, oid, sequence, set, tlv, utcTime, utf8 } from './der.ts';

/** A freshly generated key pair and certificate, PEM encoded, plus the PVE-style fingerprint. */
export interface SelfSignedCert {
  readonly keyPem: string;
  readonly certPem: string;
  /** SHA-256 of the DER certificate, upper-case hex with colons (as PVE shows it). */
  readonly fingerprint: string;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

function name(commonName: string): Buffer {
  return sequence(set(sequence(oid('2.5.4.10'), utf8('PVE Cluster Node'))), set(sequence(oid('2.5.4.3'), utf8(commonName))));
}

/** What the certificate covers and when (the simulator's TLS fault switches). */
export interface CertOptions {
  /** Default: one day before `now`. */
  readonly notBefore?: Date | undefined;
  /** Default: ten years after `now`. A date in the past makes an expired certificate. */
  readonly notAfter?: Date | undefined;
  /** subjectAltName DNS names (default `localhost`). */
  readonly dnsNames?: readonly string[] | undefined;
  /** subjectAltName IPv4 addresses (default `127.0.0.1`). An empty list with other DNS names makes a hostname mismatch on 127.0.0.1. */
  readonly ipAddresses?: readonly string[] | undefined;
}

function extensions(options: CertOptions): Buffer {
  // subjectAltName: DNS:localhost, IP:127.0.0.1 ([2] dNSName, [7] iPAddress, both implicit primitive)
  const dns = (options.dnsNames ?? ['localhost']).map((dnsName) => tlv(0x82, Buffer.from(dnsName)));
  const ips = (options.ipAddresses ?? ['127.0.0.1']).map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number))));
  const altNames = sequence(...dns, ...ips);
  const subjectAltName = sequence(oid('2.5.29.17'), octets(altNames));
  const basicConstraints = sequence(oid('2.5.29.19'), boolean(true), octets(sequence()));
  return explicit(3, sequence(subjectAltName, basicConstraints));
}

/**
 * Generates an ECDSA P-256 self-signed X.509 v3 certificate for 127.0.0.1/localhost, valid from
 * one day before `now` for ten years (or as `options` say: an expired or wrong-name certificate
 * for the doctor's TLS diagnosis). Uses node:crypto only (no openssl binary).
 */
export function createSelfSignedCert(now: Date = new Date(), commonName = 'pve-sim.local', options: CertOptions = {}): SelfSignedCert {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const notBefore = options.notBefore ?? new Date(now.getTime() - 86_400_000);
  const notAfter = options.notAfter ?? new Date(now.getTime() + 10 * 365 * 86_400_000);
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    name(commonName),
    sequence(utcTime(notBefore), utcTime(notAfter)),
    name(commonName),
    spki,
    extensions(options),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const base64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  const certPem = `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
  const keyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const fingerprint = new X509Certificate(certPem).fingerprint256.toUpperCase();
  return { keyPem, certPem, fingerprint };
}
