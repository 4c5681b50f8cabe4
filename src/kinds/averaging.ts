/**
 * Frame averaging over a batch's frames, for every kind (a `Framed`): the model runs
 * once per input on its canonical form c (or once on all of them stacked, for a
 * batch model), and its outputs are averaged over each stabilizer and mapped back
 * in one pass (Framed.restore). Every element g of the minimal frame h·Stab(c) has
 * g⁻¹·X = c, so ⟨f⟩(X) = h·R(f(c)) with R the average over Stab(c), and the
 * invariant ⟨f⟩(X) = f(c).
 *
 * The same code runs on the calling thread (function models) and inside a worker
 * (module models: `averageChunk`, one chunk of the batch per task), so results are
 * the same bits either way.
 * This module must stay free of Node and DOM APIs: workers of both kinds import it.
 */
import { abortError, describe, inputTypeError, modelError, optionError, toFailure, FileFormatError, OptionRangeError, OptionTypeError, type InputErrorInfo, type InputFailure } from '../errors.js';
import type { Kernels } from '../wasm/module.js';
import type { ErrorMode, Framed, ModelInput, OutputKind, StackedBatch, Task } from './kind.js';
import type { Kind } from './index.js';
import type { GroupOptions } from '../groups.js';
import { isOnnxHref, onnxModelAt } from '../models/onnx.js';

type Awaitable<T> = T | Promise<T>;
type Values = Float64Array | Float32Array | ArrayLike<number>;

/** A model on one input: its canonical form and shape in, its output out. */
export type Model<T = Values> = (x: Float64Array, shape: ModelInput['shape']) => Awaitable<T>;
/** A model on a stacked batch: all canonical inputs in, all outputs out, rows in the same layout. */
export type BatchModel = (batch: StackedBatch) => Awaitable<Values>;

/** How the wrappers call a model. */
export interface Averaging {
  mode: 'equivariant' | 'invariant';
  output: OutputKind;
  batchModel: boolean;
}

/** Averaged equivariant outputs of a batch, flat (see EquivariantBatchResult in src/average.ts). */
export interface Averaged {
  /** Outputs, `width` values per item, items of input i at items offsets[i] .. offsets[i+1]. */
  data: Float64Array;
  width: number;
  /** count+1 item offsets (rows, vertices or vertex pairs). */
  offsets: Int32Array;
  /** The buffer the model's outputs were gathered in, for the next call's `scratch`. */
  scratch?: Float64Array;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> => typeof v === 'object' && v !== null && typeof (v as PromiseLike<unknown>).then === 'function';

/**
 * `value`, or — when it is a promise and `signal` aborts first — an AbortError: a
 * model that never settles does not hold the call. Synchronous results pass
 * through without a turn of the event loop.
 */
export function untilAborted<T>(value: Awaitable<T>, signal: AbortSignal | undefined): Awaitable<T> {
  if (!signal || !isThenable(value)) return value;
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(abortError(signal.reason));
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    (value as Promise<T>).then(
      (v) => {
        signal.removeEventListener('abort', stop);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(e);
      },
    );
  });
}

/** A model's output for input i as numbers: a Float64Array, Float32Array or array of numbers. */
function outputValues(y: unknown, i: number): Float64Array | Float32Array | number[] {
  if (y instanceof Float64Array || y instanceof Float32Array) return y;
  if (Array.isArray(y)) {
    for (let j = 0; j < y.length; j++) if (typeof y[j] !== 'number') throw inputTypeError(i, `the model returned ${describe(y[j])} at position ${j}; outputs must be numbers`);
    return y as number[];
  }
  throw inputTypeError(i, `the model must return a Float64Array, Float32Array or number[], got ${describe(y)}`);
}

/** The width of each item of a model's output, or the input's error when it does not fit. */
function widthOf(length: number, items: number, fixed: number | null, i: number, what: string): number {
  if (fixed !== null) {
    if (length !== items * fixed) throw inputTypeError(i, `the model returned ${length} values, expected ${what} = ${items * fixed}`);
    return fixed;
  }
  if (items === 0 || length % items !== 0 || length === 0) throw inputTypeError(i, `the model returned ${length} values, expected ${items} items of equal length (${what})`);
  return length / items;
}

