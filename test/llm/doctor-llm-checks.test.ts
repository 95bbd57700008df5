import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runLlmChecks } from '../../src/cli/compose/doctor-llm-checks.ts';
import { loadConfig } from '../../src/config/index.ts';
import { startLlamaServerFake, type LlamaServerFake } from '../../src/sim/llm/index.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function config(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-doctor-llm-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const loaded = loadConfig({ argv: [], env: { JARVIS_DATA_DIR: join(dir, 'data'), ...env }, cwd: dir });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value.config;
}

async function fake(options: Parameters<typeof startLlamaServerFake>[0]): Promise<LlamaServerFake> {
  const server = await startLlamaServerFake(options);
  cleanups.push(() => server.close());
  return server;
}

describe('jarvis doctor model checks', () => {
  it('reports slots, per-slot context, tool-call support and warns on the shared-pool ambiguity', async () => {
    const server = await fake({ slots: 4, ctx: 4096 });
    const results = await runLlmChecks(config({ JARVIS_LLM_LOCAL_URL: `${server.url}/v1`, JARVIS_LLM_LOCAL_MODEL: 'qwen' }));
    expect(results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'local model', verdict: 'OK', detail: expect.stringContaining('4 slot(s) × 1024 tokens per slot') }),
        expect.objectContaining({ name: 'local tool calls', verdict: 'OK' }),
        expect.objectContaining({ name: 'local KV pool', verdict: 'WARN' }),
      ]),
    );
  });

  it('fails on a server that wants a key Jarvis does not have, and on a cloud model without key or price', async () => {
    const server = await fake({ apiKey: 'secret-key' });
    const results = await runLlmChecks(config({ JARVIS_LLM_LOCAL_URL: `${server.url}/v1`, JARVIS_LLM_CLOUD_MODEL: 'claude-x' }));
    expect(results.find((result) => result.name === 'local model')).toMatchObject({
      verdict: 'FAIL',
      hint: expect.stringContaining('JARVIS_LLM_LOCAL_API_KEY'),
    });
    expect(results.filter((result) => result.name === 'cloud model').map((result) => result.verdict)).toEqual(['FAIL', 'FAIL']);
  });

  it('warns that the chat is offline when no model is configured', async () => {
    const [result] = await runLlmChecks(config({}));
    expect(result).toMatchObject({ name: 'models', verdict: 'WARN' });
  });
});
