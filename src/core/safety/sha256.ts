/**
 * SHA-256 for the pure core (action hashes, the audit hash chain), from `@noble/hashes` (audited,
 * dependency-free, runtime-neutral: no node:crypto in core). Input is a JS string, hashed as its
 * UTF-8 encoding; output is lowercase hex. The same digest as before (FIPS 180-4), so existing
 * chains still verify; checked against node:crypto in sha256.test.ts.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** SHA-256 of the bytes, as 64 lowercase hex characters. */
export function sha256Bytes(data: Uint8Array): string {
  return bytesToHex(nobleSha256(data));
}

/** SHA-256 of the UTF-8 encoding of `text`, as 64 lowercase hex characters. */
export function sha256(text: string): string {
  return sha256Bytes(utf8ToBytes(text));
}
