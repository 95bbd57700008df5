/** get_resource_usage: CPU, memory and disk of one node, one guest, or every node (read). */
import { z } from 'zod';
import { nodeField, vmidField } from './fields.ts';
import { defineTool, failure, READ_ANNOTATIONS, success } from './define-tool.ts';
import { bytes, clean, cleanText, percent, provenance, summarize } from './format.ts';
import { currentSnapshot, resolveGuest } from './snapshot-access.ts';

export const getResourceUsage = defineTool({
  name: 'get_resource_usage',
  title: 'Get resource usage',
  description: 'CPU, RAM, disk of one VM (vmid), one node (node), or all nodes (no args).',
  category: 'read',
  input: z.object({ node: nodeField.optional(), vmid: vmidField.optional() }),
  annotations: READ_ANNOTATIONS,
  timeout: 'read',
  needs: ['pve'],
  async handler(input, run) {
    const options = { signal: run.signal, timeoutMs: run.context.timeouts.read };
    if (input.vmid !== undefined) {
      const guest = await resolveGuest(run, input.vmid);
      if (!guest.ok) return failure('get_resource_usage', guest.error);
      const status = await run.context.cluster.guestStatus(guest.value.node, guest.value.type, input.vmid, options);
      if (!status.ok) return failure('get_resource_usage', status.error);
      const detail = status.value;
      const name = clean(detail.name ?? guest.value.name, 60);
      // The description is free text set by whoever administers the guest: data, never instructions.
      const config = await run.context.cluster.guestConfig(guest.value.node, guest.value.type, input.vmid, options);
      const description = config.ok && config.value.description !== undefined ? cleanText(String(config.value.description), 300) : '';
      const line = `${detail.type} ${detail.vmid} name=${name} node=${clean(detail.node, 40)} status=${detail.status} cpu=${percent(detail.cpu)} of ${detail.cpus ?? '?'} cores mem=${bytes(detail.mem)}/${bytes(detail.maxmem)} disk=${bytes(detail.disk)}/${bytes(detail.maxdisk)} uptime=${detail.uptime ?? 0}s tags=${detail.tags.map((tag) => clean(tag, 30)).join(';')}`;
      const lines = description ? [line, `description: ${description.replace(/\n/g, ' ')}`] : [line];
      const summary = summarize(
        `Usage of guest ${detail.vmid}:`,
        lines,
        provenance(`pve:/nodes/${clean(detail.node, 40)}/${detail.type}/${detail.vmid}/status/current`, run.now, detail.node),
        'ask for one guest',
      );
      return success(summary.text, {
        kind: 'guest',
        vmid: detail.vmid,
        type: detail.type,
        node: clean(detail.node, 40),
        name,
        description,
        status: detail.status,
        cpu: detail.cpu ?? null,
        cpus: detail.cpus ?? null,
        mem: detail.mem ?? null,
        maxmem: detail.maxmem ?? null,
        disk: detail.disk ?? null,
        maxdisk: detail.maxdisk ?? null,
        uptime: detail.uptime ?? null,
      });
    }
    if (input.node !== undefined) {
      const status = await run.context.cluster.nodeStatus(input.node, options);
      if (!status.ok) return failure('get_resource_usage', status.error);
      const detail = status.value;
      const snapshot = await currentSnapshot(run);
      const guests = snapshot.ok ? snapshot.value.guests.filter((guest) => guest.node === input.node && guest.status === 'running') : [];
      guests.sort((a, b) => (b.mem ?? 0) - (a.mem ?? 0));
      const lines = [
        `node ${input.node}: cpu ${percent(detail.cpu)} of ${detail.cpus ?? '?'} cores, load ${detail.loadavg.join(' ')}, mem ${bytes(detail.memory.used)}/${bytes(detail.memory.total)} (${percent(detail.memory.used, detail.memory.total)}), rootfs ${bytes(detail.rootfs.used)}/${bytes(detail.rootfs.total)} (${percent(detail.rootfs.used, detail.rootfs.total)}), uptime ${detail.uptime}s`,
        ...guests.map(
          (guest) => `  ${guest.type} ${guest.vmid} ${clean(guest.name, 40)}: cpu ${percent(guest.cpu)}, mem ${bytes(guest.mem)}/${bytes(guest.maxmem)}`,
        ),
      ];
      const summary = summarize(
        `Usage of node ${input.node} and its ${guests.length} running guest(s):`,
        lines,
        provenance(`pve:/nodes/${input.node}/status`, run.now, input.node),
        'pass vmid= for one guest',
      );
      return success(summary.text, {
        kind: 'node',
        node: input.node,
        cpu: detail.cpu,
        cpus: detail.cpus ?? null,
        loadavg: detail.loadavg,
        memory: detail.memory,
        rootfs: detail.rootfs,
        uptime: detail.uptime,
        guests: guests.map((guest) => ({ vmid: guest.vmid, name: clean(guest.name, 40), cpu: guest.cpu ?? null, mem: guest.mem ?? null })),
      });
    }
    const snapshot = await currentSnapshot(run);
    if (!snapshot.ok) return failure('get_resource_usage', snapshot.error);
    const nodes = snapshot.value.nodes.map((node) => ({
      name: clean(node.name, 40),
      status: node.status,
      cpu: node.cpu ?? null,
      mem: node.mem ?? null,
      maxmem: node.maxmem ?? null,
      disk: node.disk ?? null,
      maxdisk: node.maxdisk ?? null,
    }));
    const lines = snapshot.value.nodes.map(
      (node) =>
        `node ${clean(node.name, 40)} ${node.status}: cpu ${percent(node.cpu)}, mem ${bytes(node.mem)}/${bytes(node.maxmem)}, disk ${bytes(node.disk)}/${bytes(node.maxdisk)}`,
    );
    const summary = summarize(
      `Usage of all ${nodes.length} nodes:`,
      lines,
      provenance('pve:/cluster/resources', snapshot.value.takenAt),
      'pass node= for one node',
    );
    return success(summary.text, { kind: 'cluster', nodes });
  },
});
