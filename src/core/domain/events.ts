/** Events derived from comparing two snapshots. Types are noun-verb (STYLE.md convention 11). */
export type ClusterEvent =
  | { readonly type: 'node-offline'; readonly node: string; readonly at: number }
  | { readonly type: 'node-online'; readonly node: string; readonly at: number }
  | { readonly type: 'node-unknown'; readonly node: string; readonly at: number }
  | { readonly type: 'node-added'; readonly node: string; readonly at: number }
  | { readonly type: 'node-removed'; readonly node: string; readonly at: number }
  | { readonly type: 'quorum-lost'; readonly at: number; readonly votesOnline: number; readonly votesNeeded: number }
  | { readonly type: 'quorum-regained'; readonly at: number; readonly votesOnline: number; readonly votesNeeded: number }
  | { readonly type: 'guest-started'; readonly vmid: number; readonly node: string; readonly at: number }
  | { readonly type: 'guest-stopped'; readonly vmid: number; readonly node: string; readonly at: number }
  | { readonly type: 'guest-status-changed'; readonly vmid: number; readonly node: string; readonly from: string; readonly to: string; readonly at: number }
  | { readonly type: 'guest-migrated'; readonly vmid: number; readonly from: string; readonly to: string; readonly at: number }
  | { readonly type: 'guest-added'; readonly vmid: number; readonly node: string; readonly at: number }
  | { readonly type: 'guest-removed'; readonly vmid: number; readonly node: string; readonly at: number }
  | {
      readonly type: 'storage-threshold-crossed';
      readonly id: string;
      readonly node: string;
      readonly storage: string;
      readonly fraction: number;
      readonly threshold: number;
      readonly at: number;
    }
  | {
      readonly type: 'storage-threshold-cleared';
      readonly id: string;
      readonly node: string;
      readonly storage: string;
      readonly fraction: number;
      readonly threshold: number;
      readonly at: number;
    }
  | { readonly type: 'storage-unavailable'; readonly id: string; readonly node: string; readonly storage: string; readonly at: number };

export type ClusterEventType = ClusterEvent['type'];
