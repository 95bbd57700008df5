/**
 * Starts the real llama-server provisioned by scripts/provision-llama-server.sh on 127.0.0.1
 * with the tiny Qwen2 GGUF (test/helpers/tiny-gguf.ts): `-t 1` (2 shared cores), `-c 4096 -np 4`
 * (1024 tokens per slot), `--jinja`, `--metrics`, optional `--api-key`.
 *
 * Where the binary is: `JARVIS_LLAMA_SERVER` (the wrapper's path), else the provisioning
 * script's default `.jarvis/llama-server/llama-server`. `JARVIS_LLM_CONTRACT_REAL=required`
 * (set by .ci/run after provisioning succeeded) turns "not found" into a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { ensureTinyQwenGguf } from './tiny-gguf.ts';

const root = resolve(import.meta.dirname, '../..');

export interface RealLlamaBinary {
  readonly path?: string;
  /** Why there is none (when `path` is undefined). */
  readonly reason?: string;
  readonly required: boolean;
}

export function findRealLlamaServer(): RealLlamaBinary {
  const required = process.env.JARVIS_LLM_CONTRACT_REAL === 'required';
  const fromEnv = process.env.JARVIS_LLAMA_SERVER;
  if (fromEnv) return existsSync(fromEnv) ? { path: fromEnv, required } : { reason: `JARVIS_LLAMA_SERVER=${fromEnv} does not exist`, required };
  const fallback = join(root, '.jarvis/llama-server/llama-server');
  return existsSync(fallback) ? { path: fallback, required } : { reason: 'not provisioned (run scripts/provision-llama-server.sh)', required };
}

/** The tiny GGUF, written once under .jarvis/llm-test. */
export function tinyModelPath(): string {
  return ensureTinyQwenGguf(join(root, '.jarvis/llm-test/tiny-qwen2.gguf'));
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface RealLlamaServer {
  readonly url: string;
  /** True when /health answered 503 "Loading model" at least once during start-up. */
  readonly sawLoading: boolean;
  /** The server's stderr so far (for failure messages). */
  log(): string;
  close(): Promise<void>;
}

export async function startRealLlamaServer(options: {
  bin: string;
  model?: string;
  apiKey?: string;
  /** `auto` = no `-np` (llama-server then turns on a shared KV pool). */ slots?: number | 'auto';
  ctx?: number;
  extraArgs?: string[];
  startTimeoutMs?: number;
}): Promise<RealLlamaServer> {
  const port = await freePort();
  const args = [
    '-m',
    options.model ?? tinyModelPath(),
    '-c',
    String(options.ctx ?? 4096),
    ...(options.slots === 'auto' ? [] : ['-np', String(options.slots ?? 4)]),
    '-t',
    '1',
    '--jinja',
    '--metrics',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--no-webui',
    ...(options.apiKey ? ['--api-key', options.apiKey] : []),
    ...(options.extraArgs ?? []),
  ];
  const child: ChildProcess = spawn(options.bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let ended = false;
  void exited.then(() => (ended = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  let sawLoading = false;
  const close = async (): Promise<void> => {
    if (!ended) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  for (;;) {
    if (ended) throw new Error(`llama-server exited during start-up: ${stderr.split('\n').filter(Boolean).slice(-5).join(' | ')}`);
    if (Date.now() > deadline) {
      await close();
      throw new Error(`llama-server did not become healthy in time: ${stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}`);
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) break;
      if (response.status === 503 && JSON.stringify(await response.json()).includes('Loading model')) sawLoading = true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, sawLoading, log: () => stderr, close };
}
