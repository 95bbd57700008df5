/** check_service: state of one systemd service on a node, or the services that are not running (read). */
import { z } from 'zod';
import { nodeField, unitField } from './fields.ts';
import { defineTool, failure, READ_ANNOTATIONS, success } from './define-tool.ts';
import { clean, provenance, summarize } from './format.ts';

export const checkService = defineTool({
  name: 'check_service',
  title: 'Check a service',
  description: 'State of a service (e.g. pveproxy) on a node; without service, lists services, failed first.',
  category: 'read',
  input: z.object({ node: nodeField, service: unitField.optional() }),
  annotations: READ_ANNOTATIONS,
  timeout: 'read',
  needs: ['pve'],
  async handler(input, run) {
    const options = { signal: run.signal, timeoutMs: run.context.timeouts.read };
    if (input.service !== undefined) {
      const read = await run.context.cluster.serviceState(input.node, input.service, options);
      if (!read.ok) return failure('check_service', read.error);
      const service = read.value;
      const line = `${clean(service.name, 60)}: state=${clean(service.state, 20)} active=${clean(service.activeState, 20)} unit=${clean(service.unitState, 20)} desc=${clean(service.desc, 80)}`;
      const healthy = service.activeState === 'active';
      const summary = summarize(
        `Service ${input.service} on ${input.node} is ${healthy ? 'active' : 'NOT active'}.`,
        [line],
        provenance(`pve:/nodes/${input.node}/services/${input.service}/state`, run.now, input.node),
        'ask for one service',
      );
      return success(summary.text, {
        node: input.node,
        service: input.service,
        healthy,
        state: clean(service.state, 20),
        activeState: clean(service.activeState, 20),
        unitState: clean(service.unitState, 20),
      });
    }
    const read = await run.context.cluster.services(input.node, options);
    if (!read.ok) return failure('check_service', read.error);
    const services = read.value.map((service) => ({
      name: clean(service.name, 60),
      state: clean(service.state, 20),
      activeState: clean(service.activeState, 20),
      unitState: clean(service.unitState, 20),
    }));
    services.sort((a, b) => Number(a.activeState === 'active') - Number(b.activeState === 'active') || a.name.localeCompare(b.name));
    const down = services.filter((service) => service.activeState !== 'active');
    const lines = services.map((service) => `${service.name}: ${service.activeState} (${service.state}, ${service.unitState})`);
    const summary = summarize(
      `Services on ${input.node}: ${services.length - down.length} active, ${down.length} not active.`,
      lines,
      provenance(`pve:/nodes/${input.node}/services`, run.now, input.node),
      'pass service= for one service',
    );
    return success(summary.text, {
      node: input.node,
      notActive: down.map((service) => service.name),
      services: services.slice(0, summary.shown),
      omitted: summary.omitted,
    });
  },
});
