import type { ClusterSnapshot, GuestType } from '../../core/domain/cluster.ts';
import { err, jarvisError, ok, type JarvisError, type Result } from '../../core/errors.ts';
import type {
  BackupVolume,
  CallOptions,
  ClusterApi,
  ClusterLogEntry,
  GuestActuator,
  GuestConfig,
  GuestListEntry,
  GuestPowerAction,
  GuestSnapshot,
  GuestStatusDetail,
  LogLine,
  NodeStatusDetail,
  PveVersion,
  RrdSample,
  RrdTarget,
  RrdTimeframe,
  ServiceAction,
  ServiceActuator,
  ServiceState,
  StorageStatus,
  SyslogQuery,
  TaskRef,
  TaskStatus,
  TaskSummary,
  WaitOptions,
} from '../../core/ports/cluster.ts';
import { mapBackupVolume } from './mappers/map-backup-volume.ts';
import { mapGuestConfig } from './mappers/map-guest-config.ts';
import { mapGuestSnapshot } from './mappers/map-guest-snapshot.ts';
import { mapGuestListEntry } from './mappers/map-guest-list-entry.ts';
import { mapGuestStatus } from './mappers/map-guest-status.ts';
import { mapServiceState } from './mappers/map-service-state.ts';
import { mapStorageStatus } from './mappers/map-storage-status.ts';
import { mapNodeStatus } from './mappers/map-node-status.ts';
import { mapClusterStatus, type ClusterStatusView } from './mappers/map-quorum.ts';
import { mapRrd } from './mappers/map-rrd.ts';
import { mapSnapshot } from './mappers/map-snapshot.ts';
import { mapClusterLogEntry } from './mappers/map-cluster-log-entry.ts';
import { mapTaskStatus } from './mappers/map-task-status.ts';
import { mapTaskSummary } from './mappers/map-task-summary.ts';
import { pvePath, type PveHttpClient } from './pve-http-client.ts';
import { clusterResourcesSchema, clusterStatusSchema } from './schemas/cluster.ts';
import { guestConfigSchema, guestListSchema, guestSnapshotListSchema, guestStatusSchema } from './schemas/guest.ts';
import {
  journalSchema,
  logLinesSchema,
  nodeStatusSchema,
  rrdSchema,
  serviceSchema,
  servicesSchema,
  storageContentSchema,
  storageListSchema,
  storageStatusSchema,
  versionSchema,
} from './schemas/node.ts';
import { clusterLogSchema, clusterTasksSchema, taskStatusSchema, upidSchema } from './schemas/task.ts';
import { taskRefFromUpid } from './upid.ts';
import { waitForTask } from './wait-for-task.ts';

type R<T> = Promise<Result<T, JarvisError>>;
const map = <A, B>(result: Result<A, JarvisError>, fn: (value: A) => B): Result<B, JarvisError> => (result.ok ? ok(fn(result.value)) : result);

/**
 * ClusterApi + GuestActuator + ServiceActuator over a PveHttpClient. Every method is one HTTP
 * call except `listGuests` (qemu + lxc) and `waitForTask` (polls). `readSnapshot` is exactly two
 * calls (/cluster/status + /cluster/resources, in parallel) and bumps `version` on success; with
 * ticket auth, the first call (and one call per hour, for renewal) adds one `/access/ticket` POST.
 * `now` stamps snapshots (`takenAt`, epoch ms) and bounds task waits.
 */
export class PveClusterApi implements ClusterApi, GuestActuator, ServiceActuator {
  #version = 0;

  constructor(
    readonly client: PveHttpClient,
    private readonly now: () => number = Date.now,
  ) {}

  version(options?: CallOptions): R<PveVersion> {
    return this.client
      .get('/version', versionSchema, undefined, options)
      .then((r) => map(r, (v) => ({ version: v.version, release: v.release, repoid: v.repoid ?? undefined })));
  }

  async clusterStatus(options?: CallOptions): R<ClusterStatusView> {
    return map(await this.client.get('/cluster/status', clusterStatusSchema, undefined, options), mapClusterStatus);
  }

