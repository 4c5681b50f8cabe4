/**
 * Frame averaging: wrap any model into an exactly equivariant or invariant one, for
 * every kind of input (point sets under the point groups and S(n) (x G), graphs).
 *
 * The minimal frame of X is h·Stab(c) with c = h⁻¹·X, and every element g of it has
 * g⁻¹·X = c. So the model runs once per input, on c, and only its output is
 * averaged over Stab(c), in closed form (src/kinds/averaging.ts):
 *   equivariant: ⟨f⟩(X) = h·R(f(c)),   invariant: ⟨f⟩(X) = f(c).
 *
 * A function model runs on the calling thread; the frames of a batch are computed on
 * `engine`'s workers when one is given. A model given as an ES module or an .onnx
 * file (a URL or a path) runs where the frames are: each worker loads it once (an
 * ONNX model: one session per worker, src/models/onnx.ts onnxModelAt) and sends back
 * only the averaged outputs.
 */
import { checkSeed, DEFAULT_TOL, type Method, type Group, type GraphGroup, type PermutationGroup } from './groups.js';
import { checkOptions, checkTol, type BatchInput } from './batch.js';
import { describe, fileError, fromFailure, optionError, optionRangeError } from './errors.js';
import { ready } from './wasm/module.js';
import { checkErrorMode, checkRun, isJobEngine, isShared, runJob, settle, view, type ErrorMode, type Framed, type Job, type JobEngine, type OutputKind, type RunOptions, type Staging } from './kinds/kind.js';
import { framedHere, kindOf, type AnyGroup, type Kind } from './kinds/index.js';
import { averageFlat, averageInvariant, howFor, loadModel, outputsMayShare, type AverageReply, type AverageTask, type Averaging, type BatchModel, type Model } from './kinds/averaging.js';
import type { GraphBatchInput } from './kinds/graph.js';
import type { Engine } from './engine/index.js';

export type { Model, BatchModel };

/**
 * A model: a function on this thread, or the URL or path of an ES module whose default
 * export is the model, or of an .onnx file (its first input and output, or those the
 * URL's fragment names: `model.onnx#input=x&output=summary&runtime=onnxruntime-web`).
 */
export type ModelSource<M> = M | URL | string;

/** The shape of one input: { n, d } for point sets, { n, colors? } for graphs. */
export interface Shape {
  n: number;
  d?: number;
  colors?: ArrayLike<number>;
}

export interface AverageOptions {
  /** Relative tolerance for rank decisions and ties (default 1e-9). */
  tol?: number;
  /**
   * 'mfa' (minimal frames, the default) or a baseline for comparisons, 'fa', 'sfa' or
   * 'ifa' (O, SO, E, SE), as group(spec, { method }) takes it: the model then runs
   * once per frame element.
   */
  method?: Method;
  /** SFA's seed (see GroupOptions). */
  seed?: number;
  /** Compute batches on this engine's workers (default: on the calling thread). */
  engine?: Engine;
}

export interface InvariantOptions extends AverageOptions {
  /**
   * The model takes every canonical input of a batch stacked ({ data, dim, offsets,
   * count }, as one flat array without copies when every input is valid) and returns
   * all outputs: for equivariant(), in the same row layout; for invariant(), k values
   * per input, inputs in order. A module may say so itself with
   * `export const batchModel = true`; an ONNX model is one. Point sets only.
   */
  batchModel?: boolean;
}

export interface EquivariantOptions extends InvariantOptions {
  /**
   * How outputs transform. Point sets: 'vectors' (default; they rotate) or 'points'
   * (they also translate: E, SE, Aff and S(n) x E, S(n) x SE). Graphs: 'nodes'
   * (default; n×k, averaged over vertex orbits) or 'edges' (n×n×k, over orbits on
   * ordered pairs).
   */
  output?: OutputKind;
}

