/**
 * llama-server (cpp-httplib) closes a keep-alive connection after 5 s idle (`Keep-Alive:
 * timeout=5`). Node's fetch drops idle sockets sooner, but when Jarvis's event loop stalls past
 * those 5 s (a loaded VM, a long poll cycle) the next request can go out on a socket the server
 * has already closed and fails with "other side closed" (UND_ERR_SOCKET) or ECONNRESET before any
 * response: measured against the real binary with the loop blocked for 5.2 s. Without this the
 * gateway would read a healthy local server as down, cool it for 15 s and send the user's
 * question to Claude or to offline mode.
 *
 * This fetch wrapper sends such a request once more, on a fresh connection. Only failures with
 * no response at all are retried (an HTTP status is never retried here: retries of answers
 * belong to the gateway), only once, and never after the caller aborted. A local model call has
 * no side effect but compute, so a second send is safe; the cloud client does not use this.
 */
const CONNECTION_LOST = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE', 'UND_ERR_CLOSED']);

/** True when `error` says the connection was lost before a response arrived. */
export function isConnectionLost(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_LOST.has(code)) return true;
    current = current.cause;
  }
  return false;
}

export function retryStaleConnection(inner: typeof globalThis.fetch = globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    try {
      return await inner(input, init);
    } catch (error) {
      if (!isConnectionLost(error) || init?.signal?.aborted) throw error;
      return inner(input, init);
    }
  };
}
