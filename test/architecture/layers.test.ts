import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function walk(dir: string): string[] {
  let out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(walk(path));
    else if (/\.(ts|tsx)$/.test(name)) out.push(path);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push((match[1] ?? match[2])!);
  }
  return found;
}

/** Layer of a resolved import target, relative to src/. */
function layerOf(path: string): string {
  const rel = relative(join(root, 'src'), path);
  return rel.split('/')[0] ?? '';
}

function violations(dir: string, rule: (file: string, spec: string, target: string | null) => string | null): string[] {
  const out: string[] = [];
  for (const file of walk(join(root, dir))) {
    if (file.endsWith('.test.ts') || file.endsWith('.test.tsx')) continue;
    for (const spec of imports(file)) {
      const target = spec.startsWith('.') ? resolve(dirname(file), spec) : null;
      const problem = rule(file, spec, target);
      if (problem) out.push(`${relative(root, file)}: ${spec} — ${problem}`);
    }
  }
  return out;
}

describe('architecture: import rules of STYLE.md', () => {
  it('core is pure: no node builtins, no packages but zod, no imports from outer layers', () => {
    expect(
      violations('src/core', (_file, spec, target) => {
        if (spec.startsWith('node:')) return 'core must not use node builtins';
        if (!target) return spec === 'zod' || spec.startsWith('@noble/hashes/') ? null : 'core imports no packages but zod and @noble/hashes';
        return layerOf(target) === 'core' ? null : 'core imports only core';
      }),
    ).toEqual([]);
  });

  it('core does not read the clock or randomness', () => {
    const offenders = walk(join(root, 'src/core'))
      .filter((file) => !file.endsWith('.test.ts'))
      .filter((file) => /Date\.now\(\)|new Date\(\)|Math\.random\(\)|process\./.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });

  it('adapters import only core (and packages)', () => {
    expect(
      violations('src/adapters', (file, _spec, target) => {
        if (!target) return null;
        const layer = layerOf(target);
        if (layer === 'core') return null;
        if (layer === 'adapters' && relative(join(root, 'src/adapters'), target).split('/')[0] === relative(join(root, 'src/adapters'), file).split('/')[0])
          return null;
        return layer === 'adapters' ? null : `adapters may not import ${layer}`;
      }),
    ).toEqual([]);
  });

  it('app talks to ports: no imports from adapters, sim, cli or config', () => {
    expect(
      violations('src/app', (_file, _spec, target) => {
        if (!target) return null;
        const layer = layerOf(target);
        return ['adapters', 'sim', 'cli', 'config'].includes(layer) ? `app may not import ${layer}` : null;
      }),
    ).toEqual([]);
  });

  it('sim imports only core/domain and itself', () => {
    expect(
      violations('src/sim', (_file, _spec, target) => {
        if (!target) return null;
        const rel = relative(join(root, 'src'), target);
        return rel.startsWith('sim') || rel.startsWith('core/domain') ? null : `sim may not import ${rel}`;
      }),
    ).toEqual([]);
  });

  it('protocol imports only zod and itself (the dashboard bundles it)', () => {
    expect(
      violations('src/protocol', (_file, spec, target) => {
        if (!target) return spec === 'zod' ? null : 'protocol imports no packages but zod';
        return layerOf(target) === 'protocol' ? null : 'protocol imports only protocol';
      }),
    ).toEqual([]);
  });

  it('config imports only core and itself (and node builtins, zod, yaml)', () => {
    expect(
      violations('src/config', (_file, spec, target) => {
        if (!target) return spec.startsWith('node:') || spec === 'zod' || spec === 'yaml' ? null : `config may not import ${spec}`;
        const layer = layerOf(target);
        return layer === 'config' || layer === 'core' ? null : `config may not import ${layer}`;
      }),
    ).toEqual([]);
  });

  it('config is the only reader of the environment (src/cli hands process.env to loadConfig)', () => {
    const readers = walk(join(root, 'src'))
      .filter((file) => !file.endsWith('.test.ts') && !relative(root, file).startsWith('src/config/'))
      .filter((file) => /process\.env\b(?!\s*,)(?!\s*\?\?)/.test(readFileSync(file, 'utf8').replace(/loadConfig\(\{[^)]*\}\)/g, '')))
      .map((file) => relative(root, file));
    expect(readers).toEqual([]);
  });

  it('fixtures are test support: nothing in production imports a __fixtures__ module', () => {
    expect(
      violations('src', (file, _spec, target) => {
        if (!target || file.includes('__fixtures__')) return null;
        return target.includes('__fixtures__') ? 'production code may not import fixtures' : null;
      }),
    ).toEqual([]);
  });

  it('no production module imports an in-memory stand-in (they live in test/)', () => {
    // Stand-ins are named in-memory-*.ts (memory-*.ts files of src/app/memory are Jarvis's memory feature, not stand-ins).
    const standIns = walk(join(root, 'src')).filter((file) => /(^|\/)in-memory-[^/]*\.ts$/.test(file) && !file.endsWith('.test.ts'));
    expect(standIns.map((file) => relative(root, file))).toEqual([]);
    expect(
      violations('src', (file, spec, target) => {
        if (!target || file.includes('__fixtures__')) return null;
        if (relative(root, target).startsWith('test/')) return 'production code may not import test code';
        return /(^|\/)in-memory-[^/]*$/.test(spec) ? 'production code may not import an in-memory stand-in' : null;
      }),
    ).toEqual([]);
  });

  it('web imports only src/protocol from src/', () => {
    expect(
      violations('web/src', (_file, _spec, target) => {
        if (!target) return null;
        const rel = relative(root, target);
        if (!rel.startsWith('src/')) return null;
        return rel.startsWith('src/protocol') ? null : 'web may import only src/protocol';
      }),
    ).toEqual([]);
  });
});
