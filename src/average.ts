/**
 * Frame averaging: wrap any model into an exactly equivariant or invariant one.
 *
 * The minimal frame of X is h·Stab(c) with c = h⁻¹·X, and every element g of it has
 * g⁻¹·X = c. So the model runs once per input, on c, and only its output is
 * averaged over Stab(c) — in closed form, inside the frame matrix (DESIGN.md §1):
 *   equivariant: ⟨f⟩(X) = h·R(f(c)),   invariant: ⟨f⟩(X) = f(c).
 */
import { group as parseGroup, pointGroup, isPermutationGroup, DEFAULT_TOL, type Group, type PermutationGroup } from './groups.js';
import { permutationFrame, type PermutationFrame } from './frames/permutation.js';
import { checkBatch, checkSingle, checkTol, type BatchInput } from './batch.js';
import { computeFrame, computeFrames, restoreOutputs, type FrameBatch, type OutputKind } from './frames/index.js';
import { checkErrorMode, type BatchResult, type ErrorMode } from './canonicalize.js';
import { describe, inputTypeError, modelError, optionError, optionRangeError, withBatchResult } from './errors.js';
import { ready } from './wasm/module.js';
import { frameRecords, type Engine, type RunOptions } from './engine/index.js';
import { permutationFrames, recordsInline } from './engine/records.js';

export interface Shape {
  n: number;
  d: number;
}

type Awaitable<T> = T | Promise<T>;
type Values = Float64Array | Float32Array | ArrayLike<number>;

/** A model on one input: n×d rows in, n×d rows out (equivariant) or anything (invariant). */
export type Model<T = Values> = (x: Float64Array, shape: Shape) => Awaitable<T>;

/** A model on a stacked batch: all canonical inputs in, all outputs out, same layout. */
export type BatchModel = (batch: { data: Float64Array; dim: number; offsets: Int32Array; count: number }) => Awaitable<Values>;

export interface AverageOptions {
  /** Relative tolerance for rank decisions (default 1e-9). */
  tol?: number;
  /** Compute batch frames on this engine's workers (default: on the calling thread). */
  engine?: Engine;
}

export interface EquivariantOptions extends AverageOptions {
  /** The model takes the whole stacked batch at once (a BatchModel), not one input. */
  batchModel?: boolean;
  /** 'vectors' (default): outputs rotate; 'points': they also translate (E, SE, Aff). */
  output?: OutputKind;
}

export interface BatchCallOptions extends RunOptions {
  errors?: ErrorMode;
}

export interface EquivariantBatchResult {
  data: Float64Array;
  dim: number;
  count: number;
  offsets: Int32Array;
  errors: (Error | null)[];
  /** Per-input warnings of the frames (see FrameBatch.warnings), when any family gives them. */
  warnings?: (string | null)[];
}

export interface EquivariantFn {
  (x: Float64Array | Float32Array, shape: Shape): Promise<Float64Array>;
  batch(batch: BatchInput, options?: BatchCallOptions): Promise<EquivariantBatchResult>;
}

export interface InvariantFn<T> {
  (x: Float64Array | Float32Array, shape: Shape): Promise<T>;
  batch(batch: BatchInput, options?: BatchCallOptions): Promise<{ outputs: (T | undefined)[]; count: number; errors: (Error | null)[]; warnings?: (string | null)[] }>;
}

function checkModel(model: unknown): void {
  if (typeof model !== 'function') throw optionError(`the model must be a function, got ${describe(model)}`);
}

function checkOutput(kind: unknown): OutputKind {
  if (kind === undefined) return 'vectors';
  if (kind !== 'vectors' && kind !== 'points') throw optionRangeError(`output must be 'vectors' or 'points', got ${String(kind)}`);
  return kind;
}

/** Model output for input i as f64, checked against the expected length. */
function outputValues(y: unknown, expected: number, i: number, complex = false): ArrayLike<number> {
  const ok = y instanceof Float64Array || y instanceof Float32Array || Array.isArray(y);
  if (!ok) throw inputTypeError(i, `the model must return a Float64Array, Float32Array or number[], got ${describe(y)}`);
  const v = y as ArrayLike<number>;
  if (v.length !== expected) throw inputTypeError(i, `the model returned ${v.length} values, expected n×d${complex ? '×2 (complex)' : ''} = ${expected}`);
  return v;
}

/** Run the model on input i's canonical form; its failures name the input. */
async function callModel<T>(model: Model<T>, c: Float64Array, n: number, d: number, i: number): Promise<T> {
  try {
    return await model(c, { n, d });
  } catch (e) {
    throw modelError(i, e);
  }
}

async function frameBatch(G: Group, batch: BatchInput, tol: number, engine: Engine | undefined, options: BatchCallOptions): Promise<BatchResult> {
  if (engine) return engine.canonicalize(G, batch, { ...options, tol, errors: 'status' });
  await ready();
  const b = checkBatch(G, batch);
  const r = { ...computeFrames(G, b, tol), errors: b.errors };
  options.onProgress?.(r.count, r.count);
  return r;
}

