/** Builds a ToolContext over a FakeWorld and the kernel test executor. */
import { DEFAULT_TOOL_TIMEOUTS, type ToolContext, type ToolTimeouts } from '../../src/app/tools/tool-context.ts';
import { FakeWorld } from './fake-world.ts';
import { KernelTestExecutor } from './kernel-executor.ts';

export function makeContext(options: { world?: FakeWorld; timeouts?: Partial<ToolTimeouts> } = {}): {
  world: FakeWorld;
  executor: KernelTestExecutor;
  context: ToolContext;
} {
  const world = options.world ?? new FakeWorld();
  const executor = new KernelTestExecutor(world);
  const context: ToolContext = {
    cluster: world.cluster,
    shell: world.shell,
    docker: world.dockerApi,
    executor,
    snapshot: () => undefined,
    clock: { now: () => world.now },
    timeouts: { ...DEFAULT_TOOL_TIMEOUTS, ...options.timeouts },
    actor: { kind: 'mcp-client', clientId: 'test' },
    defaultDockerHost: 'docker@103',
  };
  return { world, executor, context };
}
