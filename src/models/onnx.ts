/**
 * ONNX models as minframe batch models, run by ONNX Runtime Web (the optional peer
 * dependency onnxruntime-web, imported only when a model is loaded).
 *
 * The model's first input (or `options.input`) takes float32 [batch, n, d] with
 * dynamic batch (and n, for sets of several sizes); its first output (or
 * `options.output`) gives [batch, n, k] for equivariant use or [batch, k] for
 * invariant use. A batch of sets of different sizes runs as one session call per
 * size. Use the result with `equivariant(G, model, { batchModel: true })`.
 */
import { describe, fileError, ModelError, optionError, optionRangeError } from '../errors.js';
import type { BatchModel } from '../average.js';

/** The parts of the onnxruntime-web module this adapter uses. */
export interface OnnxRuntime {
  InferenceSession: { create(model: Uint8Array, options?: { executionProviders?: string[] }): Promise<OnnxSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OnnxTensor;
  env: { wasm: { numThreads?: number } };
}

interface OnnxTensor {
  readonly dims: readonly number[];
  readonly type: string;
  readonly data: unknown;
}

interface OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OnnxTensor>): Promise<Record<string, OnnxTensor>>;
  release(): Promise<void>;
}

export interface OnnxModelOptions {
  /** The input to feed (default: the model's first). */
  input?: string;
  /** The output to return (default: the model's first). */
  output?: string;
  /** ONNX Runtime's WASM threads (env.wasm.numThreads; default 1: batches already spread over minframe's workers). Set before the first session only. */
  threads?: number;
  /** The onnxruntime-web module, for pages that cannot import it by name (no bundler, no import map). */
  runtime?: OnnxRuntime;
}

/** A batch model (a BatchModel) backed by an ONNX Runtime session; release() frees the session. */
export interface OnnxModel {
  (batch: Parameters<BatchModel>[0]): Promise<Float64Array>;
  readonly inputName: string;
  readonly outputName: string;
  release(): Promise<void>;
}

// Kept in variables so that bundlers leave these imports to run time: onnxruntime-web
// is optional, and node:fs only exists in Node.
const RUNTIME = 'onnxruntime-web';
const NODE_FS = 'node:fs/promises';

async function loadRuntime(): Promise<OnnxRuntime> {
  try {
    const m = (await import(/* @vite-ignore */ RUNTIME)) as OnnxRuntime & { default?: OnnxRuntime };
    return m.InferenceSession ? m : m.default!;
  } catch (e) {
    throw optionError(`onnxModel() needs the optional peer dependency onnxruntime-web, which cannot be imported (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); install it with npm install onnxruntime-web`);
  }
}

/** The model's bytes: a path or file: URL read in Node, any other URL fetched. */
async function modelBytes(model: string | URL | Uint8Array | ArrayBuffer): Promise<{ bytes: Uint8Array; name: string }> {
  if (model instanceof Uint8Array) return { bytes: model, name: 'the ONNX model (bytes)' };
  if (model instanceof ArrayBuffer) return { bytes: new Uint8Array(model), name: 'the ONNX model (bytes)' };
  if (typeof model !== 'string' && !(model instanceof URL)) throw optionError(`onnxModel() takes a path, URL, Uint8Array or ArrayBuffer, got ${describe(model)}`);
  const name = String(model);
  const node = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  const remote = model instanceof URL ? model.protocol !== 'file:' : /^[a-z][a-z0-9+.-]+:\/\//i.test(model) && !model.startsWith('file:');
  try {
    if (node && !remote) {
      const { readFile } = (await import(/* @vite-ignore */ NODE_FS)) as typeof import('node:fs/promises');
      return { bytes: new Uint8Array(await readFile(model)), name };
    }
    const res = await fetch(model);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return { bytes: new Uint8Array(await res.arrayBuffer()), name };
  } catch (e) {
    throw fileError(name, `cannot read: ${(e as { code?: string }).code === 'ENOENT' ? 'no such file or directory' : e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * A batch model running the ONNX model `model` (a path, a URL, or its bytes).
 * Rejects with a FileFormatError when the model cannot be read or loaded, an
 * OptionTypeError when onnxruntime-web is missing, and an OptionRangeError naming
 * the model's inputs or outputs when `options.input` / `options.output` is not one.
 * A failed session run rejects with a ModelError naming the batch's first input of
 * that size.
 */
export async function onnxModel(model: string | URL | Uint8Array | ArrayBuffer, options: OnnxModelOptions = {}): Promise<OnnxModel> {
  if (typeof options !== 'object' || options === null) throw optionError(`onnxModel() options must be an object, got ${describe(options)}`);
  const { threads = 1 } = options;
  if (!Number.isSafeInteger(threads) || threads < 1) throw optionRangeError(`threads must be a whole number >= 1, got ${String(threads)}`);
  const { bytes, name } = await modelBytes(model);
  const ort = options.runtime ?? (await loadRuntime());
  ort.env.wasm.numThreads = threads;
  let session: OnnxSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  } catch (e) {
    throw fileError(name, `cannot load as an ONNX model: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const pick = (given: string | undefined, names: readonly string[], what: string) => {
    if (given === undefined) return names[0];
    if (!names.includes(given)) throw optionRangeError(`${name} has no ${what} '${given}'; its ${what}s: ${names.join(', ')}`);
    return given;
  };
  let inputName: string;
  let outputName: string;
  try {
    inputName = pick(options.input, session.inputNames, 'input');
    outputName = pick(options.output, session.outputNames, 'output');
  } catch (e) {
    await session.release();
    throw e;
  }

  const run = async ({ data, dim, offsets, count }: Parameters<BatchModel>[0]): Promise<Float64Array> => {
    // inputs of one size go into one tensor
    const bySize = new Map<number, number[]>();
    for (let i = 0; i < count; i++) {
      const n = offsets[i + 1] - offsets[i];
      const group = bySize.get(n);
      if (group) group.push(i);
      else bySize.set(n, [i]);
    }
    const outputs: Float64Array[] = new Array(count);
    for (const [n, inputs] of bySize) {
      const x = new Float32Array(inputs.length * n * dim);
      inputs.forEach((i, j) => x.set(data.subarray(offsets[i] * dim, offsets[i + 1] * dim), j * n * dim));
      let y: OnnxTensor | undefined;
      try {
        y = (await session.run({ [inputName]: new ort.Tensor('float32', x, [inputs.length, n, dim]) }))[outputName];
      } catch (e) {
        throw new ModelError(inputs[0], e);
      }
      const values = y?.data;
      if (!(values instanceof Float32Array || values instanceof Float64Array) || y!.dims[0] !== inputs.length || values.length % inputs.length !== 0) {
        throw new ModelError(inputs[0], `output '${outputName}' must be float with a leading batch axis of ${inputs.length}, got ${y ? `${y.type} [${y.dims.join(', ')}]` : 'nothing'}`);
      }
      const per = values.length / inputs.length;
      inputs.forEach((i, j) => (outputs[i] = Float64Array.from(values.subarray(j * per, (j + 1) * per))));
    }
    const out = new Float64Array(outputs.reduce((s, o) => s + o.length, 0));
    let at = 0;
    for (const o of outputs) {
      out.set(o, at);
      at += o.length;
    }
    return out;
  };
  return Object.assign(run, { inputName, outputName, release: () => session.release() });
}
