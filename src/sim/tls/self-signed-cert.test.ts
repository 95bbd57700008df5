import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSelfSignedCert } from './self-signed-cert.ts';

describe('createSelfSignedCert', () => {
  it('produces a self-signed certificate for 127.0.0.1 whose fingerprint matches PVE formatting', () => {
    const cert = createSelfSignedCert(new Date(Date.UTC(2026, 10, 25)));
    const x509 = new X509Certificate(cert.certPem);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(cert.fingerprint).toBe(x509.fingerprint256);
    expect(new Date(x509.validTo).getUTCFullYear()).toBe(2036);
    expect(cert.keyPem).toContain('BEGIN PRIVATE KEY');
  });
});
