import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ALL_TOOLS, toolsFor } from '../../src/app/tools/index.ts';
import { runTool } from '../../src/app/tools/run-tool.ts';
import { countFrameDelimiters } from '../../src/core/llm/frame.ts';
import { makeContext } from './make-context.ts';
import { SAMPLE_CALLS, TOOL_DEPENDENCY } from './sample-calls.ts';

const EXPECTED = [
  'check_cluster_health',
  'get_resource_usage',
  'search_logs',
  'check_service',
  'run_diagnostic',
  'manage_vm',
  'manage_docker',
  'execute_remediation',
];

describe('tool registry', () => {
  it('lists exactly the eight task-shaped tools', () => {
    expect(ALL_TOOLS.map((tool) => tool.name)).toEqual(EXPECTED);
  });

  it('splits read and act subsets by category', () => {
    expect(toolsFor('read').map((tool) => tool.name)).toEqual(EXPECTED.slice(0, 5));
    expect(toolsFor('act').map((tool) => tool.name)).toEqual(EXPECTED.slice(5));
    expect(toolsFor('all')).toHaveLength(8);
  });
});

describe.each(ALL_TOOLS.map((tool) => [tool.name, tool] as const))('tool contract: %s', (name, tool) => {
  it('has a short model-facing description and a lean JSON schema (no patterns, no 2^53 bounds)', () => {
    expect(name).toMatch(/^[a-z]+(_[a-z]+)+$/);
    expect(tool.description.length).toBeGreaterThan(60);
    expect(tool.description.length).toBeLessThanOrEqual(120);
    const schema = z.toJSONSchema(tool.input, { io: 'input' }) as { type: string };
    expect(schema.type).toBe('object');
    expect(JSON.stringify(schema)).not.toMatch(/pattern|minimum|maximum|maxLength/);
  });

  it('declares the outside systems it needs (GET /health degrades exactly these tools)', () => {
    expect(tool.needs.length).toBeGreaterThan(0);
    expect(tool.needs).toContain(TOOL_DEPENDENCY[name]);
  });

  it('has annotations that tell the truth about its category', () => {
    if (tool.category === 'read') expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
    else expect(tool.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false });
  });

  it('answers its sample call with bounded text and framed cluster data', async () => {
    const { context } = makeContext();
    const result = await runTool(tool, SAMPLE_CALLS[name], context);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.text.length).toBeLessThanOrEqual(1600);
    if (tool.category === 'read') expect(countFrameDelimiters(result.text)).toBe(2);
  });

  it('refuses unknown and ill-typed arguments with a structured INVALID_INPUT', async () => {
    const { context } = makeContext();
    const result = await runTool(tool, { ...SAMPLE_CALLS[name], bogus: 1 }, context);
    expect(result).toMatchObject({ ok: false, error: { tool: name, code: 'INVALID_INPUT', recoverable: false } });
  });

  it.each(['pve500', 'hang', 'malformed', 'sshHang', 'dockerDown'] as const)(
    'gives a structured error within the timeout on %s, then answers the next call',
    async (fault) => {
      const { world, context } = makeContext({ timeouts: { read: 150, act: 150, shell: 150, docker: 150 } });
      if (fault === 'sshHang') world.sshHang = true;
      else if (fault === 'dockerDown') world.dockerDown = true;
      else world.pveFault = fault;
      const started = performance.now();
      const result = await runTool(tool, SAMPLE_CALLS[name], context);
      expect(performance.now() - started).toBeLessThan(2000);
      const hits = { pve500: 'pve', hang: 'pve', malformed: 'pve', sshHang: 'ssh', dockerDown: 'docker' }[fault] === TOOL_DEPENDENCY[name];
      if (hits) {
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.tool).toBe(name);
          expect(typeof result.error.error).toBe('string');
          expect(typeof result.error.recoverable).toBe('boolean');
        }
      }
      world.pveFault = 'none';
      world.sshHang = false;
      world.dockerDown = false;
      const next = await runTool(tool, SAMPLE_CALLS[name], context);
      expect(next.ok).toBe(true);
    },
  );
});

describe('runTool', () => {
  it('turns a throwing handler into a structured, recoverable INTERNAL error', async () => {
    const { context } = makeContext();
    const broken = {
      ...ALL_TOOLS[0]!,
      handler: async () => {
        throw new TypeError('boom');
      },
    };
    expect(await runTool(broken, {}, context)).toMatchObject({
      ok: false,
      error: { tool: 'check_cluster_health', code: 'INTERNAL', recoverable: true, error: 'boom' },
    });
  });
});

describe('onToolCall observer', () => {
  it('sees each finished call without arguments, and a throwing observer does not break the call', async () => {
    const { context } = makeContext();
    const events: unknown[] = [];
    const observed = { ...context, onToolCall: (event: unknown) => events.push(event) };
    await runTool(ALL_TOOLS[0]!, {}, observed);
    expect(events).toEqual([expect.objectContaining({ tool: 'check_cluster_health', category: 'read', ok: true })]);
    const throwing = {
      ...context,
      onToolCall: () => {
        throw new Error('observer bug');
      },
    };
    expect((await runTool(ALL_TOOLS[0]!, {}, throwing)).ok).toBe(true);
  });
});