/** The valid inputs' canonical forms stacked for a BatchModel, with their batch indices. */
function stackValid(f: BatchResult, rowLen: number): { data: Float64Array; offsets: Int32Array; index: number[] } {
  const index: number[] = [];
  for (let i = 0; i < f.count; i++) if (!f.errors[i]) index.push(i);
  if (index.length === f.count) return { data: f.canonical, offsets: f.offsets, index };
  const offsets = new Int32Array(index.length + 1);
  index.forEach((i, j) => (offsets[j + 1] = offsets[j] + f.offsets[i + 1] - f.offsets[i]));
  const data = new Float64Array(offsets[index.length] * rowLen);
  index.forEach((i, j) => data.set(f.canonical.subarray(f.offsets[i] * rowLen, f.offsets[i + 1] * rowLen), offsets[j] * rowLen));
  return { data, offsets, index };
}

/**
 * Call `call(i)` for every input i without an error yet, in order, honouring the
 * signal; in 'status' mode a failing input's error is recorded in `errors` (which
 * is updated in place), in 'throw' mode it propagates.
 */
async function eachInput<T>(errors: (Error | null)[], mode: ErrorMode, signal: AbortSignal | undefined, call: (i: number) => Promise<T>, onDone?: (i: number) => void): Promise<(T | undefined)[]> {
  const outputs: (T | undefined)[] = new Array(errors.length).fill(undefined);
  for (let i = 0; i < errors.length; i++) {
    if (errors[i]) continue;
    signal?.throwIfAborted();
    try {
      outputs[i] = await call(i);
    } catch (e) {
      if (mode === 'throw') throw e;
      errors[i] = e as Error;
    }
    onDone?.(i);
  }
  return outputs;
}

/** In 'throw' mode, the first input error, carrying every error and the whole result; else the result. */
function settleBatch<R extends object>(result: R, errors: (Error | null)[], mode: ErrorMode): R {
  const bad = errors.filter((e): e is Error => e !== null);
  if (mode === 'throw' && bad.length > 0) throw withBatchResult(bad[0], bad, result);
  return result;
}

/**
 * Wrap `model` into an exactly G-equivariant function. Outputs have the input's
 * shape (n×d); `output: 'points'` adds the translation back for E(d)/SE(d)/Aff(d).
 */
export function equivariant(G: string | Group, model: Model, options?: EquivariantOptions & { batchModel?: false }): EquivariantFn;
export function equivariant(G: string | Group, model: BatchModel, options: EquivariantOptions & { batchModel: true }): EquivariantFn;
export function equivariant(G: string | Group, model: Model | BatchModel, options: EquivariantOptions = {}): EquivariantFn {
  const parsed = parseGroup(G as string) as Group | PermutationGroup;
  if (isPermutationGroup(parsed)) {
    checkModel(model);
    const kind = checkOutput(options.output);
    const tol = checkTol(options.tol, DEFAULT_TOL);
    return permutationEquivariant(parsed, tol, options.engine, async (fr, i) => fr.averageRows(outputValues(await callModel(model as Model, fr.canonical, fr.n, fr.d, i), fr.n * fr.d, i), kind));
  }
  const g = pointGroup(G, 'equivariant()');
  checkModel(model);
  const kind = checkOutput(options.output);
  const tol = checkTol(options.tol, DEFAULT_TOL);
  const rowLen = g.d * g.width;

  const one = async (x: Float64Array | Float32Array, shape: Shape): Promise<Float64Array> => {
    await ready();
    const b = checkSingle(g, x, shape);
    const f = computeFrame(g, b, tol);
    const n = shape.n;
    const y = options.batchModel
      ? await (model as BatchModel)({ data: f.canonical, dim: g.d, offsets: f.offsets, count: 1 })
      : await (model as Model)(f.canonical, { n, d: g.d });
    return restoreOutputs(g, f, Float64Array.from(outputValues(y, n * rowLen, 0, g.width === 2)), kind);
  };

  const batch = async (input: BatchInput, opts: BatchCallOptions = {}): Promise<EquivariantBatchResult> => {
    const mode = checkErrorMode(opts.errors);
    const f = await frameBatch(g, input, tol, options.engine, opts);
    const errors = f.errors.slice();
    const y = new Float64Array(f.canonical.length).fill(NaN);
    if (options.batchModel) {
      const s = stackValid(f, rowLen);
      const out = outputValues(await (model as BatchModel)({ data: s.data, dim: g.d, offsets: s.offsets, count: s.index.length }), s.data.length, s.index[0] ?? 0, g.width === 2);
      s.index.forEach((i, j) => y.set(Array.prototype.slice.call(out, s.offsets[j] * rowLen, s.offsets[j + 1] * rowLen), f.offsets[i] * rowLen));
    } else {
      await eachInput(errors, mode, opts.signal, async (i) => {
        const lo = f.offsets[i] * rowLen;
        const hi = f.offsets[i + 1] * rowLen;
        const n = f.offsets[i + 1] - f.offsets[i];
        y.set(outputValues(await callModel(model as Model, f.canonical.slice(lo, hi), n, g.d, i), hi - lo, i, g.width === 2), lo);
      });
    }
    const data = restoreOutputs(g, f as FrameBatch, y, kind);
    const result: EquivariantBatchResult = { data, dim: g.d, count: f.count, offsets: f.offsets, errors };
    if (f.warnings) result.warnings = f.warnings;
    return settleBatch(result, errors, mode);
  };

  return Object.assign(one, { batch });
}

