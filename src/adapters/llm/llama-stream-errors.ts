/**
 * llama-server reports an error that happens after a stream started (e.g. the shared KV pool
 * overrun, HTTP 500 "Context size has been exceeded.") as an SSE line `error: {json}`, a field
 * the SSE parser ignores, so the SDK only sees a stream without a finish reason. This fetch
 * wrapper rewrites such lines to `data: {json}`, which the OpenAI-compatible chunk schema accepts
 * as an error chunk: the error then reaches `mapLlmError` with its message and code.
 */
export function surfaceStreamErrors(inner: typeof globalThis.fetch = globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) return response;
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    let pending = '';
    const rewrite = (line: string): string =>
      line.startsWith('error: ') || line.startsWith('error:{') ? `data: ${line.slice(line.indexOf(':') + 1).trimStart()}` : line;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          pending += decoder.decode(chunk, { stream: true });
          const lines = pending.split('\n');
          pending = lines.pop() ?? '';
          if (lines.length > 0) controller.enqueue(encoder.encode(lines.map(rewrite).join('\n') + '\n'));
        },
        flush(controller) {
          pending += decoder.decode();
          if (pending) controller.enqueue(encoder.encode(rewrite(pending)));
        },
      }),
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
