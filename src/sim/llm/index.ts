/** The simulator's LLM fakes: a llama-server and an Anthropic Messages API (docs/simulator.md, "Simulated models"). */
export { startLlamaServerFake, type LlamaServerFake, type LlamaServerFakeOptions } from './llama-server-fake.ts';
export { startAnthropicFake, type AnthropicFake, type AnthropicFakeOptions } from './anthropic-fake.ts';
export { scriptedReplySchema, type ScriptedReply, type RecordedRequest, ScriptQueue, RequestLog } from './script.ts';
export { simulatedReply, bestTool } from './simulated-model.ts';
