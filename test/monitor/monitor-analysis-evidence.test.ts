/**
 * The analysis prompt carries the incident's relevant tool output, framed as cluster data: the
 * failed unit's journal (SSH `journal` diagnostic), the failed vzdump's task log, the looping
 * container's log tail. Against the simulator over the wire.
 */
import { describe, expect, it } from 'vitest';
import { startSimMonitor } from './sim-harness.ts';

const POLL = 10_000;

async function promptAfter(scenario: string, steps: number): Promise<string> {
  const harness = await startSimMonitor();
  try {
    for (let i = 0; i < 2; i++) await harness.step(POLL);
    harness.scenario(scenario);
    for (let i = 0; i < steps; i++) await harness.step(POLL);
    return harness.model.calls.map((call) => String(call.messages[0]?.content ?? '')).join('\n----\n');
  } finally {
    await harness.close();
  }
}

describe('analysis prompt: tool output of the incident', () => {
  it('unit-failed: the unit journal over SSH, framed', async () => {
    const prompt = await promptAfter('unit-failure', 8);
    expect(prompt).toContain('<cluster_data source="ssh:journal:pve-ha-lrm" node="pve"');
    expect(prompt).toContain('Main process exited');
  });

  it('backup-failed: the failed vzdump task log, framed', async () => {
    const prompt = await promptAfter('backup-failed', 5);
    expect(prompt).toContain('<cluster_data source="pve:task-log"');
    expect(prompt).toContain('No space left on device');
  });

  it('guest-crashed: the guest recent tasks, framed, and the whole prompt stays within a bounded size', async () => {
    const prompt = await promptAfter('guest-crash', 2);
    expect(prompt).toContain('<cluster_data source="pve:tasks"');
    expect(prompt.split('\n----\n').every((content) => content.length < 5 * (4000 + 1500) + 2000)).toBe(true);
  });
});