export interface BatchCallOptions extends RunOptions {
  errors?: ErrorMode;
  /**
   * An earlier result (or array) whose `data` this call overwrites when it has the
   * right length; `data` must be a Float64Array (else OptionTypeError).
   */
  into?: EquivariantBatchResult | Float64Array;
}

/**
 * Equivariant outputs of a batch, flat: input i's outputs are items
 * offsets[i] .. offsets[i+1] (rows for point sets, vertices or vertex pairs for
 * graphs) of `width` values. Bad inputs have NaN outputs and their error in `errors`.
 */
export interface EquivariantBatchResult {
  data: Float64Array;
  /** The points' dimension d for point groups (2d values per row when complex); the model's k otherwise. */
  dim: number;
  /** Values per item. */
  width: number;
  count: number;
  offsets: Int32Array;
  errors: (Error | null)[];
  /** Per input, a warning about its frame (GL/SL/Aff: ill-conditioned), or null. */
  warnings: (string | null)[];
}

export interface InvariantBatchResult<T> {
  /**
   * The model's output on each input's canonical form; undefined for bad inputs.
   * With a batch model, input i's `width` values in `data` (a view on it), made
   * when first read.
   */
  outputs: (T | undefined)[];
  /** A batch model's outputs, flat: input i's at i·width .. (i+1)·width−1 (NaN for bad inputs). */
  data?: Float64Array;
  /** Values per input in `data`. */
  width?: number;
  count: number;
  errors: (Error | null)[];
  warnings: (string | null)[];
}

/** An invariant batch model's result: `data` as it came, `outputs` as views on it once asked for. */
function invariantResult(data: Float64Array, width: number, count: number, errors: (Error | null)[], warnings: (string | null)[]): InvariantBatchResult<Float64Array> {
  let outputs: (Float64Array | undefined)[] | undefined;
  return {
    get outputs() {
      return (outputs ??= errors.map((e, i) => (e ? undefined : view(data, i * width, (i + 1) * width))));
    },
    data,
    width,
    count,
    errors,
    warnings,
  };
}

export interface EquivariantFn {
  (x: ArrayLike<number>, shape: Shape): Promise<Float64Array>;
  batch(batch: BatchInput | GraphBatchInput, options?: BatchCallOptions): Promise<EquivariantBatchResult>;
}

export interface InvariantFn<T> {
  (x: ArrayLike<number>, shape: Shape): Promise<T>;
  batch(batch: BatchInput | GraphBatchInput, options?: BatchCallOptions): Promise<InvariantBatchResult<T>>;
}

/** The model as given: a function, or an ES module's address resolved against the working directory (Node) or the page. */
type Source = { fn: Model | BatchModel } | { href: string };

function checkModel(model: unknown): Source {
  if (typeof model === 'function') return { fn: model as Model };
  if (model instanceof URL) return { href: model.href };
  if (typeof model === 'string' && model.length > 0) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(model) && !/^[a-z]:[\\/]/i.test(model)) return { href: new URL(model).href };
    const base = typeof location !== 'undefined' ? location.href : `file://${(globalThis as { process?: { cwd(): string } }).process?.cwd() ?? ''}/`;
    return { href: new URL(model, base).href };
  }
  throw optionError(`the model must be a function (or the URL or path of an ES module), got ${describe(model)}`);
}

function checkEngine(engine: unknown): JobEngine | undefined {
  if (engine === undefined) return undefined;
  if (!isJobEngine(engine)) throw optionError(`engine must come from createEngine(), got ${describe(engine)}`);
  return engine;
}


interface Wrapper {
  G: AnyGroup;
  kind: Kind;
  tol: number;
  engine: JobEngine | undefined;
  source: Source;
  how: Averaging;
  /**
   * The frames and the gathered outputs of the last finished batch: the next one
   * overwrites them instead of touching fresh memory (for invariants only when no
   * output can be a view of them). A call takes them for
   * its duration, so calls that overlap never share them.
   */
  spare: { framed: Framed; scratch?: Float64Array } | null;
}

