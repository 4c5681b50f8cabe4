/**
 * Frame averaging: wrap any model into an exactly equivariant or invariant one.
 *
 * The minimal frame of X is h·Stab(c) with c = h⁻¹·X, and every element g of it has
 * g⁻¹·X = c. So the model runs once per input, on c, and only its output is
 * averaged over Stab(c) — in closed form, inside the frame matrix (DESIGN.md §1):
 *   equivariant: ⟨f⟩(X) = h·R(f(c)),   invariant: ⟨f⟩(X) = f(c).
 */
import { group as parseGroup, pointGroup, isPermutationGroup, DEFAULT_TOL, type Group, type PermutationGroup } from './groups.js';
import { permutationFrame, restorePermutationOutputs } from './frames/permutation.js';
import { checkShape, checkSingle, checkTol, type BatchInput } from './batch.js';
import { computeFrame, computeFrames, restoreOutputs, type OutputKind } from './frames/index.js';
import { checkErrorMode, type ErrorMode } from './canonicalize.js';
import { describe, inputTypeError, modelError, optionError, optionRangeError, withBatchResult } from './errors.js';
import { ready } from './wasm/module.js';
import { frameRecords, type Engine, type RunOptions } from './engine/index.js';
import { permutationBatch, recordsInline } from './engine/records.js';

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

/**
 * What the averaging wrappers need of a batch's frames, for every kind of group:
 * the canonical forms (rows of rowLen values, laid out by offsets), per-input errors
 * and warnings, and the map of model outputs on the canonical forms back to the
 * inputs (averaged over each stabilizer). A single input is a batch of one.
 */
interface Framed {
  canonical: Float64Array;
  offsets: Int32Array;
  count: number;
  errors: (Error | null)[];
  warnings?: (string | null)[];
  restore(y: Float64Array, kind: OutputKind): Float64Array;
}

/** How a group's frames are computed for the wrappers: one input, or a batch (on `engine` when given). */
interface Framing {
  /** Rows hold complex values (2 per coordinate). */
  complex: boolean;
  one(x: Float64Array | Float32Array, shape: Shape): Framed;
  batch(input: BatchInput, options: BatchCallOptions): Promise<Framed>;
}

function framing(G: string | Group, options: AverageOptions, caller: string): Framing {
  const parsed = parseGroup(G as string) as Group | PermutationGroup;
  const g = isPermutationGroup(parsed) ? parsed : pointGroup(G, caller);
  const tol = checkTol(options.tol, DEFAULT_TOL);
  const engine = options.engine;
  if (isPermutationGroup(g)) return permutationFraming(g, tol, engine);
  return {
    complex: g.width === 2,
    one(x, shape) {
      const f = computeFrame(g, checkSingle(g, x, shape), tol);
      return { ...f, errors: [null], restore: (y, kind) => restoreOutputs(g, f, y, kind) };
    },
    async batch(input, options) {
      let f;
      if (engine) f = await engine.canonicalize(g, input, { ...options, tol, errors: 'status' });
      else {
        await ready();
        const b = checkShape(g, input); // values are checked as the frames copy them in
        f = { ...computeFrames(g, b, tol), errors: b.errors };
        options.onProgress?.(f.count, f.count);
      }
      return { ...f, restore: (y, kind) => restoreOutputs(g, f, y, kind) };
    },
  };
}

/**
 * S(n) and S(n) x G (src/frames/permutation.ts): frames on the engine's workers
 * when there is one, else on the calling thread, with the same bits either way;
 * outputs are averaged over the stabilizers on the calling thread.
 */
function permutationFraming(G: PermutationGroup, tol: number, engine: Engine | undefined): Framing {
  return {
    complex: false,
    one(x, shape) {
      const fr = permutationFrame(G, x, shape, { tol });
      return { canonical: fr.canonical, offsets: Int32Array.of(0, fr.n), count: 1, errors: [null], restore: (y, kind) => fr.averageRows(y, kind) };
    },
    async batch(input, options) {
      await ready();
      const { b, parts } = engine ? await frameRecords(engine, G, input, { tol, signal: options.signal, onProgress: options.onProgress }) : recordsInline(G, input, tol);
      const { frames, errors } = permutationBatch(b, parts);
      if (!engine) options.onProgress?.(frames.count, frames.count);
      return { canonical: frames.canonical, offsets: frames.offsets, count: frames.count, errors, restore: (y, kind) => restorePermutationOutputs(G, frames, y, kind) };
    },
  };
}

