/**
 * The product's pre-classifier with the live cluster's names: the word rules of
 * core/llm/classify.ts over the request with known guest, node and container names read as their
 * kind, plus the offline parser's reading when it understood the request (its tool goes first:
 * the parser resolves names, typos and VMIDs against the same world). Pure.
 */
import { classifyRequest, type Classification, type ClassifierVocabulary } from '../llm/classify.ts';
import type { OfflineCommand, OfflineWorld } from './offline/types.ts';
import { parseOfflineCommand } from './offline/index.ts';

export function vocabularyOf(world: OfflineWorld): ClassifierVocabulary {
  return {
    guests: world.guests.map((guest) => guest.name).filter((name): name is string => name !== undefined),
    nodes: world.nodes.map((node) => node.name),
    containers: world.containers,
  };
}

const MAX_TOOLS = 3;

export function classifyForWorld(text: string, world: OfflineWorld, parsed: OfflineCommand = parseOfflineCommand(text, world)): Classification {
  const base = classifyRequest(text, vocabularyOf(world));
  if (parsed.kind !== 'tool') return base;
  if (base.tools[0] === parsed.tool) return base;
  const tools = [parsed.tool, ...base.tools.filter((tool) => tool !== parsed.tool)].slice(0, MAX_TOOLS);
  return { ...base, tools, reasons: [...base.reasons, `tool:${parsed.tool} (offline parser: ${parsed.understood.slice(0, 80)})`] };
}