function wrapper(spec: unknown, model: unknown, options: EquivariantOptions | undefined, mode: Averaging['mode']): Wrapper {
  const o = checkOptions(options) as EquivariantOptions;
  const { G, kind } = kindOf(spec, o.method !== undefined || o.seed !== undefined ? { method: o.method, seed: o.seed } : undefined);
  const tol = checkTol(o.tol, DEFAULT_TOL);
  const engine = checkEngine(o.engine);
  const source = checkModel(model);
  if (o.batchModel !== undefined && typeof o.batchModel !== 'boolean') throw optionError(`batchModel must be true or false, got ${describe(o.batchModel)}`);
  const output = o.output ?? kind.outputs[0];
  if (!kind.outputs.includes(output)) throw optionRangeError(`output must be ${kind.outputs.map((k) => `'${k}'`).join(' or ')} for ${G.spec}, got ${String(o.output)}`);
  if (o.batchModel && kind.name === 'graph') throw optionRangeError(`batchModel is for point sets; graph groups run their model once per input`);
  return { G, kind, tol, engine, source, how: { mode, output, batchModel: o.batchModel === true }, spare: null };
}

/** The function model, loading a module model on this thread when it has to run here. */
async function localModel(w: Wrapper): Promise<{ model: Model | BatchModel; how: Averaging }> {
  if ('fn' in w.source) return { model: w.source.fn, how: w.how };
  const m = await loadModel(w.source.href);
  return { model: m.model, how: howFor(w.how, m, w.kind) };
}

/** A batch's frames, on the engine or on this thread (overwriting `reuse`'s arrays where they fit). */
async function frames(w: Wrapper, input: unknown, run: RunOptions, reuse?: Framed): Promise<Framed> {
  if (w.engine) return w.engine[runJob]((staging) => w.kind.framed(w.G as never, input, w.tol, staging, undefined, reuse), run);
  const f = framedHere(w.kind, w.G, input, w.tol, await ready(), reuse);
  run.onProgress?.(f.count, f.count);
  return f;
}

/** The `dim` of an equivariant batch result: d for outputs that are rows of points, else the model's width. */
function outputDim(w: Wrapper, width: number): number {
  if (w.G.family === 'graph') return width;
  if (w.G.family === 'permutation') return w.G.base ? w.G.base.d : width;
  return w.G.d;
}

/**
 * Chunks per thread for a module model: with 16, a thread that finishes early waits
 * at most a sixteenth of its share for the other at the end, and handing over the
 * extra chunks costs far less than a model's work on them.
 */
const MODEL_CHUNKS_PER_THREAD = 16;

/**
 * A batch averaged by a module model on the engine's workers: each chunk is a batch
 * of its own, framed, modelled and averaged there; only outputs come back. With
 * shared memory, outputs whose width the group fixes (equivariant point outputs) are
 * written by the workers straight into the result, a SharedArrayBuffer (or `into`
 * when it is one): the calling thread then neither receives nor copies them, which
 * on a 2-core machine is time taken from the workers.
 */
