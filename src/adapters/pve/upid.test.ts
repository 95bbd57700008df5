import { describe, expect, it } from 'vitest';
import { taskRefFromUpid } from './upid.ts';

describe('taskRefFromUpid', () => {
  it('takes the node from a UPID (token user, trailing colon)', () => {
    const upid = 'UPID:agent1:000A1B2C:01A2BFC4:674425F0:qmstart:103:jarvis@pve!monitor:';
    expect(taskRefFromUpid(upid)).toEqual({ ok: true, value: { upid, node: 'agent1' } });
  });

  it('refuses text that is not a UPID', () => {
    const result = taskRefFromUpid('UPID:agent1:broken');
    expect(result.ok ? 'ok' : result.error.code).toBe('PVE_BAD_RESPONSE');
  });
});
