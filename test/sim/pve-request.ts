/**
 * Test helper: one HTTPS request to the simulator with node:https (self-signed cert accepted),
 * independent of the Jarvis PVE client. Returns status, reason phrase, headers and parsed JSON.
 */
import { request as httpsRequest } from 'node:https';
import { gunzipSync } from 'node:zlib';

export interface PveResponse {
  readonly status: number;
  readonly reason: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** Parsed body, or undefined when the body is empty or not JSON. */
  readonly json: any;
}

export interface PveRequestOptions {
  readonly method?: string;
  /** Form-encoded unless `json` is set. */
  readonly body?: Record<string, string>;
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
  /** Shorthand: `PVEAPIToken=<id>=<secret>`. */
  readonly token?: { readonly id: string; readonly secret: string };
  /** Abort after this many ms (rejects with an error named AbortError). */
  readonly abortAfterMs?: number;
}

export function pveRequest(baseUrl: string, path: string, options: PveRequestOptions = {}): Promise<PveResponse> {
  const url = new URL(`/api2/json${path}`, baseUrl);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `PVEAPIToken=${options.token.id}=${options.token.secret}`;
  let payload: string | undefined;
  if (options.json !== undefined) {
    payload = JSON.stringify(options.json);
    headers['Content-Type'] = 'application/json';
  } else if (options.body) {
    payload = new URLSearchParams(options.body).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers,
        rejectUnauthorized: false,
        ...(options.abortAfterMs ? { signal: AbortSignal.timeout(options.abortAfterMs) } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          let raw = Buffer.concat(chunks);
          if (response.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
          const text = raw.toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, reason: response.statusMessage ?? '', headers: response.headers, text, json });
        });
      },
    );
    request.on('error', reject);
    if (payload !== undefined) request.write(payload);
    request.end();
  });
}

/**
 * The newest `count` syslog lines of a node (texts, oldest first). PVE's /syslog pages from the
 * oldest line, so this reads `total` first and then asks for the last page, as a real client must.
 */
export async function newestSyslog(baseUrl: string, token: { id: string; secret: string }, node: string, count: number): Promise<string[]> {
  const first = await pveRequest(baseUrl, `/nodes/${node}/syslog?limit=1`, { token });
  const total = first.json.total as number;
  const page = await pveRequest(baseUrl, `/nodes/${node}/syslog?start=${Math.max(0, total - count)}&limit=${count}`, { token });
  return (page.json.data as { t: string }[]).map((line) => line.t);
}

/** POST to the admin API with a JSON body; returns the parsed JSON reply and status. */
export async function admin(adminUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(new URL(path, adminUrl), {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
  });
  return { status: response.status, json: await response.json() };
}

/** Polls a task until it is stopped (each poll is a real request). */
export async function waitTask(baseUrl: string, token: { id: string; secret: string }, node: string, upid: string): Promise<any> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const response = await pveRequest(baseUrl, `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`, { token });
    if (response.json?.data?.status === 'stopped') return response.json.data;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`task ${upid} never stopped`);
}
