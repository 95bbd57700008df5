import { createHash, randomBytes } from 'node:crypto';

/** A fresh high-entropy secret (32 random bytes, base64url) with an optional readable prefix. */
export function generateSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 hex of a secret: what the store keeps for tokens and session ids. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A short public id (e.g. for API tokens), 8 random bytes hex. */
export function generateId(): string {
  return randomBytes(8).toString('hex');
}

/** A human-typable random password: 24 base64url characters (~144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
