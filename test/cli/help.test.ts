import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_ARGS, type CommandName } from '../../src/cli/command-options.ts';
import { configOptions, parseCommandArgs } from '../../src/cli/compose/command-args.ts';
import { COMMANDS, main } from '../../src/cli/main.ts';

let out: string;
beforeEach(() => {
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('CLI conventions: --help and --version', () => {
  it.each(Object.keys(COMMANDS))('jarvis %s --help prints its usage and exits 0 without running the command', async (name) => {
    expect(await main([name, '--help'])).toBe(0);
    expect(out).toMatch(new RegExp(`^usage: jarvis ${name}\\b`));
    expect(await main([name, 'anything', '-h'])).toBe(0);
  });

  it.each(Object.keys(COMMANDS))('jarvis %s refuses an unknown option with exit 2, naming it and its --help', async (name) => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
    expect(await main([name, '--definitely-unknown'])).toBe(2);
    expect(err).toContain(`jarvis ${name}: unknown option '--definitely-unknown' (see \`jarvis ${name} --help\`)`);
  });

  it.each(Object.keys(COMMANDS) as CommandName[])('jarvis %s --help lists every option its parser accepts, and accepts every option it lists', async (name) => {
    expect(await main([name, '--help'])).toBe(0);
    const shape: { options: Record<string, { type: string; short?: string }>; config?: boolean } = COMMAND_ARGS[name];
    const accepted = { ...(shape.config ? configOptions() : {}), ...shape.options };
    const listed = [...out.matchAll(/^ {2}(?:-(\w), )?--([a-z][a-z0-9-]*)/gm)].map((match) => ({ short: match[1], long: match[2]! }));
    expect(listed.map((option) => option.long).sort()).toEqual(Object.keys(accepted).sort());
    for (const { short, long } of listed) {
      const spec = accepted[long]!;
      const value = spec.type === 'string' ? ['x'] : [];
      expect(parseCommandArgs(name, [`--${long}`, ...value]).ok, `--${long}`).toBe(true);
      if (short) expect(parseCommandArgs(name, [`-${short}`, ...value]).ok, `-${short}`).toBe(true);
    }
    expect(Object.keys(COMMAND_ARGS).sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it('lists the options the audit found missing: sim --no-llm/--llm-*, plan --lists', async () => {
    await main(['sim', '--help']);
    for (const flag of ['--no-llm', '--llm-slots', '--llm-ctx', '--llm-kv-unified', '--fault', '--metrics-ms']) expect(out).toContain(flag);
    out = '';
    await main(['plan', '--help']);
    expect(out).toContain('--lists');
  });

  it('answers --help for subcommands too (the command help covers them)', async () => {
    expect(await main(['audit', 'verify', '--help'])).toBe(0);
    expect(out).toContain('jarvis audit verify');
    expect(await main(['token', 'create', '--role', 'viewer', '--help'])).toBe(0);
    expect(out).toContain('jarvis token create');
  });

  it('prints the package version with --version, -V and version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V', 'version']) {
      out = '';
      expect(await main([flag])).toBe(0);
      expect(out).toBe(`jarvis ${version}\n`);
    }
  });

  it('keeps unknown commands an error (exit 2) and bare `jarvis` a usage error', async () => {
    expect(await main(['frobnicate'])).toBe(2);
    expect(await main([])).toBe(2);
    expect(out).toContain('jarvis --version');
  });

  it('works through the real executable', () => {
    expect(execFileSync(process.execPath, ['bin/jarvis.js', 'start', '--help'], { encoding: 'utf8' })).toContain('--sim-nodes');
    expect(execFileSync(process.execPath, ['bin/jarvis.js', '--version'], { encoding: 'utf8' })).toMatch(/^jarvis \d+\.\d+\.\d+\n$/);
  });

  it('jarvis mcp exits 1 naming the unreachable server instead of serving 0 tools', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const run = spawnSync(process.execPath, ['bin/jarvis.js', 'mcp', '--url', `http://127.0.0.1:${port}`, '--token', 'x'], {
      encoding: 'utf8',
      input: '',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('JARVIS_UNREACHABLE');
    expect(run.stderr).toContain(`127.0.0.1:${port}`);
    expect(run.stdout).toBe('');
  });
});
