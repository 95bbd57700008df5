import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { admin, pveRequest } from './pve-request.ts';

describe('simulator determinism over the wire', () => {
  const clock = () => Date.UTC(2026, 10, 25, 8, 0, 0);
  const sims: RunningSimulator[] = [];
  const resources = async (sim: RunningSimulator) =>
    (await pveRequest(sim.url, '/cluster/resources', { token: { id: sim.tokenId, secret: sim.tokenSecret } })).json.data;
  beforeAll(async () => {
    for (const seed of [42, 42, 43]) sims.push(await startSimulator({ seed, clock, authDelayMs: 0, metricsIntervalMs: 0 }));
  });
  afterAll(async () => {
    await Promise.all(sims.map((sim) => sim.close()));
  });

  it('serves identical /cluster/resources for the same seed, before and after the same ticks, and different data for another seed', async () => {
    const [a, b, c] = sims as [RunningSimulator, RunningSimulator, RunningSimulator];
    expect(await resources(a)).toEqual(await resources(b));
    for (const sim of sims) await admin(sim.adminUrl, 'POST', '/tick', { count: 30 });
    const afterA = await resources(a);
    expect(afterA).toEqual(await resources(b));
    expect(await resources(c)).not.toEqual(afterA);
  });
});