/** What the expected output length is called in messages. */
function expectedName(f: Framed, how: Averaging, fixed: number | null): string {
  const { output } = how;
  if (how.mode === 'invariant') return 'k values per input';
  if (output === 'edges') return 'n×n×k';
  if (output === 'nodes') return 'n×k';
  const complex = fixed !== null && f.dim !== null && fixed === 2 * f.dim;
  return fixed === null ? 'n×k' : `n×d${complex ? '×2 (complex)' : ''}`;
}

export interface CallOptions {
  signal?: AbortSignal;
  errors: ErrorMode;
  /** Where averaged outputs go when it has the right length (else a new array). */
  into?: Float64Array;
  /** A buffer for the model's outputs on the canonical forms, used when it has the right length (else a new one). */
  scratch?: Float64Array;
}

/**
 * Outputs of a batch gathered flat: the model on every valid input's canonical form
 * (or once on them stacked), averaged and mapped back into one flat buffer — the
 * equivariant outputs, or an invariant batch model's k values per input (one item
 * each, see invariantItems). In 'status' mode an input whose model call fails gets
 * the error in `errors` (updated in place) and NaN outputs; in 'throw' mode the
 * first one propagates.
 */
export async function averageFlat(frames: Framed, model: Model | BatchModel, how: Averaging, options: CallOptions): Promise<Averaged> {
  const { output } = how;
  const f = how.mode === 'invariant' ? invariantItems(frames) : frames;
  const errors = f.errors as (Error | null)[];
  const fixed = f.width(output);
  const what = expectedName(f, how, fixed);
  const calls = f.calls ?? one;
  // items of the outputs (offsets) and of the model's outputs, call by call (at: the
  // same when every input has one call)
  const offsets = f.itemOffsets?.(output) ?? sumItems(f, output);
  let at = offsets;
  if (f.calls) {
    at = new Int32Array(f.count + 1);
    for (let i = 0; i < f.count; i++) at[i + 1] = at[i] + (offsets[i + 1] - offsets[i]) * calls(i);
  }
  const total = offsets[f.count];
  const ytotal = at[f.count];
  let width = fixed;
  let y: Float64Array | null = null;
  let borrowed = false;
  const buffer = (w: number) => (y ??= options.scratch?.length === ytotal * w ? options.scratch : new Float64Array(ytotal * w));
  const fail = (i: number, e: unknown) => {
    const err = e instanceof Error && e.name === 'AbortError' ? e : modelError(i, e);
    if (options.errors === 'throw' || err.name === 'AbortError') throw err;
    errors[i] = err;
  };
  // a batch model's valid inputs, listed only when some input is not (a per-input model skips the bad ones itself)
  const every = how.batchModel && !errors.some((e) => e !== null);
  const valid: number[] = [];
  if (how.batchModel && !every) for (let i = 0; i < f.count; i++) if (!errors[i]) valid.push(i);
  // (a batch without a valid input does not call the model: its outputs are all NaN)
  if (how.batchModel && (every || valid.length > 0)) {
    const all = f.stacked();
    // the canonical inputs as they are when every input is valid; else the valid ones, copied together
    const s = every ? all : compact(f, valid, calls, all.dim);
    options.signal?.throwIfAborted();
    let out: Values;
    try {
      out = await untilAborted((model as BatchModel)(s), options.signal);
    } catch (e) {
      if (e instanceof Error && e.name === 'AbortError') throw e;
      throw modelError(valid[0] ?? 0, e);
    }
    const v = outputValues(out, valid[0] ?? 0);
    const items = every ? at[f.count] : valid.reduce((sum, i) => sum + at[i + 1] - at[i], 0);
    width = widthOf(v.length, items, fixed, valid[0] ?? 0, what);
    if (every && v instanceof Float64Array) {
      y = v; // already laid out as the batch: no copy (and not ours to reuse)
      borrowed = true;
    } else if (every) {
      buffer(width).set(v); // laid out as the batch, in another type: converted once
    } else {
      const yb = buffer(width);
      let from = 0;
      for (const i of valid) {
        const len = (at[i + 1] - at[i]) * width;
        yb.set(subarray(v, from, from + len), at[i] * width);
        from += len;
      }
    }
  } else if (!how.batchModel) {
    for (let i = 0; i < f.count; i++) {
      const items = offsets[i + 1] - offsets[i];
      for (let j = 0, c = calls(i); j < c && !errors[i]; j++) {
        if (options.signal?.aborted) throw abortError(options.signal.reason);
        const { x, shape } = f.input(i, j);
        let r: unknown;
        try {
          r = (model as Model)(x, shape);
          if (isThenable(r)) r = await untilAborted(r, options.signal);
        } catch (e) {
          fail(i, e);
          break;
        }
        try {
          const v = outputValues(r, i);
          const w = widthOf(v.length, items, width, i, what);
          width = w;
          if (f.count === 1 && c === 1 && v instanceof Float64Array) {
            y = v; // a single input's one output is the whole buffer: no copy (and not ours to reuse)
            borrowed = true;
          } else buffer(w).set(v, (at[i] + j * items) * w);
        } catch (e) {
          if (options.errors === 'throw') throw e;
          errors[i] = e as Error;
        }
      }
    }
  }
  const w = width ?? 1;
  const yb = buffer(w);
  // inputs without outputs (bad inputs, failed model calls) average as NaN
  for (let i = 0; i < f.count; i++) if (errors[i]) yb.fill(NaN, at[i] * w, at[i + 1] * w);
  const out = options.into && options.into.length === total * w && options.into !== yb ? options.into : new Float64Array(total * w);
  f.restore(yb, w, output, out);
  return { data: out, width: w, offsets, scratch: borrowed ? undefined : yb };
}