function moduleJob(w: Wrapper, href: string, input: unknown, into: Float64Array | undefined): (staging: Staging) => Job<EquivariantBatchResult | InvariantBatchResult<unknown>> {
  return (staging) => {
    const s = w.kind.slicer(w.G as never, input, staging);
    // a baseline's method goes with every task, SFA's seed drawn once for all of them
    const G = w.G as Group;
    const options = G.method && G.method !== 'mfa' ? { method: G.method, seed: G.method === 'sfa' ? checkSeed(G.seed) : undefined } : undefined;
    const count = s.count;
    // items per input of flat outputs: an invariant batch model's are one each
    const invariant = w.how.mode === 'invariant';
    const items = new Int32Array(count + 1);
    for (let i = 0; i < count; i++) items[i + 1] = items[i] + (invariant ? 1 : s.items(i, w.how.output));
    const errors: (Error | null)[] = new Array(count).fill(null);
    const warnings: (string | null)[] = new Array(count).fill(null);
    const outputs: unknown[] = new Array(count).fill(undefined);
    let data: Float64Array | null = null;
    let width = 0;
    const layout = (w: number, shared = false) => {
      width = w;
      const length = items[count] * w;
      return (data = into?.length === length ? into : shared ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length));
    };
    // (a non-shared `into` is kept: the outputs are copied into it as they come)
    const fixed = invariant ? null : s.width(w.how.output);
    const direct = fixed !== null && staging.memory === 'shared' && (!into || isShared(into.buffer)) ? layout(fixed, true) : null;
    // Chunks whose every input failed have no model outputs, so no say in the width
    // (a worker falls back to 1 values per item, as inline): laid out at the end.
    const empty: [number, AverageReply][] = [];
    return {
      count,
      work: s.work,
      // the model's cost is unknown and usually far above the frames': finer chunks
      chunksPerThread: MODEL_CHUNKS_PER_THREAD,
      task: (first, end): AverageTask => ({
        kind: 'average', group: w.G.spec, options, tol: w.tol, input: s.slice(first, end), model: href, how: w.how,
        out: direct?.subarray(items[first] * width, items[end] * width),
      }),
      merge(reply, first, end) {
        s.done(first);
        const r = reply as AverageReply;
        const t = r.thrown;
        if (t) throw 'option' in t ? (t.option === 'type' ? optionError : optionRangeError)(t.rule) : 'file' in t ? fileError(t.file, t.problem) : fromFailure(first + t.input, t.failure);
        for (let j = 0; j < end - first; j++) {
          const f = r.failures[j];
          if (f) errors[first + j] = fromFailure(first + j, f);
          warnings[first + j] = r.warnings[j] ? r.warnings[j]!.replace(/^input \d+:/, `input ${first + j}:`) : null;
        }
        if (r.outputs) r.outputs.forEach((v, j) => (outputs[first + j] = v));
        if (!r.data) return;
        if (!r.failures.includes(null)) return void empty.push([first, r]);
        if (data === null) layout(r.width!);
        else if (r.width !== width) {
          throw optionRangeError(`the model returned ${r.width} values per item for inputs ${first}..${end - 1} but ${width} for others; every output item must have the same length`);
        }
        data!.set(r.data, items[first] * width);
      },
      finish() {
        // an invariant model's replies are flat when it is a batch model (the worker knows: a module says so itself)
        if (invariant && data === null && empty.length === 0) return { outputs, count, errors, warnings };
        for (const [first, r] of empty) {
          const out = data ?? layout(r.width!);
          // the chunk's NaN outputs, in the batch's width
          if (r.width === width) out.set(r.data!, items[first] * width);
          else out.fill(NaN, items[first] * width, (items[first] + r.data!.length / r.width!) * width);
        }
        if (invariant) return invariantResult(data!, width, count, errors, warnings);
        return { data: data ?? new Float64Array(0), dim: outputDim(w, width), width, count, offsets: items, errors, warnings };
      },
    };
  };
}

/** `into` as the array to overwrite: a Float64Array, or an earlier result's `data` (anything else would round the outputs). */
function checkInto(into: unknown): Float64Array | undefined {
  if (into === undefined || into instanceof Float64Array) return into;
  const data = typeof into === 'object' && into !== null && !ArrayBuffer.isView(into) ? (into as { data?: unknown }).data : into;
  if (!(data instanceof Float64Array)) throw optionError(`into must be a Float64Array or an earlier result with Float64Array data, got ${describe(data)}`);
  return data;
}

