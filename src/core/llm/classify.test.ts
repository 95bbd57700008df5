import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyRequest, TOOL_NAMES } from './classify.ts';

describe('classifyRequest', () => {
  it('routes a status question to the local model with the health tool', () => {
    const result = classifyRequest('Is everything ok with the cluster?');
    expect(result.category).toBe('routine');
    expect(result.tools).toEqual(['check_cluster_health']);
  });

  it('picks get_resource_usage for a memory question about one guest', () => {
    const result = classifyRequest('How much memory is VM 104 using?');
    expect(result.category).toBe('routine');
    expect(result.tools[0]).toBe('get_resource_usage');
  });

  it('picks manage_vm for a guest action and keeps it routine', () => {
    const result = classifyRequest('please reboot vm 104');
    expect(result.category).toBe('routine');
    expect(result.tools).toContain('manage_vm');
  });

  it('treats a docker container stop as manage_docker, not a guest action', () => {
    const result = classifyRequest('stop the docker container grafana');
    expect(result.tools).toContain('manage_docker');
    expect(result.tools).not.toContain('manage_vm');
    expect(result.category).toBe('routine');
  });

  it('picks search_logs and check_service for a service log question', () => {
    const result = classifyRequest('show the journal of the pveproxy service on agent1');
    expect(result.tools).toEqual(expect.arrayContaining(['search_logs', 'check_service']));
  });

  it('marks a why-question complex', () => {
    const result = classifyRequest('Why did node agent2 go offline last night?');
    expect(result.category).toBe('complex');
    expect(result.reasons.some((reason) => reason.startsWith('complex:why'))).toBe(true);
  });

  it('marks a multi-step request complex', () => {
    expect(classifyRequest('first check the logs of agent1 and then restart the pveproxy service').category).toBe('complex');
  });

  it('marks two different kinds of action complex', () => {
    expect(classifyRequest('reboot vm 104 and restart the docker container nginx').category).toBe('complex');
  });

  it('honours an explicit request for Claude', () => {
    expect(classifyRequest('ask claude: is the cluster healthy?').category).toBe('explicit-cloud');
    expect(classifyRequest('/claude how is the cluster').category).toBe('explicit-cloud');
  });

  it('gives small talk no tools', () => {
    const result = classifyRequest('hello there');
    expect(result.tools).toEqual([]);
    expect(result.category).toBe('routine');
  });

  it('is total: any text gives a known category and at most three known tools', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5000 }), (text) => {
        const result = classifyRequest(text);
        expect(['routine', 'complex', 'explicit-cloud']).toContain(result.category);
        expect(result.tools.length).toBeLessThanOrEqual(3);
        for (const tool of result.tools) expect(TOOL_NAMES).toContain(tool);
        expect(new Set(result.tools).size).toBe(result.tools.length);
      }),
    );
  });

  it('ignores hidden control and zero-width characters', () => {
    expect(classifyRequest('re\u200bboot vm 104').tools).toEqual(classifyRequest('re boot vm 104').tools);
    expect(classifyRequest('ask\u200b claude now').category).toBe(classifyRequest('ask claude now').category);
  });
});
