import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { generateEd25519KeyPair, knownHostsLine, publicKeyBlob, sha256Fingerprint } from './sim-ssh-keys.ts';

describe('simulator SSH keys', () => {
  it('every generated ed25519 pair parses (ssh2 alone yields a malformed key about once in 256)', () => {
    for (let index = 0; index < 600; index += 1) {
      const pair = generateEd25519KeyPair('root@pve');
      const parsed = ssh2.utils.parseKey(pair.privateKey);
      expect(parsed instanceof Error ? parsed.message : parsed.type).toBe('ssh-ed25519');
      expect(publicKeyBlob(pair.publicKey)).toHaveLength(51);
    }
  });

  it('formats known_hosts lines and fingerprints like OpenSSH', () => {
    const pair = generateEd25519KeyPair();
    expect(knownHostsLine('127.0.0.1', 2222, pair.publicKey)).toMatch(/^\[127\.0\.0\.1\]:2222 ssh-ed25519 AAAA[A-Za-z0-9+/]+=*$/);
    expect(knownHostsLine('pve', 22, pair.publicKey)).toMatch(/^pve ssh-ed25519 /);
    expect(sha256Fingerprint(publicKeyBlob(pair.publicKey))).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
