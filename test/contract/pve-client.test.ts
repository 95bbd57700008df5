import { pveContract } from '../../src/adapters/pve/__fixtures__/pve-contract.ts';
import { startFixtureServer } from '../../src/adapters/pve/__fixtures__/fixture-server.ts';
import { createSelfSignedCert } from '../../src/sim/tls/self-signed-cert.ts';

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
