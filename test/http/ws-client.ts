import WebSocket from 'ws';

export interface Received {
  frames: Record<string, unknown>[];
  close: Promise<{ code: number; reason: string }>;
}

/** Opens a real `ws` client; resolves once open (or rejects with the HTTP status of a refused upgrade). */
export function connect(url: string, headers: Record<string, string>, options: { autoPong?: boolean } = {}): Promise<{ socket: WebSocket } & Received> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, autoPong: options.autoPong ?? true });
    const frames: Record<string, unknown>[] = [];
    const close = new Promise<{ code: number; reason: string }>((done) => socket.on('close', (code, reason) => done({ code, reason: reason.toString() })));
    socket.on('message', (data) => frames.push(JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>));
    socket.on('open', () => resolve({ socket, frames, close }));
    socket.on('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.on('error', (error) => reject(error));
  });
}

/** Waits until `predicate` holds, polling every 5 ms (bounded by the test timeout). */
export async function until(predicate: () => boolean, what = 'condition'): Promise<void> {
  for (let attempt = 0; attempt < 2000; attempt += 1) {
    if (predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}
