import { isIP } from 'node:net';
import tls from 'node:tls';
import { err, ok, type JarvisError, type Result } from '../../core/errors.ts';
import { classifyTransportError } from './classify-transport-error.ts';
import { fingerprintOfDer } from './pinned-agent.ts';
import { bareHost } from './send-request.ts';

/**
 * Connects to `baseUrl`, completes the TLS handshake, reads the leaf certificate's SHA-256
 * fingerprint (upper-case colon hex, the form PVE shows) and closes the socket WITHOUT sending
 * any HTTP byte. For `jarvis doctor` and first-time setup ("pin this?"); it trusts nothing, so
 * the caller must let a human confirm the value before pinning it.
 */
export function probeFingerprint(baseUrl: string, timeoutMs = 10_000): Promise<Result<string, JarvisError>> {
  const url = new URL(baseUrl);
  const context = { method: 'TLS', path: url.host, timeoutMs };
  return new Promise((resolve) => {
    const host = bareHost(url);
    const socket = tls.connect({ host, port: Number(url.port || 443), rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(err(classifyTransportError(new Error('handshake timed out'), { ...context, aborted: 'timeout' })));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const certificate = socket.getPeerCertificate(false);
      socket.destroy();
      resolve(certificate?.raw ? ok(fingerprintOfDer(certificate.raw)) : err(classifyTransportError(new Error('server presented no certificate'), context)));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      resolve(err(classifyTransportError(error, context)));
    });
  });
}
