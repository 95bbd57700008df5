import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startJarvis } from '../../src/cli/compose/start-jarvis.ts';
import { silentLogger } from '../../src/core/ports/logger.ts';

async function start(argv: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'jarvis-simsize-'));
  const started = await startJarvis({
    argv: ['--port', '0', '--poll-interval-ms', '60000', ...argv],
    env: { JARVIS_DATA_DIR: join(dir, 'data') },
    cwd: dir,
    simulator: { authDelayMs: 0, metricsIntervalMs: 0 },
    buildWeb: false,
    logger: silentLogger,
    defaultMetrics: false,
  });
  return { started, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('jarvis start --sim-nodes N --sim-guests M (embedded simulator size)', () => {
  it('runs the embedded simulator at the asked size, the seed homelab first, and polls it', async () => {
    const { started, cleanup } = await start(['--sim-nodes', '8', '--sim-guests', '300']);
    try {
      expect(started.ok).toBe(true);
      if (!started.ok) return;
      const poll = await started.value.jarvis.poller.tick();
      expect(poll.ok).toBe(true);
      if (!poll.ok) return;
      expect(poll.snapshot.nodes.map((node) => node.name)).toEqual(expect.arrayContaining(['Home', 'pve', 'agent1', 'agent', 'node5', 'node8']));
      expect(poll.snapshot.nodes).toHaveLength(8);
      expect(poll.snapshot.guests).toHaveLength(300);
      expect(poll.snapshot.guests.find((guest) => guest.vmid === 103)?.node).toBe('agent1');
      await started.value.close();
    } finally {
      cleanup();
    }
  });

  it('refuses a size the simulator cannot run, naming the key and the range', async () => {
    const { started, cleanup } = await start(['--sim-nodes', '65']);
    cleanup();
    expect(started.ok).toBe(false);
    if (started.ok) return;
    expect(started.error.code).toBe('CONFIG_INVALID');
    expect(started.error.message).toContain('simulator.nodes');
    expect(started.error.message).toContain('1 to 64');
  });
});
