import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.ts';
import { pveRequest } from './pve-request.ts';

describe('simulator at 32 nodes / 4000 guests', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ nodes: 32, guests: 4000, authDelayMs: 0, metricsIntervalMs: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('starts and serves every guest, node and storage in /cluster/resources', async () => {
    const token = { id: sim.tokenId, secret: sim.tokenSecret };
    const response = await pveRequest(sim.url, '/cluster/resources', { token, headers: { 'Accept-Encoding': 'gzip' } });
    expect(response.status).toBe(200);
    const data = response.json.data as { type: string }[];
    expect(data.filter((entry) => entry.type === 'qemu' || entry.type === 'lxc')).toHaveLength(4000);
    expect(data.filter((entry) => entry.type === 'node')).toHaveLength(32);
    expect(data.filter((entry) => entry.type === 'storage')).toHaveLength(32 * 3);
    const status = await pveRequest(sim.url, '/cluster/status', { token });
    expect(status.json.data).toHaveLength(33);
    expect((await pveRequest(sim.url, '/nodes/node32/qemu', { token })).json.data.length).toBeGreaterThan(0);
  });
});
