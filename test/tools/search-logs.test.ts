import { describe, expect, it } from 'vitest';
import { findTool, runTool } from '../../src/app/tools/index.ts';
import { makeContext } from './make-context.ts';

describe('search_logs paging (PVE /syslog pages from the oldest line of the window)', () => {
  it('shows the newest lines when the window holds more than one page', async () => {
    const { world, context } = makeContext();
    world.syslogLines = Array.from(
      { length: 100 },
      (_, index) => `Nov 25 08:${String(index % 60).padStart(2, '0')}:00 pve app[1]: line-${String(index).padStart(3, '0')}`,
    );
    const result = await runTool(findTool('search_logs')!, { node: 'pve' }, context);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const lines = result.ok ? (result.data.lines as string[]) : [];
    expect(lines[0]).toContain('line-099');
    expect(lines.some((line) => line.includes('line-000'))).toBe(false);
  });

  it('treats PVE\u2019s "no content" placeholder as an empty window', async () => {
    const { world, context } = makeContext();
    world.syslogLines = ['no content'];
    const result = await runTool(findTool('search_logs')!, { node: 'pve' }, context);
    expect(result.ok && result.data.matched, JSON.stringify(result)).toBe(0);
  });
});
