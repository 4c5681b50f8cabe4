/**
 * ONNX models as minframe batch models, run by ONNX Runtime: onnxruntime-node (native)
 * in Node when it is installed, else onnxruntime-web (WASM), both optional peer
 * dependencies imported only when a model is loaded.
 *
 * The model's first input (or `options.input`) takes float32 [batch, n, d] with
 * dynamic batch (and n, for sets of several sizes); its first output (or
 * `options.output`) gives [batch, n, k] for equivariant use or [batch, k] for
 * invariant use. A batch of sets of different sizes runs as one session call per
 * size. Use the result with `equivariant(G, model, { batchModel: true })`; it also
 * runs on one input, `model(x, { n, d })`, as invariant() and the graph groups call it.
 *
 * On workers, a model is named by its URL (`onnxModelAt`): the URL's fragment picks
 * the tensors and the runtime, as `model.onnx#output=summary&runtime=onnxruntime-web`
 * (in browsers, where workers cannot import packages by name, the runtime by the URL
 * of onnxruntime-web's ES module build, e.g. its dist/ort.wasm.min.mjs).
 */
import { describe, fileError, ModelError, optionError, optionRangeError } from '../errors.js';
import type { BatchModel } from '../average.js';

/** The parts of the onnxruntime-node / onnxruntime-web module this adapter uses. */
export interface OnnxRuntime {
  InferenceSession: { create(model: Uint8Array, options?: { executionProviders?: string[]; intraOpNumThreads?: number; interOpNumThreads?: number }): Promise<OnnxSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OnnxTensor;
  /** onnxruntime-web's settings (onnxruntime-node has no WASM ones). */
  env: { wasm?: { numThreads?: number } };
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
  /**
   * ONNX Runtime's threads per session (default 1: batches already spread over
   * minframe's workers): intraOpNumThreads for onnxruntime-node, env.wasm.numThreads
   * for onnxruntime-web (set before its first session only).
   */
  threads?: number;
  /**
   * Which runtime runs the model: 'onnxruntime-node' or 'onnxruntime-web' by name; or,
   * for pages and workers that cannot import it by name (no bundler, no import map),
   * the URL of its ES module build or the module itself. Default: onnxruntime-node in
   * Node when it can be imported, else onnxruntime-web.
   */
  runtime?: OnnxRuntimeName | URL | OnnxRuntime;
}

/** The runtimes the adapter imports by name. */
export type OnnxRuntimeName = 'onnxruntime-node' | 'onnxruntime-web';
const RUNTIMES: readonly OnnxRuntimeName[] = ['onnxruntime-node', 'onnxruntime-web'];

/**
 * A batch model (a BatchModel) backed by an ONNX Runtime session, that also runs on
 * one input as a Model does; release() frees the session.
 */
export interface OnnxModel {
  (batch: StackedBatch): Promise<Float64Array>;
  (x: Float64Array, shape: { n: number; d: number }): Promise<Float64Array>;
  readonly inputName: string;
  readonly outputName: string;
  /** The runtime running it, or null when its module or the module's URL was given. */
  readonly runtime: OnnxRuntimeName | null;
  release(): Promise<void>;
}

type StackedBatch = Parameters<BatchModel>[0];

// Imports by names held in variables, which bundlers leave to run time: both
// runtimes are optional, and node:fs only exists in Node.
const NODE_FS = 'node:fs/promises';
const inNode = () => typeof process !== 'undefined' && typeof process.versions?.node === 'string';
const firstLine = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e));

async function importRuntime(specifier: string): Promise<OnnxRuntime> {
  const m = (await import(/* @vite-ignore */ specifier)) as OnnxRuntime & { default?: OnnxRuntime };
  return m.InferenceSession ? m : m.default!;
}

/** The runtime `forced` (a name or a module's URL), or the first of onnxruntime-node (in Node) and onnxruntime-web that imports. */
async function loadRuntime(forced: OnnxRuntimeName | URL | undefined): Promise<{ ort: OnnxRuntime; name: OnnxRuntimeName | null }> {
  if (forced instanceof URL) {
    try {
      return { ort: await importRuntime(forced.href), name: null };
    } catch (e) {
      throw optionError(`onnxModel() cannot import the ONNX Runtime module ${forced.href} (${firstLine(e)})`);
    }
  }
  const names = forced ? [forced] : inNode() ? RUNTIMES : (['onnxruntime-web'] as const);
  const failures: string[] = [];
  for (const name of names) {
    try {
      return { ort: await importRuntime(name), name };
    } catch (e) {
      failures.push(`${name}: ${firstLine(e)}`);
    }
  }
  const what = names.length === 1 ? `the optional peer dependency ${names[0]}, which cannot` : `one of the optional peer dependencies ${names.join(' or ')}, which cannot`;
  throw optionError(`onnxModel() needs ${what} be imported (${failures.join('; ')}); install it with npm install ${names[0]}`);
}