  /** /cluster/resources alone, mapped (one call; `quorum`/`clusterName` are not part of it). */
  async clusterResources(options?: CallOptions): R<Pick<ClusterSnapshot, 'nodes' | 'guests' | 'storage'>> {
    const resources = await this.client.get('/cluster/resources', clusterResourcesSchema, undefined, options);
    if (!resources.ok) return resources;
    return map(mapSnapshot([], resources.value), ({ nodes, guests, storage }) => ({ nodes, guests, storage }));
  }

  async readSnapshot(options?: CallOptions): R<ClusterSnapshot> {
    const [status, resources] = await Promise.all([
      this.client.get('/cluster/status', clusterStatusSchema, undefined, options),
      this.client.get('/cluster/resources', clusterResourcesSchema, undefined, options),
    ]);
    if (!status.ok) return status;
    if (!resources.ok) return resources;
    const mapped = mapSnapshot(status.value, resources.value);
    if (!mapped.ok) return mapped;
    this.#version += 1;
    return ok({ ...mapped.value, version: this.#version, takenAt: this.now() });
  }

  async nodeStatus(node: string, options?: CallOptions): R<NodeStatusDetail> {
    return map(await this.client.get(pvePath('nodes', node, 'status'), nodeStatusSchema, undefined, options), (wire) => mapNodeStatus(node, wire));
  }

  async rrdData(target: RrdTarget, timeframe: RrdTimeframe, options?: CallOptions): R<RrdSample[]> {
    const path =
      target.kind === 'node'
        ? pvePath('nodes', target.node, 'rrddata')
        : target.kind === 'guest'
          ? pvePath('nodes', target.node, target.type, target.vmid, 'rrddata')
          : pvePath('nodes', target.node, 'storage', target.storage, 'rrddata');
    return map(await this.client.get(path, rrdSchema, { timeframe, cf: 'AVERAGE' }, options), mapRrd);
  }

  async listGuests(node: string, options?: CallOptions): R<GuestListEntry[]> {
    const [qemu, lxc] = await Promise.all([
      this.client.get(pvePath('nodes', node, 'qemu'), guestListSchema, undefined, options),
      this.client.get(pvePath('nodes', node, 'lxc'), guestListSchema, undefined, options),
    ]);
    if (!qemu.ok) return qemu;
    if (!lxc.ok) return lxc;
    const all = [...qemu.value.map((g) => mapGuestListEntry(node, 'qemu', g)), ...lxc.value.map((g) => mapGuestListEntry(node, 'lxc', g))];
    return ok(all.sort((a, b) => a.vmid - b.vmid));
  }

  async guestStatus(node: string, type: GuestType, vmid: number, options?: CallOptions): R<GuestStatusDetail> {
    return map(await this.client.get(pvePath('nodes', node, type, vmid, 'status', 'current'), guestStatusSchema, undefined, options), (wire) =>
      mapGuestStatus(node, type, wire),
    );
  }

  async guestConfig(node: string, type: GuestType, vmid: number, options?: CallOptions): R<GuestConfig> {
    return map(await this.client.get(pvePath('nodes', node, type, vmid, 'config'), guestConfigSchema, undefined, options), mapGuestConfig);
  }

  /** Snapshots oldest first (by snaptime, then name), PVE's `current` entry last. */
  async guestSnapshots(node: string, type: GuestType, vmid: number, options?: CallOptions): R<GuestSnapshot[]> {
    return map(await this.client.get(pvePath('nodes', node, type, vmid, 'snapshot'), guestSnapshotListSchema, undefined, options), (list) =>
      list.map(mapGuestSnapshot).sort((a, b) => Number(a.current) - Number(b.current) || (a.snaptime ?? 0) - (b.snaptime ?? 0) || a.name.localeCompare(b.name)),
    );
  }

  /** vzdump archives of one storage (`content=backup`), newest first. */
  async backupVolumes(node: string, storage: string, options?: CallOptions): R<BackupVolume[]> {
    return map(await this.client.get(pvePath('nodes', node, 'storage', storage, 'content'), storageContentSchema, { content: 'backup' }, options), (list) =>
      list
        .map((wire) => mapBackupVolume(node, storage, wire))
        .filter((volume) => volume !== undefined)
        .sort((a, b) => (b.ctime ?? 0) - (a.ctime ?? 0) || a.volid.localeCompare(b.volid)),
    );
  }

  async storageStatus(node: string, options?: CallOptions): R<StorageStatus[]> {
    return map(await this.client.get(pvePath('nodes', node, 'storage'), storageListSchema, undefined, options), (list) =>
      list.map((wire) => mapStorageStatus(node, wire.storage ?? '', wire)).sort((a, b) => a.storage.localeCompare(b.storage)),
    );
  }

  /** One storage on one node (`/nodes/{node}/storage/{storage}/status`). */
  async storageStatusOne(node: string, storage: string, options?: CallOptions): R<StorageStatus> {
    return map(await this.client.get(pvePath('nodes', node, 'storage', storage, 'status'), storageStatusSchema, undefined, options), (wire) =>
      mapStorageStatus(node, storage, wire),
    );
  }

  async services(node: string, options?: CallOptions): R<ServiceState[]> {
    return map(await this.client.get(pvePath('nodes', node, 'services'), servicesSchema, undefined, options), (list) => list.map(mapServiceState));
  }

  async serviceState(node: string, service: string, options?: CallOptions): R<ServiceState> {
    return map(await this.client.get(pvePath('nodes', node, 'services', service, 'state'), serviceSchema, undefined, options), mapServiceState);
  }

  async syslog(node: string, query: SyslogQuery, options?: CallOptions): R<{ total: number; lines: LogLine[] }> {
    const params = { start: query.start, limit: query.limit, since: query.since, until: query.until, service: query.service };
    return map(await this.client.getPaged(pvePath('nodes', node, 'syslog'), logLinesSchema, params, options), ({ data, total }) => ({
      total: total ?? data.length,
      lines: data,
    }));
  }

  /** Minimal journal: the newest `lastentries` lines as text (cursor lines included, as PVE sends them). */
  async journal(node: string, lastentries: number, options?: CallOptions): R<string[]> {
    return this.client.get(pvePath('nodes', node, 'journal'), journalSchema, { lastentries }, options);
  }

  async clusterTasks(options?: CallOptions): R<TaskSummary[]> {
    return map(await this.client.get('/cluster/tasks', clusterTasksSchema, undefined, options), (list) => list.map(mapTaskSummary));
  }

  async clusterLog(max: number, options?: CallOptions): R<ClusterLogEntry[]> {
    return map(await this.client.get('/cluster/log', clusterLogSchema, { max }, options), (list) => list.map(mapClusterLogEntry));
  }

  async taskStatus(task: TaskRef, options?: CallOptions): R<TaskStatus> {
    return map(await this.client.get(pvePath('nodes', task.node, 'tasks', task.upid, 'status'), taskStatusSchema, undefined, options), mapTaskStatus);
  }

  async taskLog(task: TaskRef, options: CallOptions & { start?: number; limit?: number } = {}): R<{ total: number; lines: LogLine[] }> {
    const params = { start: options.start, limit: options.limit ?? 0 };
    return map(await this.client.getPaged(pvePath('nodes', task.node, 'tasks', task.upid, 'log'), logLinesSchema, params, options), ({ data, total }) => ({
      total: total ?? data.length,
      lines: data,
    }));
  }

  async doPowerAction(node: string, type: GuestType, vmid: number, action: GuestPowerAction, options?: CallOptions): R<TaskRef> {
    return this.#startTask(pvePath('nodes', node, type, vmid, 'status', action), options);
  }

  async doServiceAction(node: string, service: string, action: ServiceAction, options?: CallOptions): R<TaskRef> {
    return this.#startTask(pvePath('nodes', node, 'services', service, action), options);
  }

  waitForTask(task: TaskRef, options?: WaitOptions): R<TaskStatus> {
    return waitForTask((ref, callOptions) => this.taskStatus(ref, callOptions), task, options, this.now);
  }

  async #startTask(path: string, options?: CallOptions): R<TaskRef> {
    const response = await this.client.request('POST', path, undefined, options);
    if (!response.ok) return response;
    const upid = upidSchema.safeParse(response.value.data);
    if (!upid.success) return err(jarvisError('PVE_BAD_RESPONSE', `PVE answered POST ${path} without a task id`, { details: { path } }));
    return taskRefFromUpid(upid.data);
  }
}