/** The count+1 offsets of the items of every input's output. */
function sumItems(f: Framed, output: OutputKind): Int32Array {
  const offsets = new Int32Array(f.count + 1);
  for (let i = 0; i < f.count; i++) offsets[i + 1] = offsets[i] + f.items(i, output);
  return offsets;
}

/**
 * Frames as an invariant batch model's outputs see them: one item per input, of the
 * model's k values, averaged over the input's calls (the baselines' frame elements,
 * summed in call order as `mean` does) and not transformed, since invariant outputs
 * do not move with the input.
 */
function invariantItems(f: Framed): Framed {
  const calls = f.calls?.bind(f);
  return {
    count: f.count,
    dim: f.dim,
    errors: f.errors,
    warnings: f.warnings,
    calls,
    input: (i, j) => f.input(i, j),
    stacked: () => f.stacked(),
    items: () => 1,
    width: () => null,
    restore(y, width, _output, out) {
      if (!calls) return out.set(y);
      for (let i = 0, at = 0; i < f.count; i++) {
        const c = calls(i);
        for (let t = 0; t < width; t++) {
          let s = 0;
          for (let j = 0; j < c; j++) s += y[(at + j) * width + t];
          out[i * width + t] = s / c;
        }
        at += c;
      }
    },
  };
}

/**
 * Invariant outputs: the model's output on each valid input's canonical form
 * (undefined for bad inputs). Where an input needs several calls (the baselines),
 * their outputs are averaged: numbers, or arrays of numbers of one length.
 */
export async function averageInvariant<T>(f: Framed, model: Model<T>, options: CallOptions): Promise<(T | undefined)[]> {
  const errors = f.errors as (Error | null)[];
  const { signal } = options;
  const outputs: (T | undefined)[] = new Array(f.count).fill(undefined);
  for (let i = 0; i < f.count; i++) {
    if (errors[i]) continue;
    const c = f.calls ? f.calls(i) : 1;
    let value: unknown;
    // (only a baseline's several calls per input are listed: most inputs have one)
    const values: unknown[] | null = c > 1 ? [] : null;
    try {
      for (let j = 0; j < c; j++) {
        if (signal?.aborted) throw abortError(signal.reason);
        const { x, shape } = f.input(i, j);
        value = model(x, shape);
        // a synchronous model's output is taken as it is: awaiting it would cost a turn per input
        if (isThenable(value)) value = await untilAborted(value, signal);
        values?.push(value);
      }
    } catch (e) {
      if (e instanceof Error && e.name === 'AbortError') throw e;
      const err = modelError(i, e);
      if (options.errors === 'throw') throw err;
      errors[i] = err;
      continue;
    }
    try {
      outputs[i] = (values ? mean(values, i) : value) as T;
    } catch (e) {
      if (options.errors === 'throw') throw e;
      errors[i] = e as Error;
    }
  }
  return outputs;
}

