import { createHash } from 'node:crypto';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';

/** How the client trusts the PVE certificate. */
export type TlsTrust =
  /** Pin the leaf certificate: SHA-256 fingerprint, colon hex (`AB:CD:...`), case-insensitive. */
  | { readonly kind: 'fingerprint'; readonly sha256: string }
  /** Accept any certificate (explicit opt-in; the caller logs a warning on every start). */
  | { readonly kind: 'insecure' }
  /** Ordinary CA verification (system roots, or `ca` PEM when given). */
  | { readonly kind: 'ca'; readonly ca?: string | undefined };

/** Error raised on a socket whose certificate does not match the pin. */
export class FingerprintMismatchError extends Error {
  readonly expected: string;
  readonly actual: string;
  constructor(expected: string, actual: string) {
    super(`TLS certificate fingerprint mismatch: expected ${expected}, got ${actual}`);
    this.name = 'FingerprintMismatchError';
    this.expected = expected;
    this.actual = actual;
  }
}

/** Normalises a fingerprint to upper-case colon hex; accepts colons or not, any case. */
export function normalizeFingerprint(value: string): string {
  const hex = value.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return (hex.match(/.{1,2}/g) ?? []).join(':');
}

/** SHA-256 fingerprint (upper-case colon hex) of a DER certificate. */
export function fingerprintOfDer(der: Buffer): string {
  return normalizeFingerprint(createHash('sha256').update(der).digest('hex'));
}

type ConnectCallback = (error: Error | null, socket: Duplex) => void;

/**
 * A keep-alive https.Agent that enforces the trust mode on every NEW socket before the socket is
 * handed to a request, so no byte of a request (credentials included) is written to an unverified peer.
 *
 * Why not `checkServerIdentity`: Node calls it only when chain verification already succeeded.
 * PVE certificates are self-signed, so with `rejectUnauthorized: true` the handshake fails before
 * it is consulted, and with `rejectUnauthorized: false` it is never called at all (checked on
 * Node 20). Why not a 'secureConnect' listener on the request's socket: http.ClientRequest has
 * already queued the request head on that socket, so the check would race the write. Instead the
 * agent's async `createConnection` waits for 'secureConnect', compares the leaf fingerprint, and
 * only then gives the socket to the pool. TLS session resumption is disabled
 * (`maxCachedSessions: 0`) so every new socket presents its certificate.
 */
export class PinnedAgent extends https.Agent {
  readonly #trust: TlsTrust;
  readonly #handshakeTimeoutMs: number;

  /** `handshakeTimeoutMs` (default 10 s) bounds a pinned handshake that never completes. */
  constructor(trust: TlsTrust, options: { maxSockets?: number; handshakeTimeoutMs?: number } = {}) {
    super({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 8,
      maxCachedSessions: 0,
      rejectUnauthorized: trust.kind === 'ca',
      ...(trust.kind === 'ca' && trust.ca !== undefined ? { ca: trust.ca } : {}),
    });
    this.#trust = trust;
    this.#handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
  }

  override createConnection(options: https.RequestOptions, callback?: ConnectCallback): Duplex | null | undefined {
    const trust = this.#trust;
    // https.Agent's createConnection returns the TLSSocket synchronously (tls.connect).
    const socket = super.createConnection(options) as TLSSocket;
    if (trust.kind !== 'fingerprint' || callback === undefined) return socket;
    const expected = normalizeFingerprint(trust.sha256);
    const onError = (error: Error): void => callback(error, socket);
    socket.once('error', onError);
    socket.setTimeout(this.#handshakeTimeoutMs, () => socket.destroy(new Error('TLS handshake timed out')));
    socket.once('secureConnect', () => {
      socket.off('error', onError);
      socket.setTimeout(0);
      const certificate = socket.getPeerCertificate(false);
      const actual = certificate?.raw ? fingerprintOfDer(certificate.raw) : '';
      if (actual !== expected) {
        const error = new FingerprintMismatchError(expected, actual || '(no certificate)');
        socket.destroy();
        callback(error, socket);
        return;
      }
      callback(null, socket);
    });
    return undefined;
  }
}