async function runBatch(w: Wrapper, input: unknown, options: BatchCallOptions | undefined): Promise<EquivariantBatchResult | InvariantBatchResult<unknown>> {
  const o = checkOptions(options) as BatchCallOptions;
  const mode = checkErrorMode(o.errors);
  const run = checkRun(o);
  const into = checkInto(o.into);
  if (w.engine && 'href' in w.source) {
    const r = await w.engine[runJob](moduleJob(w, w.source.href, input, into) as never, run);
    return settle(r as EquivariantBatchResult, mode);
  }
  const { model, how } = await localModel(w);
  // every input's model call runs, so that in 'throw' mode too the error carries every error and the result (settle), as on workers
  const spare = w.spare;
  w.spare = null;
  const f = await frames(w, input, run, spare?.framed);
  const errors = f.errors as (Error | null)[];
  const warnings = f.warnings as (string | null)[];
  if (how.mode === 'invariant' && !how.batchModel) {
    const outputs = await averageInvariant(f, model as Model, { signal: run.signal, errors: 'status' });
    // an output that is a view of a canonical form must outlive the next call
    if (!outputsMayShare(f, outputs)) w.spare = { framed: f };
    return settle({ outputs, count: f.count, errors, warnings }, mode);
  }
  const a = await averageFlat(f, model, how, { signal: run.signal, errors: 'status', into, scratch: spare?.scratch });
  w.spare = { framed: f, scratch: a.scratch };
  if (how.mode === 'invariant') return settle(invariantResult(a.data, a.width, f.count, errors, warnings), mode);
  return settle({ data: a.data, dim: outputDim(w, a.width), width: a.width, count: f.count, offsets: a.offsets, errors, warnings }, mode);
}

async function runOne(w: Wrapper, x: unknown, shape: unknown): Promise<Float64Array | unknown> {
  await ready();
  const { model, how } = await localModel(w);
  const f = w.kind.framedOne(w.G as never, x, shape, w.tol);
  if (how.mode === 'invariant' && !how.batchModel) return (await averageInvariant(f, model as Model, { errors: 'throw' }))[0];
  return (await averageFlat(f, model, how, { errors: 'throw' })).data;
}

/**
 * Wrap `model` into an exactly G-equivariant function. Point sets: outputs have the
 * input's shape (n×d); graphs: node (n×k) or edge (n×n×k) outputs in the input's
 * vertex order.
 */
export function equivariant(G: string | Group | GraphGroup | PermutationGroup, model: ModelSource<Model>, options?: EquivariantOptions & { batchModel?: false }): EquivariantFn;
export function equivariant(G: string | Group | PermutationGroup, model: ModelSource<BatchModel>, options: EquivariantOptions & { batchModel: true }): EquivariantFn;
export function equivariant(G: string | Group | GraphGroup | PermutationGroup, model: ModelSource<Model | BatchModel>, options?: EquivariantOptions): EquivariantFn {
  const w = wrapper(G, model, options, 'equivariant');
  const one = (x: ArrayLike<number>, shape: Shape) => runOne(w, x, shape) as Promise<Float64Array>;
  return Object.assign(one, { batch: (batch: BatchInput | GraphBatchInput, o?: BatchCallOptions) => runBatch(w, batch, o) as Promise<EquivariantBatchResult> });
}

/**
 * Wrap `model` into an exactly G-invariant function: the model's output on the
 * canonical form. A batch model's outputs are Float64Arrays of its k values per input.
 */
export function invariant<T>(G: string | Group | GraphGroup | PermutationGroup, model: ModelSource<Model<T>>, options?: InvariantOptions & { batchModel?: false }): InvariantFn<T>;
export function invariant(G: string | Group | PermutationGroup, model: ModelSource<BatchModel>, options: InvariantOptions & { batchModel: true }): InvariantFn<Float64Array>;
export function invariant<T>(G: string | Group | GraphGroup | PermutationGroup, model: ModelSource<Model<T> | BatchModel>, options?: InvariantOptions): InvariantFn<T> {
  const w = wrapper(G, model, options, 'invariant');
  const one = (x: ArrayLike<number>, shape: Shape) => runOne(w, x, shape) as Promise<T>;
  return Object.assign(one, { batch: (batch: BatchInput | GraphBatchInput, o?: BatchCallOptions) => runBatch(w, batch, o) as Promise<InvariantBatchResult<T>> });
}
