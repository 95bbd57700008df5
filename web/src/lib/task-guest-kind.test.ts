import { describe, expect, it } from 'vitest';
import { taskGuestKind } from './task-guest-kind.ts';

describe('taskGuestKind', () => {
  it('names VMs by qm*, containers by vz*/lxc*, and a backup (vzdump, either kind) as a guest', () => {
    expect(['qmstart', 'qmshutdown', 'vzstart', 'vzstop', 'lxcstart', 'vzdump', 'srvrestart'].map(taskGuestKind)).toEqual([
      'VM',
      'VM',
      'CT',
      'CT',
      'CT',
      'guest',
      'guest',
    ]);
  });
});