/** The model's bytes: a path or file: URL read in Node, any other URL fetched; `name` names it in errors. */
async function modelBytes(model: string | URL | Uint8Array | ArrayBuffer, name = String(model)): Promise<{ bytes: Uint8Array; name: string }> {
  if (model instanceof Uint8Array) return { bytes: model, name: 'the ONNX model (bytes)' };
  if (model instanceof ArrayBuffer) return { bytes: new Uint8Array(model), name: 'the ONNX model (bytes)' };
  if (typeof model !== 'string' && !(model instanceof URL)) throw optionError(`onnxModel() takes a path, URL, Uint8Array or ArrayBuffer, got ${describe(model)}`);
  const node = inNode();
  const remote = model instanceof URL ? model.protocol !== 'file:' : /^[a-z][a-z0-9+.-]+:\/\//i.test(model) && !model.startsWith('file:');
  try {
    if (node && !remote) {
      const { readFile } = (await import(/* @vite-ignore */ NODE_FS)) as typeof import('node:fs/promises');
      return { bytes: new Uint8Array(await readFile(typeof model === 'string' && model.startsWith('file:') ? new URL(model) : model)), name };
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
 * OptionTypeError when no runtime (or not the one asked for) can be imported, and an
 * OptionRangeError naming the model's inputs or outputs when `options.input` /
 * `options.output` is not one, or for a `runtime` that is none of the forms it takes.
 * A failed session run rejects with a ModelError naming the batch's first input of
 * that size.
 */
export function onnxModel(model: string | URL | Uint8Array | ArrayBuffer, options: OnnxModelOptions = {}): Promise<OnnxModel> {
  return open(model, options);
}

async function open(model: string | URL | Uint8Array | ArrayBuffer, options: OnnxModelOptions, label?: string): Promise<OnnxModel> {
  if (typeof options !== 'object' || options === null) throw optionError(`onnxModel() options must be an object, got ${describe(options)}`);
  const { threads = 1, runtime } = options;
  if (!Number.isSafeInteger(threads) || threads < 1) throw optionRangeError(`threads must be a whole number >= 1, got ${String(threads)}`);
  if (typeof runtime === 'string' ? !RUNTIMES.includes(runtime) : runtime !== undefined && !(runtime instanceof URL) && typeof runtime?.InferenceSession?.create !== 'function') {
    throw optionRangeError(`runtime must be ${RUNTIMES.map((r) => `'${r}'`).join(' or ')}, the URL of an ONNX Runtime ES module or the module, got ${describe(runtime)}`);
  }
  const { bytes, name } = await modelBytes(model, label);
  const { ort, name: runtimeName } = typeof runtime === 'object' && !(runtime instanceof URL) ? { ort: runtime, name: null } : await loadRuntime(runtime);
  // onnxruntime-web reads its thread count from env; onnxruntime-node from the session's options
  if (ort.env.wasm) ort.env.wasm.numThreads = threads;
  let session: OnnxSession;
  try {
    session = await ort.InferenceSession.create(bytes, runtimeName === 'onnxruntime-node' ? { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1 } : { executionProviders: ['wasm'] });
  } catch (e) {
    throw fileError(name, `cannot load as an ONNX model: ${firstLine(e)}`);
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

  const runBatch = async ({ data, dim, offsets, count }: StackedBatch): Promise<Float64Array> => {
    // inputs of one size go into one tensor
    const bySize = new Map<number, number[]>();
    for (let i = 0; i < count; i++) {
      const n = offsets[i + 1] - offsets[i];
      const group = bySize.get(n);
      if (group) group.push(i);
      else bySize.set(n, [i]);
    }
    // each size's outputs, then copied out in input order (one copy when all inputs have one size)
    const results: { inputs: number[]; values: Float32Array | Float64Array; per: number }[] = [];
    const lengths = new Int32Array(count + 1);
    for (const [n, inputs] of bySize) {
      const x = inputs.length === count ? new Float32Array(data.subarray(offsets[0] * dim, offsets[count] * dim)) : new Float32Array(inputs.length * n * dim);
      if (inputs.length !== count) inputs.forEach((i, j) => x.set(data.subarray(offsets[i] * dim, offsets[i + 1] * dim), j * n * dim));
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
      for (const i of inputs) lengths[i + 1] = per;
      results.push({ inputs, values, per });
    }
    for (let i = 0; i < count; i++) lengths[i + 1] += lengths[i];
    const out = new Float64Array(lengths[count]);
    for (const { inputs, values, per } of results) {
      if (inputs.length === count) out.set(values);
      else inputs.forEach((i, j) => out.set(values.subarray(j * per, (j + 1) * per), lengths[i]));
    }
    return out;
  };
  const run = (input: StackedBatch | Float64Array, shape?: { n: number; d: number }) =>
    runBatch(input instanceof Float64Array ? { data: input, dim: shape!.d, offsets: Int32Array.of(0, shape!.n), count: 1 } : input);
  return Object.assign(run as OnnxModel, { inputName, outputName, runtime: runtimeName, release: () => session.release() });
}

/** Whether the model at `href` (a URL) is an ONNX file: its path ends in .onnx. */
export const isOnnxHref = (href: string): boolean => /\.onnx$/i.test(new URL(href).pathname);

/**
 * The ONNX model at the URL `href`, as workers load it: the URL's fragment holds
 * onnxModel's `input`, `output` and `runtime` (a name or an absolute URL) as URL
 * parameters, e.g. `file:///models/m.onnx#output=summary&runtime=onnxruntime-web`;
 * ONNX Runtime's threads stay 1. File URLs are named by their path in errors.
 */
export async function onnxModelAt(href: string): Promise<OnnxModel> {
  const url = new URL(href);
  const params = new URLSearchParams(url.hash.slice(1));
  url.hash = '';
  const options: OnnxModelOptions = {};
  for (const [key, value] of params) {
    if (key !== 'input' && key !== 'output' && key !== 'runtime') throw optionRangeError(`${href}: the fragment of an ONNX model's URL takes input, output and runtime, got '${key}'`);
    if (key !== 'runtime') options[key] = value;
    else options.runtime = RUNTIMES.includes(value as OnnxRuntimeName) || !URL.canParse(value) ? (value as OnnxRuntimeName) : new URL(value);
  }
  return open(url, options, url.protocol === 'file:' ? decodeURIComponent(url.pathname) : url.href);
}
