import { pveContract } from '../../src/adapters/pve/__fixtures__/pve-contract.ts';
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
    const response = await fetch(sim.adminUrl + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
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