/**
 * Whether invariant outputs may share memory with the frames they came from: any
 * output but a number or a typed array on a buffer of its own (a view of a canonical
 * form, or an object that may hold one). Frames that no output can share are
 * overwritten by the wrapper's next call instead of new memory being touched.
 */
export function outputsMayShare(f: Framed, outputs: readonly unknown[]): boolean {
  const first = f.errors.indexOf(null);
  if (first < 0) return false;
  const buffer = f.input(first).x.buffer;
  return outputs.some((v) => !(v === undefined || typeof v === 'number' || (ArrayBuffer.isView(v) && v.buffer !== buffer)));
}

/** The mean of a frame's invariant outputs: numbers, or arrays of numbers of equal length. */
function mean(values: unknown[], i: number): number | Float64Array {
  if (values.every((v) => typeof v === 'number')) return (values as number[]).reduce((s, v) => s + v, 0) / values.length;
  const arrays = values.map((v) => outputValues(v, i));
  const len = arrays[0].length;
  const out = new Float64Array(len);
  for (const a of arrays) {
    if (a.length !== len) throw inputTypeError(i, `the model returned ${a.length} values for one frame element and ${len} for another; invariant outputs must have one length`);
    for (let c = 0; c < len; c++) out[c] += a[c];
  }
  for (let c = 0; c < len; c++) out[c] /= arrays.length;
  return out;
}

function subarray(v: Float64Array | Float32Array | number[], from: number, to: number): ArrayLike<number> {
  return Array.isArray(v) ? v.slice(from, to) : v.subarray(from, to);
}

/** The valid inputs' model inputs stacked for a batch model, in call order. */
function compact(f: Framed, valid: number[], calls: (i: number) => number, dim: number): StackedBatch {
  const parts = valid.flatMap((i) => Array.from({ length: calls(i) }, (_, j) => f.input(i, j)));
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((p, j) => (offsets[j + 1] = offsets[j] + p.shape.n));
  const data = new Float64Array(parts.reduce((s, p) => s + p.x.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p.x, at);
    at += p.x.length;
  }
  return { data, dim, offsets, count: parts.length };
}

const one = () => 1;

/**
 * A module model: its default export, and whether it takes stacked batches (`export
 * const batchModel = true`); or an ONNX model, a batch model that also runs on one
 * input (`single`).
 */
export interface LoadedModel {
  model: Model | BatchModel;
  batchModel: boolean;
  single?: boolean;
}

/**
 * How a loaded model is called for `kind`: stacked, if it asks to be, unless it runs
 * on one input too (an ONNX model) and the kind (graphs) or the mode calls it per
 * input. invariant() calls such a model per input: a session's reductions round by
 * how many inputs it is given, so stacked invariants would change in their last
 * bits with the engine's chunks.
 */
export function howFor(how: Averaging, m: LoadedModel, kind: Kind): Averaging {
  const perInput = m.single && (kind.name === 'graph' || how.mode === 'invariant');
  return { ...how, batchModel: how.batchModel || (m.batchModel && !perInput) };
}

const loaded = new Map<string, Promise<LoadedModel>>();

