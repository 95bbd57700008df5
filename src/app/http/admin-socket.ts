/**
 * The local admin socket: a unix socket in the data directory (mode 0600, the directory 0700)
 * that carries the SAME Fastify routes as the TCP listener, for `jarvis approve`, `jarvis freeze`
 * and `jarvis unfreeze`. A request that arrives on it is a local admin human (`user`, role admin):
 * only the OS user Jarvis runs as can connect, and that user can already read every database and
 * the admin password file, so the socket grants nothing new. Tokens are not used for this on
 * purpose: an API token may never approve (separation of duties, issue 8), whatever its role.
 * Because the requests go through the ordinary routes, the executor, the freeze switch and the
 * event seam behave exactly as for a dashboard click (an open dashboard updates live).
 */
import { createServer, type Server } from 'node:http';
import { chmodSync, existsSync, mkdtempSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type { Principal } from '../auth/roles.ts';
import { UserNameSchema } from '../../protocol/index.ts';

/** Request header naming the local admin (`jarvis approve --as NAME`); a user-name pattern, else `local-admin`. */
export const ADMIN_NAME_HEADER = 'x-jarvis-admin';

/** The credential id an admin-socket principal carries (audit, logs). */
export const ADMIN_SOCKET_CREDENTIAL = 'admin-socket';

/** Longest unix socket path the kernel accepts (sun_path is 108 bytes on Linux, 104 on BSDs). */
const MAX_SOCKET_PATH = 100;

const adminConnections = new WeakSet<Socket>();

/** True when `socket` was accepted by an admin socket (never for a TCP connection). */
export function isAdminConnection(socket: Socket): boolean {
  return adminConnections.has(socket);
}

/**
 * The principal of a request that came in over the admin socket, or undefined for any other
 * connection (TCP). Called by the authentication hook before cookies and tokens are looked at.
 */
export function adminSocketPrincipal(socket: Socket, nameHeader: string | string[] | undefined): Principal | undefined {
  if (!isAdminConnection(socket)) return undefined;
  const parsed = UserNameSchema.safeParse(typeof nameHeader === 'string' ? nameHeader : undefined);
  return { kind: 'user', name: parsed.success ? parsed.data : 'local-admin', role: 'admin', credentialId: ADMIN_SOCKET_CREDENTIAL };
}

/** A listening admin socket. */
export interface AdminSocket {
  readonly path: string;
  close(): Promise<void>;
}

/** True when a server answers on `path` (a live socket, not a stale file left by a crash). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Opens the admin socket at `path` (normally `<dataDir>/admin.sock`) routing into `app`. The
 * socket is created in a fresh private directory, made 0600, then moved into place, so it is never
 * reachable with wider permissions. A stale file from a crashed server is replaced; a socket that
 * still answers means another Jarvis uses this data directory (CONFLICT, naming paths.dataDir).
 */
export async function listenAdminSocket(app: FastifyInstance, path: string, directory: string): Promise<Result<AdminSocket, JarvisError>> {
  if (path.length > MAX_SOCKET_PATH) {
    return err(
      jarvisError('INVALID_INPUT', `the admin socket path ${path} is longer than ${MAX_SOCKET_PATH} characters`, {
        hint: 'use a shorter paths.dataDir (--data-dir)',
      }),
    );
  }
  if (existsSync(path)) {
    if (await answers(path))
      return err(
        jarvisError('CONFLICT', `another Jarvis server is running with this data directory (its admin socket ${path} answers)`, {
          hint: 'stop it, or give this one its own paths.dataDir (--data-dir)',
        }),
      );
    unlinkSync(path);
  }
  const server = createServer((request, response) => app.routing(request, response));
  server.on('connection', (socket) => adminConnections.add(socket));
  const staging = mkdtempSync(join(directory, '.a'));
  try {
    const staged = join(staging, 's');
    await listen(server, staged);
    chmodSync(staged, 0o600);
    renameSync(staged, path);
  } catch (cause) {
    server.close();
    return err(
      jarvisError('INTERNAL', `cannot open the admin socket ${path}: ${(cause as Error).message}`, { hint: 'check that paths.dataDir is writable', cause }),
    );
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  let closing: Promise<void> | undefined;
  return ok({
    path,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        rmSync(path, { force: true });
      })),
  });
}
