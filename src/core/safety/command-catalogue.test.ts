import { describe, expect, it } from 'vitest';
import { COMMAND_IDS, isRenderedCommand, renderCommand, shellQuote, toShellLine } from './command-catalogue.ts';

const now = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('command catalogue', () => {
  it('renders every parameterless command to its fixed argv', () => {
    const disk = renderCommand({ id: 'disk_usage' }, { now });
    expect(disk.ok && disk.value.argv).toEqual(['df', '-P', '-B1', '-x', 'tmpfs', '-x', 'devtmpfs']);
    const memory = renderCommand({ id: 'memory', params: {} }, { now });
    expect(memory.ok && memory.value.argv).toEqual(['free', '-b']);
  });

  it('renders every catalogue id with valid parameters', () => {
    const params: Record<string, unknown> = {
      service_status: { unit: 'pveproxy' },
      journal: { unit: 'pveproxy', since: '2h', lines: 50 },
      pvesh_get: { path: '/nodes/pve/status' },
      service_restart: { unit: 'pvestatd' },
      clear_temp: { path: '/tmp' },
    };
    for (const id of COMMAND_IDS) {
      const result = renderCommand({ id, params: params[id] ?? {} }, { now });
      expect(result.ok, id).toBe(true);
      if (result.ok) expect(isRenderedCommand(result.value)).toBe(true);
    }
  });

  it('computes the journal --since timestamp in UTC from now', () => {
    const result = renderCommand({ id: 'journal', params: { unit: 'corosync', since: '90m', lines: 10 } }, { now });
    expect(result.ok && result.value.argv).toEqual([
      'journalctl',
      '-u',
      'corosync.service',
      '--since',
      '2026-11-25 10:30:00',
      '-n',
      '10',
      '--no-pager',
      '-o',
      'short-iso',
    ]);
  });

  it('rejects durations over 7 days, bad units, unknown paths and extra params', () => {
    expect(renderCommand({ id: 'journal', params: { unit: 'x', since: '8d' } }, { now }).ok).toBe(false);
    expect(renderCommand({ id: 'service_status', params: { unit: 'a..b' } }, { now }).ok).toBe(false);
    expect(renderCommand({ id: 'service_status', params: { unit: 'ssh.service' } }, { now }).ok).toBe(false);
    expect(renderCommand({ id: 'pvesh_get', params: { path: '/nodes/pve/qemu/100/status/stop' } }, { now }).ok).toBe(false);
    expect(renderCommand({ id: 'uptime', params: { extra: 1 } }, { now }).ok).toBe(false);
    expect(renderCommand({ id: 'rm', params: {} }, { now }).ok).toBe(false);
    expect(renderCommand({ id: 'toString' }, { now }).ok).toBe(false);
  });

  it('refuses to restart protected or non-allowlisted units', () => {
    expect(renderCommand({ id: 'service_restart', params: { unit: 'corosync' } }, { now }).ok).toBe(false);
    expect(renderCommand({ id: 'service_restart', params: { unit: 'docker' } }, { now }).ok).toBe(false);
    expect(renderCommand({ id: 'service_restart', params: { unit: 'my-app' } }, { now }).ok).toBe(false);
    expect(renderCommand({ id: 'service_restart', params: { unit: 'my-app' } }, { now, restartableUnits: ['my-app'] }).ok).toBe(true);
    expect(renderCommand({ id: 'service_restart', params: { unit: 'sshd' } }, { now, restartableUnits: ['sshd'] }).ok).toBe(false);
    // Sibling and instance units of a protected unit stay protected even when config lists them.
    for (const unit of ['ssh.socket', 'docker.socket', 'corosync.path', 'ssh@1']) {
      expect(renderCommand({ id: 'service_restart', params: { unit } }, { now, restartableUnits: [unit] }).ok, unit).toBe(false);
    }
  });

  it('does not accept a look-alike object as a rendered command', () => {
    expect(isRenderedCommand({ id: 'uptime', argv: ['rm', '-rf', '/'], tier: 'green' })).toBe(false);
  });

  it('quotes arguments for a POSIX shell', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    const result = renderCommand({ id: 'load' }, { now });
    expect(result.ok && toShellLine(result.value)).toBe(`'cat' '/proc/loadavg'`);
  });
});
