import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../deploy/watchdog/jarvis-watchdog.sh');
let dir: string;

/** Stubs for curl and pvesh: curl's exit code comes from a file; pvesh records its arguments. */
function stubs(options: { healthy: boolean; quorate?: boolean; vmNode?: string }) {
  writeFileSync(join(dir, 'curl'), `#!/bin/sh\nexit ${options.healthy ? 0 : 7}\n`);
  const status = JSON.stringify([{ type: 'cluster', quorate: options.quorate === false ? 0 : 1 }]);
  const resources = JSON.stringify([{ vmid: 101, node: 'pve' }, { vmid: 103, node: options.vmNode ?? 'agent1' }]);
  writeFileSync(join(dir, 'pvesh'), `#!/bin/sh\necho "$*" >> "${join(dir, 'pvesh.log')}"\ncase "$2" in\n  /cluster/status) echo '${status}' ;;\n  /cluster/resources) echo '${resources}' ;;\nesac\nexit 0\n`);
  chmodSync(join(dir, 'curl'), 0o755);
  chmodSync(join(dir, 'pvesh'), 0o755);
}

function runAt(now: number) {
  const result = spawnSync('bash', [SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      WATCHDOG_CONFIG: join(dir, 'none'),
      WATCHDOG_NOW: String(now),
      STATE_DIR: join(dir, 'state'),
      CURL: join(dir, 'curl'),
      PVESH: join(dir, 'pvesh'),
      LOGGER: 'true',
      JARVIS_HEALTH_URL: 'http://127.0.0.1:9/health',
    },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout };
}

const pveshCalls = () => (existsSync(join(dir, 'pvesh.log')) ? readFileSync(join(dir, 'pvesh.log'), 'utf8').trim().split('\n') : []);
const restarts = () => pveshCalls().filter((call) => call.startsWith('create'));

describe('deploy/watchdog/jarvis-watchdog.sh', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jarvis-watchdog-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('does nothing while Jarvis answers /health', () => {
    stubs({ healthy: true });
    expect(runAt(1_000).code).toBe(0);
    expect(pveshCalls()).toEqual([]);
  });

  it('waits 5 minutes of unresponsiveness, then stops and starts the VM on its current node', () => {
    stubs({ healthy: false, vmNode: 'pve' });
    expect(runAt(1_000).out).toContain('unresponsive for 0s');
    expect(runAt(1_240).out).toContain('unresponsive for 240s');
    expect(restarts()).toEqual([]);
    expect(runAt(1_300).out).toContain('hard-restarting VM 103 on pve');
    expect(restarts()).toEqual(['create /nodes/pve/qemu/103/status/stop --timeout 60', 'create /nodes/pve/qemu/103/status/start']);
  });

  it('restarts at most once per cooldown', () => {
    stubs({ healthy: false });
    runAt(0);
    runAt(300);
    expect(restarts()).toHaveLength(2);
    runAt(360);
    runAt(660);
    expect(runAt(700).out).toContain('cooldown');
    expect(restarts()).toHaveLength(2);
    runAt(1_300);
    expect(restarts()).toHaveLength(4);
  });

  it('never restarts while the cluster is not quorate', () => {
    stubs({ healthy: false, quorate: false });
    runAt(0);
    expect(runAt(600).out).toContain('not quorate');
    expect(restarts()).toEqual([]);
  });

  it('forgets a failure once Jarvis answers again', () => {
    stubs({ healthy: false });
    runAt(0);
    stubs({ healthy: true });
    runAt(200);
    stubs({ healthy: false });
    expect(runAt(400).out).toContain('unresponsive for 0s');
    expect(restarts()).toEqual([]);
  });
});