/** The valid inputs' canonical forms stacked for a BatchModel, with their batch indices. */
function stackValid(f: Framed, rowLen: number): { data: Float64Array; offsets: Int32Array; index: number[] } {
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
async function eachInput<T>(errors: (Error | null)[], mode: ErrorMode, signal: AbortSignal | undefined, call: (i: number) => Promise<T>): Promise<(T | undefined)[]> {
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
 * shape (n×d); `output: 'points'` adds the translation back for E(d)/SE(d)/Aff(d)
 * and the groups S(n) x E(d), S(n) x SE(d).
 */
export function equivariant(G: string | Group, model: Model, options?: EquivariantOptions & { batchModel?: false }): EquivariantFn;
export function equivariant(G: string | Group, model: BatchModel, options: EquivariantOptions & { batchModel: true }): EquivariantFn;
export function equivariant(G: string | Group, model: Model | BatchModel, options: EquivariantOptions = {}): EquivariantFn {
  const fr = framing(G, options, 'equivariant()');
  checkModel(model);
  const kind = checkOutput(options.output);

  const one = async (x: Float64Array | Float32Array, shape: Shape): Promise<Float64Array> => {
    await ready();
    const f = fr.one(x, shape);
    const { n, d } = shape;
    const y = options.batchModel
      ? await (model as BatchModel)({ data: f.canonical, dim: d, offsets: f.offsets, count: 1 })
      : await (model as Model)(f.canonical, { n, d });
    return f.restore(Float64Array.from(outputValues(y, f.canonical.length, 0, fr.complex)), kind);
  };

  const batch = async (input: BatchInput, opts: BatchCallOptions = {}): Promise<EquivariantBatchResult> => {
    const mode = checkErrorMode(opts.errors);
    const f = await fr.batch(input, opts);
    const d = input.dim;
    const rowLen = d * (fr.complex ? 2 : 1);
    const errors = f.errors.slice();
    const y = new Float64Array(f.canonical.length).fill(NaN);
    if (options.batchModel) {
      const s = stackValid(f, rowLen);
      const out = outputValues(await (model as BatchModel)({ data: s.data, dim: d, offsets: s.offsets, count: s.index.length }), s.data.length, s.index[0] ?? 0, fr.complex);
      s.index.forEach((i, j) => y.set(Array.prototype.slice.call(out, s.offsets[j] * rowLen, s.offsets[j + 1] * rowLen), f.offsets[i] * rowLen));
    } else {
      await eachInput(errors, mode, opts.signal, async (i) => {
        const lo = f.offsets[i] * rowLen;
        const hi = f.offsets[i + 1] * rowLen;
        const n = f.offsets[i + 1] - f.offsets[i];
        y.set(outputValues(await callModel(model as Model, f.canonical.slice(lo, hi), n, d, i), hi - lo, i, fr.complex), lo);
      });
    }
    const result: EquivariantBatchResult = { data: f.restore(y, kind), dim: d, count: f.count, offsets: f.offsets, errors };
    if (f.warnings) result.warnings = f.warnings;
    return settleBatch(result, errors, mode);
  };

  return Object.assign(one, { batch });
}

/** Wrap `model` into an exactly G-invariant function: the model's output on c. */
export function invariant<T>(G: string | Group, model: Model<T>, options: AverageOptions = {}): InvariantFn<T> {
  const fr = framing(G, options, 'invariant()');
  checkModel(model);

  const one = async (x: Float64Array | Float32Array, shape: Shape): Promise<T> => {
    await ready();
    return model(fr.one(x, shape).canonical, { n: shape.n, d: shape.d });
  };

  const batch = async (input: BatchInput, opts: BatchCallOptions = {}) => {
    const mode = checkErrorMode(opts.errors);
    const f = await fr.batch(input, opts);
    const d = input.dim;
    const rowLen = d * (fr.complex ? 2 : 1);
    const errors = f.errors.slice();
    const outputs = await eachInput(errors, mode, opts.signal, (i) =>
      callModel(model, f.canonical.slice(f.offsets[i] * rowLen, f.offsets[i + 1] * rowLen), f.offsets[i + 1] - f.offsets[i], d, i));
    const result: { outputs: (T | undefined)[]; count: number; errors: (Error | null)[]; warnings?: (string | null)[] } = { outputs, count: f.count, errors };
    if (f.warnings) result.warnings = f.warnings;
    return settleBatch(result, errors, mode);
  };

  return Object.assign(one, { batch });
}
