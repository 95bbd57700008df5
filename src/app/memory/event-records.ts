/**
 * Domain events -> memory event records (text, subject, entities). Built from typed fields; any
 * cluster-provided text (messages, task status) is checked and withheld when instruction-like.
 */
import type { Action } from '../../core/domain/action.ts';
import type { ClusterEvent } from '../../core/domain/events.ts';
import { foldText } from '../../core/memory/decode-views.ts';
import { checkMemoryText } from '../../core/memory/poison-check.ts';
import type { DomainEventMap } from '../../core/ports/events.ts';

export interface EventRecord {
  readonly subject: string;
  readonly text: string;
  readonly entities: readonly string[];
  readonly tainted: boolean;
  readonly sourceId: string;
  /** Reasons when a cluster-provided part was withheld. */
  readonly withheld?: readonly string[] | undefined;
}

const node = (name: string): string => `node:${foldText(name)}`;

/** Cluster text as data, or a marker when it looks like an instruction. */
function clusterText(value: string | undefined): { text: string; withheld?: string[] } {
  if (!value) return { text: '' };
  const check = checkMemoryText(value);
  if (check.ok) return { text: check.text.slice(0, 160) };
  return { text: '[text withheld: looked like an instruction]', withheld: [...check.reasons] };
}

export function targetKeys(target: Action['target'] | undefined): string[] {
  if (!target) return [];
  switch (target.type) {
    case 'guest':
      return [`vm:${target.vmid}`, ...(target.node ? [node(target.node)] : [])];
    case 'node':
      return [node(target.node)];
    case 'service':
      return [`service:${foldText(target.unit).replace(/\.service$/, '')}`, node(target.node)];
    case 'storage':
      return ['topic:storage', ...(target.node ? [node(target.node)] : [])];
    case 'container':
    case 'docker-host':
      return ['topic:docker'];
    case 'network-interface':
      return ['topic:network', ...(target.node ? [node(target.node)] : [])];
    case 'cluster':
      return ['topic:cluster'];
  }
}

export function targetLabel(target: Action['target'] | undefined): string {
  if (!target) return '';
  switch (target.type) {
    case 'guest':
      return ` on VM ${target.vmid}`;
    case 'node':
      return ` on node ${target.node}`;
    case 'service':
      return ` on ${target.unit}@${target.node}`;
    case 'storage':
      return ` on storage ${target.storage}`;
    case 'container':
      return ` on container ${target.host}/${target.name}`;
    case 'docker-host':
      return ` on ${target.host}`;
    case 'network-interface':
      return ` on ${target.iface}`;
    case 'cluster':
      return ' on the cluster';
  }
}

export function actionRecord(payload: DomainEventMap['action.finished'], target: Action['target'] | undefined): EventRecord {
  const message = clusterText(payload.message);
  const outcome = payload.ok ? 'succeeded' : 'failed';
  return {
    subject: `action ${payload.kind}${targetLabel(target)} ${outcome}`,
    text: `action ${payload.kind}${targetLabel(target)} by ${payload.actor} ${outcome}${message.text ? `: ${message.text}` : ''}`,
    entities: [
      ...new Set([...targetKeys(target), payload.kind.startsWith('guest.') ? 'topic:power' : 'topic:task', ...(payload.ok ? [] : ['topic:task'])]),
    ].sort(),
    tainted: message.text.length > 0,
    sourceId: `action:${payload.actionHash}`,
    ...(message.withheld ? { withheld: message.withheld } : {}),
  };
}

export function clusterRecord(event: ClusterEvent, version: number): EventRecord {
  const base = { tainted: true, sourceId: `snapshot:${version}` };
  switch (event.type) {
    case 'node-offline':
    case 'node-online':
    case 'node-unknown':
    case 'node-added':
    case 'node-removed': {
      const what = event.type.slice(5);
      return {
        ...base,
        subject: `node ${event.node} ${what}`,
        text: `node ${event.node} went ${what}`,
        entities: [node(event.node), 'topic:power', 'topic:cluster'],
      };
    }
    case 'quorum-lost':
    case 'quorum-regained':
      return {
        ...base,
        subject: event.type.replace('-', ' '),
        text: `${event.type.replace('-', ' ')} (${event.votesOnline} of ${event.votesNeeded} votes needed)`,
        entities: ['topic:cluster'],
      };
    case 'guest-started':
    case 'guest-stopped':
    case 'guest-added':
    case 'guest-removed': {
      const what = event.type.slice(6);
      return {
        ...base,
        subject: `VM ${event.vmid} ${what}`,
        text: `VM ${event.vmid} ${what} on ${event.node}`,
        entities: [`vm:${event.vmid}`, node(event.node), 'topic:power'],
      };
    }
    case 'guest-status-changed':
      return {
        ...base,
        subject: `VM ${event.vmid} ${event.to}`,
        text: `VM ${event.vmid} on ${event.node} went from ${clusterText(event.from).text} to ${clusterText(event.to).text}`,
        entities: [`vm:${event.vmid}`, node(event.node), 'topic:power'],
      };
    case 'guest-migrated':
      return {
        ...base,
        subject: `VM ${event.vmid} migrated`,
        text: `VM ${event.vmid} migrated from ${event.from} to ${event.to}`,
        entities: [`vm:${event.vmid}`, node(event.from), node(event.to), 'topic:ha'],
      };
    case 'storage-threshold-crossed':
    case 'storage-threshold-cleared':
      return {
        ...base,
        subject: `storage ${event.storage} on ${event.node} ${event.type.endsWith('crossed') ? 'over' : 'back under'} threshold`,
        text: `storage ${event.storage} on ${event.node} ${event.type.endsWith('crossed') ? 'crossed' : 'went back under'} ${Math.round(event.threshold * 100)}% (at ${Math.round(event.fraction * 100)}%)`,
        entities: [node(event.node), 'topic:storage'],
      };
    case 'storage-unavailable':
      return {
        ...base,
        subject: `storage ${event.storage} on ${event.node} unavailable`,
        text: `storage ${event.storage} on ${event.node} became unavailable`,
        entities: [node(event.node), 'topic:storage'],
      };
  }
}

export function taskRecord(task: DomainEventMap['task.finished']): EventRecord | undefined {
  if (task.status === 'OK') return undefined;
  const status = clusterText(task.status);
  return {
    subject: `task ${task.type} on ${task.node}${task.vmid !== undefined ? ` VM ${task.vmid}` : ''} failed`,
    text: `task ${task.type} on ${task.node}${task.vmid !== undefined ? ` for VM ${task.vmid}` : ''} failed: ${status.text}`,
    entities: [node(task.node), ...(task.vmid !== undefined ? [`vm:${task.vmid}`] : []), 'topic:task', ...(task.type === 'vzdump' ? ['topic:backup'] : [])],
    tainted: true,
    sourceId: `task:${task.id}`,
    ...(status.withheld ? { withheld: status.withheld } : {}),
  };
}

export function dependencyRecord(payload: DomainEventMap['dependency.changed']): EventRecord {
  const reason = clusterText(payload.reason);
  return {
    subject: `${payload.dependency} ${payload.up ? 'up' : 'down'}`,
    text: `${payload.dependency} went ${payload.up ? 'up' : 'down'}${reason.text ? `: ${reason.text}` : ''}`,
    entities: [payload.dependency.startsWith('docker') ? 'topic:docker' : payload.dependency.startsWith('ssh') ? 'topic:network' : 'topic:cluster'],
    tainted: reason.text.length > 0,
    sourceId: `dependency:${payload.dependency}:${payload.at}`,
    ...(reason.withheld ? { withheld: reason.withheld } : {}),
  };
}