/** Wrap `model` into an exactly G-invariant function: the model's output on c. */
export function invariant<T>(G: string | Group, model: Model<T>, options: AverageOptions = {}): InvariantFn<T> {
  const parsed = parseGroup(G as string) as Group | PermutationGroup;
  if (isPermutationGroup(parsed)) {
    checkModel(model);
    return permutationInvariant(parsed, checkTol(options.tol, DEFAULT_TOL), options.engine, (fr, i) => callModel(model, fr.canonical, fr.n, fr.d, i));
  }
  const g = pointGroup(G, 'invariant()');
  checkModel(model);
  const tol = checkTol(options.tol, DEFAULT_TOL);
  const rowLen = g.d * g.width;

  const one = async (x: Float64Array | Float32Array, shape: Shape): Promise<T> => {
    await ready();
    const f = computeFrame(g, checkSingle(g, x, shape), tol);
    return model(f.canonical, { n: shape.n, d: g.d });
  };

  const batch = async (input: BatchInput, opts: BatchCallOptions = {}) => {
    const mode = checkErrorMode(opts.errors);
    const f = await frameBatch(g, input, tol, options.engine, opts);
    const errors = f.errors.slice();
    const outputs = await eachInput(errors, mode, opts.signal, (i) =>
      callModel(model, f.canonical.slice(f.offsets[i] * rowLen, f.offsets[i + 1] * rowLen), f.offsets[i + 1] - f.offsets[i], g.d, i));
    const result: { outputs: (T | undefined)[]; count: number; errors: (Error | null)[]; warnings?: (string | null)[] } = { outputs, count: f.count, errors };
    if (f.warnings) result.warnings = f.warnings;
    return settleBatch(result, errors, mode);
  };

  return Object.assign(one, { batch });
}

/**
 * S(n) and S(n) x G: every input's frame (src/frames/permutation.ts) — on the
 * engine's workers when there is one, else on the calling thread, with the same
 * bits either way — then `finish` runs the model once per input on c and averages
 * over the stabilizer, on the calling thread.
 */
function permutationAveraging<T>(G: PermutationGroup, tol: number, engine: Engine | undefined, finish: (fr: PermutationFrame, input: number) => Promise<T>) {
  const one = async (x: Float64Array | Float32Array, shape: Shape): Promise<T> => {
    await ready();
    return finish(permutationFrame(G, x, shape, { tol }), 0);
  };
  /** Each input's output (undefined where it failed) with per-input errors. */
  const each = async (input: BatchInput, opts: BatchCallOptions) => {
    const mode = checkErrorMode(opts.errors);
    await ready();
    const { b, records } = engine ? await frameRecords(engine, G, input, { tol, signal: opts.signal }) : recordsInline(G, input, tol);
    const { frames, errors } = permutationFrames(b, records);
    const count = frames.length;
    // an input without a frame has its error already
    const outputs = await eachInput(errors, mode, opts.signal, (i) => finish(frames[i]!, i), (i) => opts.onProgress?.(i + 1, count));
    return { b, count, outputs, errors, mode };
  };
  return { one, each };
}

/** S(n) and S(n) x G equivariant functions: outputs stacked like the input rows. */
function permutationEquivariant(G: PermutationGroup, tol: number, engine: Engine | undefined, finish: (fr: PermutationFrame, input: number) => Promise<Float64Array>): EquivariantFn {
  const { one, each } = permutationAveraging(G, tol, engine, finish);
  const batch = async (input: BatchInput, opts: BatchCallOptions = {}): Promise<EquivariantBatchResult> => {
    const { b, count, outputs, errors, mode } = await each(input, opts);
    const data = new Float64Array(b.data.length).fill(NaN);
    outputs.forEach((y, i) => y && data.set(y, b.offsets[i] * b.dim));
    return settleBatch({ data, dim: b.dim, count, offsets: b.offsets, errors }, errors, mode);
  };
  return Object.assign(one, { batch });
}

/** S(n) and S(n) x G invariant functions. */
function permutationInvariant<T>(G: PermutationGroup, tol: number, engine: Engine | undefined, finish: (fr: PermutationFrame, input: number) => Promise<T>): InvariantFn<T> {
  const { one, each } = permutationAveraging(G, tol, engine, finish);
  const batch = async (input: BatchInput, opts: BatchCallOptions = {}) => {
    const { count, outputs, errors, mode } = await each(input, opts);
    return settleBatch({ outputs, count, errors }, errors, mode);
  };
  return Object.assign(one, { batch });
}
