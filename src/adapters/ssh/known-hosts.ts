import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One usable line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  readonly marker?: 'revoked' | undefined;
  /** Comma-separated host patterns, or one hashed `|1|salt|hash` entry. */
  readonly hosts: string;
  readonly keyType: string;
  readonly blob: Buffer;
}

/** The outcome of checking a server's host key against the pins. */
export type HostKeyVerdict = 'match' | 'unknown' | 'mismatch';

/**
 * Parses known_hosts text (OpenSSH format): plain or hashed (`|1|`) host fields, `[host]:port`,
 * wildcards and `!negation`, `@revoked` markers. `@cert-authority` lines, comments and malformed
 * lines are skipped (Jarvis pins plain host keys only).
 * @see https://man.openbsd.org/sshd.8#SSH_KNOWN_HOSTS_FILE_FORMAT
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const fields = raw.trim().split(/\s+/);
    if (fields.length === 0 || fields[0] === '' || fields[0]!.startsWith('#')) continue;
    let marker: 'revoked' | undefined;
    if (fields[0]!.startsWith('@')) {
      if (fields[0] !== '@revoked') continue;
      marker = 'revoked';
      fields.shift();
    }
    const [hosts, keyType, base64] = fields;
    if (!hosts || !keyType || !base64 || !/^[A-Za-z0-9+/]+=*$/.test(base64)) continue;
    entries.push({ marker, hosts, keyType, blob: Buffer.from(base64, 'base64') });
  }
  return entries;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** OpenSSH's `SHA256:...` fingerprint of a raw public key blob (unpadded base64). */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, ...). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return '';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

/**
 * Checks a host key blob against parsed known_hosts entries for `host:port`. `match` only when an
 * entry for this host holds exactly this key and no `@revoked` line names it; `mismatch` when the
 * host is pinned to any other key (of any type: a changed key type is treated as a changed key);
 * `unknown` when no entry names the host.
 */
export function checkKnownHost(entries: readonly KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  if (entries.some((entry) => entry.marker === 'revoked' && entry.blob.equals(blob))) return 'mismatch';
  const name = knownHostsName(host, port);
  const forHost = entries.filter((entry) => entry.marker === undefined && hostMatches(entry.hosts, name));
  if (forHost.length === 0) return 'unknown';
  return forHost.some((entry) => entry.blob.equals(blob) && entry.keyType === keyTypeOfBlob(blob)) ? 'match' : 'mismatch';
}

/** ssh2's host key algorithms, in its default preference order. */
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/**
 * Host key algorithms to offer for `host:port`, pinned key types first (as OpenSSH orders
 * HostKeyAlgorithms by known_hosts): a host pinned by its ECDSA or RSA key would otherwise
 * negotiate ed25519 and be refused as "changed". Undefined when the host is not pinned.
 */
export function hostKeyAlgorithmsFor(entries: readonly KnownHostEntry[], host: string, port: number): string[] | undefined {
  const name = knownHostsName(host, port);
  const types = entries.filter((entry) => entry.marker === undefined && hostMatches(entry.hosts, name)).map((entry) => entry.keyType);
  const preferred = types
    .flatMap((type) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]))
    .filter((algorithm) => HOST_KEY_ALGORITHMS.includes(algorithm));
  if (preferred.length === 0) return undefined;
  return [...new Set([...preferred, ...HOST_KEY_ALGORITHMS])];
}

/** Compares a blob with a pinned `SHA256:...` fingerprint (constant time). */
export function matchesFingerprint(blob: Buffer, fingerprint: string): boolean {
  const actual = Buffer.from(sha256Fingerprint(blob));
  const expected = Buffer.from(fingerprint.trim().replace(/=+$/, ''));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function hostMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    const expected = Buffer.from(hash, 'base64');
    return digest.length === expected.length && timingSafeEqual(digest, expected);
  }
  let matched = false;
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!');
    if (wildcard(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function wildcard(pattern: string, name: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return regex.test(name);
}
