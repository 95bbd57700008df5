import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../deploy/watchdog/jarvis-watchdog.sh');
let dir: string;

/**
 * Stubs for curl and pvesh with state: curl's /health answer comes from a file; pvesh keeps VM 103's
 * status (running/stopped) and lock in files as PVE would, records every call, and applies
 * shutdown/stop/start to that state (a shutdown can be told to time out).
 */
function stubs(options: { healthy: boolean; quorate?: boolean; vmNode?: string; vmStatus?: 'running' | 'stopped'; lock?: string; shutdownHangs?: boolean }) {
  writeFileSync(join(dir, 'healthy'), options.healthy ? '0' : '7');
  writeFileSync(
    join(dir, 'curl'),
    `#!/bin/sh\ncase "$*" in *health*) exit $(cat "${join(dir, 'healthy')}") ;; esac\necho "$*" >> "${join(dir, 'curl.log')}"\nexit 0\n`,
  );
  if (options.vmStatus !== undefined || !existsSync(join(dir, 'vm-status'))) writeFileSync(join(dir, 'vm-status'), options.vmStatus ?? 'running');
  writeFileSync(join(dir, 'vm-lock'), options.lock ?? '');
  const status = JSON.stringify([{ type: 'cluster', quorate: options.quorate === false ? 0 : 1 }]);
  const node = options.vmNode ?? 'agent1';
  writeFileSync(
    join(dir, 'pvesh'),
    `#!/bin/sh
echo "$*" >> "${join(dir, 'pvesh.log')}"
state="${join(dir, 'vm-status')}"
case "$1 $2" in
  "get /cluster/status") echo '${status}' ;;
  "get /cluster/resources") lock=$(cat "${join(dir, 'vm-lock')}"); printf '[{"vmid":101,"node":"pve","status":"running"},{"vmid":103,"node":"${node}","status":"%s"%s}]' "$(cat "$state")" "$( [ -n "$lock" ] && printf ',"lock":"%s"' "$lock")" ;;
  "create /nodes/${node}/qemu/103/status/shutdown") ${options.shutdownHangs ? 'exit 1' : 'echo stopped > "$state"'} ;;
  "create /nodes/${node}/qemu/103/status/stop") echo stopped > "$state" ;;
  "create /nodes/${node}/qemu/103/status/start") echo running > "$state" ;;
esac
exit 0
`,
  );
  chmodSync(join(dir, 'curl'), 0o755);
  chmodSync(join(dir, 'pvesh'), 0o755);
}

