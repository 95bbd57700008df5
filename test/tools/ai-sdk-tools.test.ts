import { describe, expect, it } from 'vitest';
import { aiSdkTools } from '../../src/app/tools/ai-sdk-tools.ts';
import { toolsFor } from '../../src/app/tools/index.ts';
import { makeContext } from './make-context.ts';

describe('aiSdkTools', () => {
  it('exposes the same subset, descriptions and schemas as the definitions', () => {
    const { context } = makeContext();
    const set = aiSdkTools(toolsFor('read'), context);
    expect(Object.keys(set)).toEqual(toolsFor('read').map((tool) => tool.name));
    expect(set.check_cluster_health?.description).toBe(toolsFor('read')[0]?.description);
  });

  it('executes through runTool: framed text on success, structured error JSON on failure', async () => {
    const { world, context } = makeContext({ timeouts: { read: 100 } });
    const set = aiSdkTools(toolsFor('all'), context);
    const execute = set.check_cluster_health!.execute!;
    const ok = await execute({}, { toolCallId: '1', messages: [] });
    expect(String(ok)).toContain('<cluster_data source="pve:/cluster/resources"');
    world.pveFault = 'hang';
    const failed = JSON.parse(String(await execute({}, { toolCallId: '2', messages: [] })));
    expect(failed).toMatchObject({ tool: 'check_cluster_health', code: 'TIMEOUT', recoverable: true });
  });
});
