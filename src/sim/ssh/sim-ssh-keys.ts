import { createHash } from 'node:crypto';
import ssh2 from 'ssh2';

/** An OpenSSH key pair: private key in OpenSSH PEM, public key as an `ssh-ed25519 AAAA...` line. */
export interface SshKeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

/**
 * Generates a fresh ed25519 key pair (host keys and the simulator's accepted client key).
 * ssh2's generator drops a leading zero byte of the public key (about 1 key in 256), producing a
 * key ssh2 itself then rejects as malformed; such pairs are discarded and regenerated.
 */
export function generateEd25519KeyPair(comment?: string): SshKeyPair {
  for (let attempt = 0; attempt < 64; attempt += 1) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', comment !== undefined ? { comment } : {});
    const parsed = ssh2.utils.parseKey(pair.private);
    if (!(parsed instanceof Error) && parsed.getPublicSSH().length === 51) return { privateKey: pair.private, publicKey: pair.public };
  }
  throw new Error('could not generate a well-formed ed25519 key pair');
}

/** The raw key blob of an OpenSSH public key line. */
export function publicKeyBlob(publicKey: string): Buffer {
  const parsed = ssh2.utils.parseKey(publicKey);
  if (parsed instanceof Error) throw parsed;
  return parsed.getPublicSSH();
}

/** OpenSSH's `SHA256:...` fingerprint (unpadded base64 of the blob's SHA-256). */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A known_hosts line as OpenSSH writes it: `[host]:port` unless the port is 22. */
export function knownHostsLine(host: string, port: number, publicKey: string): string {
  const [type, base64] = publicKey.split(' ');
  return `${port === 22 ? host : `[${host}]:${port}`} ${type} ${base64}`;
}
