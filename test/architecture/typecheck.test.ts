import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

// Three programs: server code without DOM types, the dashboard without Node types, the tests with both.
it.each(['.', 'web', 'test'])(
  'the %s project type-checks under strict TypeScript',
  (project) => {
    const result = spawnSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, project), '--noEmit'], {
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  },
  180_000,
);
