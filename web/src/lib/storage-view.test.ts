import { describe, expect, it } from 'vitest';
import type { StorageDto } from '../../../src/protocol/index.ts';
import { dedupeStorage } from './storage-view.ts';

const entry = (node: string, storage: string, shared: boolean, used = 1): StorageDto => ({
  id: `storage/${node}/${storage}`,
  storage,
  node,
  type: shared ? 'nfs' : 'dir',
  status: 'available',
  shared,
  content: [],
  used,
  total: 10,
});

describe('dedupeStorage', () => {
  it('lists a shared storage once with every node it is seen through, local storage per node', () => {
    const rows = dedupeStorage([entry('a', 'nfs', true), entry('b', 'nfs', true), entry('a', 'local', false), entry('b', 'local', false)], new Set(['a', 'b']));
    expect(rows.map((row) => row.key)).toEqual(['shared/nfs', 'storage/a/local', 'storage/b/local']);
    expect(rows[0]!.nodes).toEqual(['a', 'b']);
  });
  it('takes the figures of an online node and is not live when none is online', () => {
    const rows = dedupeStorage([entry('a', 'nfs', true, 1), entry('b', 'nfs', true, 2)], new Set(['b']));
    expect(rows[0]).toMatchObject({ live: true, entry: { node: 'b', used: 2 } });
    expect(dedupeStorage([entry('a', 'nfs', true)], new Set())[0]!.live).toBe(false);
  });
});