/** Load the model at `href` once per thread: an ONNX file (src/models/onnx.ts onnxModelAt), or an ES module whose default export is the model. */
export function loadModel(href: string): Promise<LoadedModel> {
  let p = loaded.get(href);
  if (!p) {
    p = isOnnxHref(href) ? onnxModelAt(href).then((model) => ({ model, batchModel: true, single: true })) : import(/* @vite-ignore */ href).then((m: { default?: unknown; batchModel?: unknown }) => {
      if (typeof m.default !== 'function') throw optionError(`the model module ${href} must have a function as its default export, got ${describe(m.default)}`);
      if (m.batchModel !== undefined && typeof m.batchModel !== 'boolean') throw optionError(`the model module ${href} exports batchModel = ${String(m.batchModel)}; it must be true or false`);
      return { model: m.default as Model, batchModel: m.batchModel === true };
    }, (e: unknown) => {
      // a missing file or a module that throws as it loads: a bad model option, not a bare Error
      throw optionError(`the model module ${href} could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    });
    p.catch(() => loaded.delete(href));
    loaded.set(href, p);
  }
  return p;
}

/** A chunk of a batch averaged on a worker by a module model. */
export interface AverageTask extends Task {
  kind: 'average';
  group: string;
  tol: number;
  /** The chunk as a batch of its own (Slicer.slice). */
  input: unknown;
  model: string;
  how: Averaging;
  /** The group's method and seed (group()'s options), when not minimal frames. */
  options?: GroupOptions;
  /**
   * Where the chunk's averaged outputs go: its part of the call's result, on shared
   * memory, when their width is known before the model runs. The reply then has no
   * `data` unless the chunk's outputs took another width (every input failed).
   */
  out?: Float64Array;
}

/**
 * A worker's reply: the chunk's outputs (flat `data` of `width` values per item, or
 * only their `width` when they went to the task's `out`, or a per-input invariant
 * model's `outputs`) and, per input, its failure or null.
 */
export interface AverageReply {
  data?: Float64Array;
  width?: number;
  outputs?: unknown[];
  failures: (InputFailure | null)[];
  warnings: (string | null)[];
  /**
   * What failed the whole chunk, as inline it fails the whole call: a bad option
   * (a model module that cannot be loaded, a batch model for graphs), or an input's
   * error (a batch model that threw or returned the wrong thing; input: its index
   * in the chunk), or a model file that cannot be read or loaded.
   */
  thrown?: { option: 'type' | 'range'; rule: string } | { input: number; failure: InputFailure } | { file: string; problem: string };
}

/**
 * The frames and gathered model outputs of this thread's last chunk, which the next
 * chunk of the same kind overwrites instead of touching fresh memory (as a wrapper
 * does between its calls): a chunk takes them for its duration, and never keeps
 * what its reply holds (the averaged outputs are new; invariant outputs that may be
 * views of the frames keep them from reuse).
 */
let spare: { kind: string; framed: Framed; scratch?: Float64Array } | null = null;

/** The worker side of a module model: frames of the chunk, the model, the average, all here. */
export async function averageChunk(G: unknown, kind: Kind, task: AverageTask, k: Kernels, frames: (kind: Kind, G: never, batch: unknown, tol: number, k: Kernels, reuse?: Framed) => Framed): Promise<AverageReply> {
  try {
    const m = await loadModel(task.model);
    const { model } = m;
    // the last chunk's frames and gathered outputs, taken for this one (see `spare`)
    const reuse = spare?.kind === kind.name ? spare : null;
    spare = null;
    const f = frames(kind, G as never, task.input, task.tol, k, reuse?.framed);
    const how = howFor(task.how, m, kind);
    const options: CallOptions = { errors: 'status', scratch: reuse?.scratch, into: task.out };
    const reply: AverageReply = { failures: [], warnings: f.warnings };
    if (how.mode === 'invariant' && !how.batchModel) {
      reply.outputs = await averageInvariant(f, model as Model, options);
      if (!outputsMayShare(f, reply.outputs)) spare = { kind: kind.name, framed: f };
    } else {
      const a = await averageFlat(f, model, how, options);
      if (a.data !== task.out) reply.data = a.data;
      reply.width = a.width;
      spare = { kind: kind.name, framed: f, scratch: a.scratch };
    }
    reply.failures = f.errors.map((e) => (e ? toFailure(e) : null));
    return reply;
  } catch (e) {
    return { failures: [], warnings: [], thrown: thrownOf(e) };
  }
}

/** A chunk's failure as plain data; anything but a bad option, a bad model file or an input's error (a trap, a bug) is re-thrown (toFailure). */
function thrownOf(e: unknown): NonNullable<AverageReply['thrown']> {
  if (e instanceof OptionTypeError || e instanceof OptionRangeError) return { option: e instanceof TypeError ? 'type' : 'range', rule: e.message.replace(/^minframe: /, '') };
  if (e instanceof FileFormatError) return { file: e.file, problem: e.message.slice(`minframe: ${e.file}: `.length) };
  return { input: (e as InputErrorInfo).input, failure: toFailure(e) };
}
