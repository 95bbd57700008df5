/**
 * The CLI side of the admin socket (src/app/http/admin-socket.ts): HTTP over the running server's
 * unix socket in its data directory, to the same routes the dashboard uses. When nothing answers
 * there, every call fails with JARVIS_UNREACHABLE ("no Jarvis server is running at ...; start it
 * with `jarvis start`"): the CLI never acts on a cluster or a store of its own.
 */
import { request as httpRequest } from 'node:http';
import { userInfo } from 'node:os';
import { ADMIN_NAME_HEADER } from '../../app/http/admin-socket.ts';
import { UserNameSchema } from '../../protocol/index.ts';
import { err, jarvisError, ok, type ErrorCode, type JarvisError, type Result } from '../../core/errors.ts';

/** Longest answer read from the server (the approvals list of a busy cluster fits easily). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface AdminClient {
  /** Where the server was looked for (the socket path), for messages. */
  readonly address: string;
  /** One JSON request; the server's `{ ok: false, error }` answers become the JarvisError they carry. */
  call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Result<unknown, JarvisError>>;
}

/** The refusal when no server listens: names where it looked and how to start one. */
export function notRunning(address: string, cause?: unknown): JarvisError {
  return jarvisError('JARVIS_UNREACHABLE', `no Jarvis server is running at ${address}; start it with \`jarvis start\``, {
    hint: "the admin socket lives in the server's data directory: pass the same --data-dir / --config as the server, or --socket PATH",
    retryable: true,
    cause,
  });
}

function serverError(status: number, parsed: unknown): JarvisError {
  const error = (parsed as { error?: { code?: unknown; message?: unknown; hint?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return jarvisError(error.code as ErrorCode, error.message, typeof error.hint === 'string' ? { hint: error.hint } : {});
  }
  return jarvisError('INTERNAL', `the server answered HTTP ${status} without an error body`);
}

/**
 * Who the local admin is in the audit log: `--as NAME` (a user-name pattern, else a usage message),
 * else the OS user name (`local-admin` when it has none or it is not a valid user name).
 */
export function localAdminName(as: string | undefined, flag: string): Result<string, string> {
  if (as !== undefined) {
    return UserNameSchema.safeParse(as).success ? ok(as) : err(`${flag} expects a user name (letters, digits, . _ -, at most 64), got '${as.slice(0, 64)}'`);
  }
  try {
    const name = userInfo().username;
    return ok(UserNameSchema.safeParse(name).success ? name : 'local-admin');
  } catch {
    return ok('local-admin');
  }
}

/**
 * A client for the admin socket at `socketPath`. `as` names the local admin in the audit log
 * (`--as NAME`); the server accepts a user-name pattern and uses `local-admin` otherwise.
 */
export function adminClient(socketPath: string, as: string): AdminClient {
  return {
    address: socketPath,
    call: (method, path, body) =>
      new Promise((resolve) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const request = httpRequest(
          {
            socketPath,
            method,
            path,
            headers: {
              host: 'localhost',
              accept: 'application/json',
              [ADMIN_NAME_HEADER]: as,
              ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            let size = 0;
            response.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size <= MAX_BODY_BYTES) chunks.push(chunk);
            });
            response.on('end', () => {
              let parsed: unknown;
              try {
                parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              } catch {
                resolve(err(jarvisError('INTERNAL', `the server at ${socketPath} answered HTTP ${response.statusCode} with a body that is not JSON`)));
                return;
              }
              const status = response.statusCode ?? 500;
              resolve(status >= 200 && status < 300 ? ok(parsed) : err(serverError(status, parsed)));
            });
            response.on('error', (cause) => resolve(err(notRunning(socketPath, cause))));
          },
        );
        // ENOENT (no socket file) and ECONNREFUSED (a stale one): no server runs there.
        request.on('error', (cause) => resolve(err(notRunning(socketPath, cause))));
        request.end(payload);
      }),
  };
}
