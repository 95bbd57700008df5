/**
 * Compact model-facing tool specs for the local model: the same tools and argument names as the
 * registry, with a terse description and a JSON Schema stripped to what a grammar needs (type,
 * properties, enum, required). Goal: the 1-3 tools of a routine request cost ≤ 256 prompt tokens
 * including the chat template (docs/benchmarks.md, measured through the real llama-server).
 * Claude gets the full registry descriptions; the small model gets these.
 */
import { z } from 'zod';
import type { ModelToolSpec } from '../../core/llm/model-port.ts';
import type { AnyToolDefinition } from '../tools/define-tool.ts';

/** Short descriptions by tool name; a tool missing here keeps its registry description. */
const TERSE: Readonly<Record<string, string>> = {
  check_cluster_health: 'Cluster health.',
  get_resource_usage: 'CPU/RAM/disk of a VM, node or all.',
  search_logs: 'Node journal lines.',
  check_service: 'Service state on a node.',
  run_diagnostic: 'Read-only node check.',
  manage_vm: 'Start/stop/reboot a VM.',
  manage_docker: 'Manage containers.',
  execute_remediation: 'Node fix.',
};

const KEEP = new Set(['type', 'properties', 'enum', 'required', 'items']);

/** Drops every schema keyword a grammar-constrained 7B model does not need. */
export function stripSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (!KEEP.has(key)) continue;
    // An enum says its type; a schema without properties needs no empty `properties` object.
    if (key === 'type' && 'enum' in (schema as Record<string, unknown>)) continue;
    if (key === 'properties' && typeof value === 'object' && value !== null && Object.keys(value).length === 0) continue;
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, property]) => [name, stripSchema(property)]));
    } else if (key === 'required' && Array.isArray(value) && value.length === 0) continue;
    else out[key] = stripSchema(value);
  }
  return out;
}

export function compactToolSpec(tool: AnyToolDefinition): ModelToolSpec {
  const schema = stripSchema(z.toJSONSchema(tool.input, { io: 'input' })) as Record<string, unknown>;
  return { name: tool.name, description: TERSE[tool.name] ?? tool.description, inputSchema: schema };
}

/** Full registry specs (for Claude). */
export function fullToolSpec(tool: AnyToolDefinition): ModelToolSpec {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>;
  return { name: tool.name, description: tool.description, inputSchema: schema };
}
