import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function walk(dir: string): string[] {
  let out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === '__fixtures__') continue;
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
        if (!target) return spec === 'zod' ? null : 'core imports no packages but zod';
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
        if (layer === 'adapters' && relative(join(root, 'src/adapters'), target).split('/')[0] === relative(join(root, 'src/adapters'), file).split('/')[0]) return null;
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
