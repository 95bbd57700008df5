/**
 * The destructive-command corpus (issue 3): every entry, in every parameter slot of the
 * catalogue and of the kernel's action targets, fails to render and never reaches an executor.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/core/domain/action.ts';
import { COMMAND_IDS, renderCommand, type CommandId, type CommandRequest } from '../../src/core/safety/command-catalogue.ts';
import { decide } from '../../src/core/safety/decide.ts';
import { NO_LOCKS } from '../../src/core/safety/decision.ts';
import { MODEL, NOW, seedSnapshot, TOPOLOGY } from '../kernel/fixtures.ts';
import { makeHarness } from '../kernel/harness.ts';

/** Decodes the corpus escapes: \n \r \t \\ \0 \xHH \u{HHHH}. */
export function unescapeEntry(line: string): string {
  return line.replace(/\\(u\{([0-9a-fA-F]+)\}|x([0-9a-fA-F]{2})|[nrt0\\])/g, (_match, token: string, code?: string, hex?: string) => {
    if (code) return String.fromCodePoint(parseInt(code, 16));
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    return { n: '\n', r: '\r', t: '\t', '0': '\0', '\\': '\\' }[token] ?? token;
  });
}

const corpusText = readFileSync(new URL('./destructive-commands.txt', import.meta.url), 'utf8');
const entries = corpusText
  .split('\n')
  .filter((line) => line.length > 0 && !line.startsWith('#'))
  .map(unescapeEntry);
const huge = `pveproxy;${'$(rm -rf /)`reboot`|sh&&'.repeat(8192)}`.slice(0, 100 * 1024);
const all = [...entries, huge, 'a'.repeat(100 * 1024)];

/** A valid request per catalogue id (typed by CommandId: a new catalogue command must be added here). */
const VALID: Readonly<Record<CommandId, Record<string, unknown>>> = {
  disk_usage: {},
  memory: {},
  load: {},
  uptime: {},
  top_processes: {},
  failed_units: {},
  ip_addr: {},
  zpool_status: {},
  pveversion: {},
  service_status: { unit: 'pveproxy' },
  journal: { unit: 'pveproxy', since: '1h', lines: 10 },
  pvesh_get: { path: '/version' },
  service_restart: { unit: 'pveproxy' },
  clear_temp: { path: '/tmp' },
};

/** Every way an entry could be slotted into a catalogue request: as the id, and in every parameter of every command. */
function slots(value: string): CommandRequest[] {
  const requests: CommandRequest[] = [{ id: value }, { id: value, params: {} }];
  for (const id of COMMAND_IDS) {
    for (const key of ['unit', 'since', 'lines', 'path', 'extra']) requests.push({ id, params: { ...VALID[id], [key]: value } });
  }
  return requests;
}

function actions(value: string): Action[] {
  const base = { actor: MODEL, reason: value.slice(0, 200) };
  return [
    { ...base, kind: 'diagnostic.run', target: { type: 'node', node: 'pve' }, params: { command: value } },
    { ...base, kind: 'diagnostic.run', target: { type: 'node', node: 'pve' }, params: { command: 'journal', params: { unit: value } } },
    { ...base, kind: 'diagnostic.run', target: { type: 'node', node: value }, params: { command: 'uptime' } },
    { ...base, kind: 'service.restart', target: { type: 'service', node: 'pve', unit: value }, params: {} },
    { ...base, kind: 'container.restart', target: { type: 'container', host: 'docker@105', name: value }, params: {} },
    { ...base, kind: 'cleanup.temp', target: { type: 'node', node: 'pve' }, params: { path: value } },
    { ...base, kind: 'network.change', target: { type: 'network-interface', node: 'pve', iface: value }, params: {} },
    { ...base, kind: 'diagnostic.run', target: { type: 'node', node: 'pve' }, params: { command: 'pvesh_get', params: { path: value } } },
    { ...base, kind: 'diagnostic.run', target: { type: 'node', node: 'pve' }, params: { command: 'journal', params: { unit: 'pveproxy', since: value } } },
    { ...base, kind: 'service.start', target: { type: 'service', node: 'pve', unit: value }, params: {} },
    { ...base, kind: 'docker.restart', target: { type: 'docker-host', host: value }, params: {} },
    { ...base, kind: 'storage.change', target: { type: 'storage', node: 'pve', storage: value }, params: {} },
  ];
}

describe('destructive command corpus', () => {
  it('holds at least 150 entries plus the generated 100 KB cases', () => {
    expect(entries.length).toBeGreaterThanOrEqual(150);
    expect(huge.length).toBe(100 * 1024);
  });

  it('no entry renders to a catalogue command in any parameter slot', () => {
    const rendered: string[] = [];
    for (const value of all)
      for (const request of slots(value)) if (renderCommand(request, { now: NOW }).ok) rendered.push(`${request.id}: ${value.slice(0, 40)}`);
    expect(rendered).toEqual([]);
  });

  it('the kernel allows none of them as an action', () => {
    const snapshot = seedSnapshot();
    const allowed: string[] = [];
    for (const value of all)
      for (const action of actions(value)) {
        const decision = decide(action, snapshot, TOPOLOGY, NO_LOCKS, NOW);
        if (decision.verdict !== 'deny') allowed.push(`${action.kind}: ${value.slice(0, 40)} -> ${decision.verdict}`);
      }
    expect(allowed).toEqual([]);
  });

  it('none reaches the executor (recording fake runner stays empty)', async () => {
    const h = makeHarness();
    for (const value of all) for (const action of actions(value)) await h.executor.propose(action);
    expect(h.runner.calls).toEqual([]);
    const verdict = await h.audit.verify();
    expect(verdict.ok && verdict.value.ok).toBe(true);
  });

  it("slots every catalogue command, and each one renders with its valid parameters (so a refusal is the entry's doing)", () => {
    expect(Object.keys(VALID).sort()).toEqual([...COMMAND_IDS].sort());
    for (const id of COMMAND_IDS) expect(renderCommand({ id, params: VALID[id] }, { now: NOW }).ok, id).toBe(true);
  });
});
