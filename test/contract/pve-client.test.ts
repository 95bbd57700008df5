import { describe, expect, it } from 'vitest';
import { must, pveContract } from '../../src/adapters/pve/__fixtures__/pve-contract.ts';
import { PveClusterApi } from '../../src/adapters/pve/pve-cluster-api.ts';
import { PveHttpClient, type PveRequestEvent } from '../../src/adapters/pve/pve-http-client.ts';
import { startFixtureServer } from '../../src/adapters/pve/__fixtures__/fixture-server.ts';
import { startSimulator } from '../../src/sim/index.ts';
import { createSelfSignedCert } from '../../src/sim/tls/self-signed-cert.ts';

/** The same contract against composed fixtures and against the embedded simulator. */
pveContract('fixture server', async () => {
  const cert = createSelfSignedCert();
  const server = await startFixtureServer(cert);
  return {
    ...server,
    fingerprint: cert.fingerprint,
    fault: async (fault) => server.fault(fault),
    clearFaults: async () => server.clearFaults(),
  };
});

pveContract('simulator', async () => {
  const sim = await startSimulator({ seed: 1, authDelayMs: 0, taskDurationMs: 50, staleHorizonMs: 2000, metricsIntervalMs: 0 });
  const admin = async (method: string, path: string, body?: unknown): Promise<void> => {
    const response = await fetch(sim.adminUrl + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`sim admin ${method} ${path}: ${response.status} ${await response.text()}`);
  };
  return {
    url: sim.url,
    fingerprint: sim.fingerprint,
    tokenId: sim.tokenId,
    tokenSecret: sim.tokenSecret,
    auditTokenId: sim.auditTokenId,
    auditTokenSecret: sim.auditTokenSecret,
    username: sim.username,
    password: sim.password,
    fault: (fault) => admin('POST', '/faults', fault),
    clearFaults: () => admin('DELETE', '/faults'),
    close: () => sim.close(),
  };
});

describe('PVE client against a larger simulated cluster', () => {
  it('still reads the full state in two HTTP calls (16 nodes, 500 guests)', async () => {
    const sim = await startSimulator({ seed: 7, nodes: 16, guests: 500, authDelayMs: 0, metricsIntervalMs: 0 });
    try {
      const events: PveRequestEvent[] = [];
      const client = new PveHttpClient({
        baseUrl: sim.url,
        auth: { kind: 'token', tokenId: sim.tokenId, tokenSecret: sim.tokenSecret },
        fingerprint: sim.fingerprint,
        onRequest: (event) => events.push(event),
      });
      const snapshot = must(await new PveClusterApi(client).readSnapshot());
      client.close();
      expect(events).toHaveLength(2);
      expect(snapshot.guests).toHaveLength(500);
      expect(snapshot.nodes).toHaveLength(16);
      expect(snapshot.quorum).toMatchObject({ quorate: true, votesTotal: 16, votesNeeded: 9, votesOnline: 16 });
    } finally {
      await sim.close();
    }
  });
});
