import { createHmac } from 'node:crypto';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { checkKnownHost, matchesFingerprint, parseKnownHosts, sha256Fingerprint } from './known-hosts.ts';

function keyPair() {
  const pair = ssh2.utils.generateKeyPairSync('ed25519');
  const [type, base64] = pair.public.split(' ') as [string, string];
  return { type, base64, blob: Buffer.from(base64, 'base64') };
}

function hashed(name: string): string {
  const salt = Buffer.from('0123456789abcdefghij');
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts pinning', () => {
  const key = keyPair();
  const other = keyPair();

  it('matches a plain entry and a [host]:port entry', () => {
    const entries = parseKnownHosts(`# comment\n\n10.0.0.5 ${key.type} ${key.base64}\n[127.0.0.1]:2222 ${key.type} ${key.base64} root@pve\n`);
    expect(checkKnownHost(entries, '10.0.0.5', 22, key.blob)).toBe('match');
    expect(checkKnownHost(entries, '127.0.0.1', 2222, key.blob)).toBe('match');
    expect(checkKnownHost(entries, '127.0.0.1', 22, key.blob)).toBe('unknown');
  });

  it('reports a changed key for a pinned host as a mismatch and an absent host as unknown', () => {
    const entries = parseKnownHosts(`pve1,10.0.0.5 ${key.type} ${key.base64}`);
    expect(checkKnownHost(entries, 'pve1', 22, other.blob)).toBe('mismatch');
    expect(checkKnownHost(entries, 'pve2', 22, key.blob)).toBe('unknown');
  });

  it('matches hashed host names (|1|salt|hmac)', () => {
    const entries = parseKnownHosts(`${hashed('[127.0.0.1]:2200')} ${key.type} ${key.base64}`);
    expect(checkKnownHost(entries, '127.0.0.1', 2200, key.blob)).toBe('match');
    expect(checkKnownHost(entries, '127.0.0.1', 2201, key.blob)).toBe('unknown');
  });

  it('honours wildcards, negation and @revoked', () => {
    const entries = parseKnownHosts(
      `*.lab,!bad.lab ${key.type} ${key.base64}\n@revoked * ${other.type} ${other.base64}\n@cert-authority * ${key.type} ${key.base64}`,
    );
    expect(checkKnownHost(entries, 'pve.lab', 22, key.blob)).toBe('match');
    expect(checkKnownHost(entries, 'bad.lab', 22, key.blob)).toBe('unknown');
    expect(checkKnownHost(entries, 'pve.lab', 22, other.blob)).toBe('mismatch');
  });

  it('compares SHA256 fingerprints as ssh-keygen prints them', () => {
    const fingerprint = sha256Fingerprint(key.blob);
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(matchesFingerprint(key.blob, fingerprint)).toBe(true);
    expect(matchesFingerprint(other.blob, fingerprint)).toBe(false);
  });
});