function run(now: number, ...args: string[]) {
  return runWith({}, now, ...args);
}
/** One timer tick at `now` (seconds) with extra settings in the environment (as the defaults file would set them). */
function runWith(settings: Record<string, string>, now: number, ...args: string[]) {
  const result = spawnSync('bash', [SCRIPT, ...args], {
    env: {
      ...settings,
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      WATCHDOG_CONFIG: join(dir, 'none'),
      WATCHDOG_NOW: String(now),
      STATE_DIR: join(dir, 'state'),
      CURL: join(dir, 'curl'),
      PVESH: join(dir, 'pvesh'),
      LOGGER: 'true',
      JARVIS_HEALTH_URL: 'http://127.0.0.1:9/health',
      NTFY_URL: 'http://127.0.0.1:9/homelab',
    },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout };
}
const runAt = (now: number) => run(now);
/** Timer ticks: every 60 s while decisions are dense, then every `sparse` s (the script is stateless between runs). */
function ticks(denseUntil: number, until: number, sparse: number): number[] {
  const times: number[] = [];
  for (let now = 0; now < denseUntil; now += 60) times.push(now);
  for (let now = denseUntil; now <= until; now += sparse) times.push(now);
  return times;
}

const pveshCalls = () => (existsSync(join(dir, 'pvesh.log')) ? readFileSync(join(dir, 'pvesh.log'), 'utf8').trim().split('\n') : []);
const acts = () => pveshCalls().filter((call) => call.startsWith('create'));
const starts = () => acts().filter((call) => call.endsWith('/status/start'));
const alerts = () => (existsSync(join(dir, 'curl.log')) ? readFileSync(join(dir, 'curl.log'), 'utf8').trim().split('\n').filter(Boolean) : []);

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

  it('waits 5 minutes, then shuts the VM down gracefully on its current node and starts it', () => {
    stubs({ healthy: false, vmNode: 'pve' });
    expect(runAt(1_000).out).toContain('unresponsive for 0s');
    expect(runAt(1_240).out).toContain('unresponsive for 240s');
    expect(acts()).toEqual([]);
    expect(runAt(1_300).out).toContain('restarting VM 103 on pve');
    expect(acts()).toEqual(['create /nodes/pve/qemu/103/status/shutdown --timeout 120', 'create /nodes/pve/qemu/103/status/start']);
  });

  it('hard-stops only when the graceful shutdown does not finish', () => {
    stubs({ healthy: false, shutdownHangs: true });
    runAt(0);
    expect(runAt(300).out).toContain('hard stop');
    expect(acts()).toEqual([
      'create /nodes/agent1/qemu/103/status/shutdown --timeout 120',
      'create /nodes/agent1/qemu/103/status/stop --timeout 60',
      'create /nodes/agent1/qemu/103/status/start',
    ]);
  });

  it('with Jarvis down for good: backs off 15, 30, 60 min ..., at most 3 restarts in 24 h, then gives up once, loudly (time stepped over 2 days)', () => {
    stubs({ healthy: false });
    const startTimes: number[] = [];
    for (const now of ticks(5_400, 2 * 86_400, 1_800)) {
      const before = starts().length;
      run(now);
      if (starts().length > before) startTimes.push(now);
    }
    expect(startTimes).toEqual([300, 300 + 900, 300 + 900 + 1_800]); // 15 min, then 30 min of backoff
    expect(alerts()).toHaveLength(1); // one "giving up" notification, not one per minute
    expect(alerts()[0]).toContain('giving up');
    expect(run(2 * 86_400 + 60).out).toContain('gave up');
  }, 180_000); // ~180 script runs: a few seconds on a quiet machine, longer on a loaded one

  it('doubles the wait to 60 min, 2 h, 4 h, then holds it at the 6 h cap (daily cap raised; time stepped over 20 h)', () => {
    stubs({ healthy: false });
    const settings = { MAX_RESTARTS_PER_DAY: '10' };
    const times = [...ticks(1_200, 72_000, 600)];
    const startTimes: number[] = [];
    for (const now of times) {
      const before = starts().length;
      runWith(settings, now);
      if (starts().length > before) startTimes.push(now);
    }
    // Every expected restart falls on a tick, and an early or late one would land on another tick.
    expect(startTimes.slice(1).map((at, index) => at - startTimes[index]!)).toEqual([900, 1_800, 3_600, 7_200, 14_400, 21_600, 21_600]);
    expect(startTimes[0]).toBe(300);
    expect(alerts()).toEqual([]); // 8 restarts in 20 h: under the raised cap, nothing given up
  }, 180_000);

  it('starts counting again after Jarvis recovers, and `resume` lifts a give-up', () => {
    stubs({ healthy: false });
    for (const now of ticks(5_400, 12 * 3_600, 3_600)) run(now);
    expect(starts()).toHaveLength(3);
    expect(run(12 * 3_600 + 60, 'status').out).toContain('gave up');
    run(12 * 3_600 + 120, 'resume');
    // the 24 h cap still counts the three restarts of the morning
    run(12 * 3_600 + 180);
    expect(run(12 * 3_600 + 600).out).toContain('giving up');
    expect(starts()).toHaveLength(3);
    // a day later, with the cap window clear and after a resume, it acts again
    run(40 * 3_600, 'resume');
    run(40 * 3_600 + 60);
    run(40 * 3_600 + 400);
    expect(starts()).toHaveLength(4);
  }, 180_000);

  it('never starts a VM that was stopped on purpose, nor one that is locked', () => {
    stubs({ healthy: false, vmStatus: 'stopped' });
    runAt(0);
    expect(runAt(600).out).toContain('stopped on purpose');
    stubs({ healthy: false, vmStatus: 'running', lock: 'backup' });
    expect(runAt(1_200).out).toContain('locked (backup)');
    expect(acts()).toEqual([]);
  });

  it('pause stops every action until resume', () => {
    stubs({ healthy: false });
    run(0, 'pause', 'maintenance', 'of', 'agent1');
    runAt(60);
    expect(runAt(600).out).toContain('paused');
    expect(acts()).toEqual([]);
    run(660, 'resume');
    runAt(720);
    runAt(1_100);
    expect(starts()).toHaveLength(1);
  });

  it('never restarts while the cluster is not quorate', () => {
    stubs({ healthy: false, quorate: false });
    runAt(0);
    expect(runAt(600).out).toContain('not quorate');
    expect(acts()).toEqual([]);
  });

  it('forgets a failure once Jarvis answers again', () => {
    stubs({ healthy: false });
    runAt(0);
    stubs({ healthy: true });
    runAt(200);
    stubs({ healthy: false });
    expect(runAt(400).out).toContain('unresponsive for 0s');
    expect(acts()).toEqual([]);
  });
});
