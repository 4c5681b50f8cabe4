/**
 * The contract between the kinds of input and the engine.
 *
 * A kind (points.ts: the point groups; permutation.ts: S(n) and S(n) x G;
 * graph.ts: 'graph' and 'weighted-graph') owns everything that depends on what an
 * input is: its checks on the calling thread, its worker task, the assembly of its
 * batch result, its single-input form and its averaging. The engine (src/engine/)
 * only plans chunks, schedules tasks on a pool and merges replies through a `Job`;
 * it knows no kind by name. canonicalizeBatch runs the same job inline, in one chunk.
 * This module must stay free of Node and DOM APIs: workers of both kinds import it.
 */
import type { Kernels } from '../wasm/module.js';
import { describe, internalError, optionError, optionRangeError, withBatchResult } from '../errors.js';

/**
 * How a task's data reaches the code that runs it:
 * - 'local':    the calling thread itself (plain buffers, written in place);
 * - 'shared':   workers see the whole batch in SharedArrayBuffers (written in place);
 * - 'transfer': each task carries its own copy of its chunk, and the worker transfers
 *               the results back.
 */
export type Memory = 'local' | 'shared' | 'transfer';

/** A chunk of work for one worker: plain, cloneable data; `kind` names the kind that runs it. */
export interface Task {
  readonly kind: string;
}

/** Where a job's staged data may live: a shared buffer the engine may reuse across calls. */
export interface Staging {
  memory: Memory;
  /** A SharedArrayBuffer of at least `bytes` (memory 'shared' only). */
  shared(bytes: number): SharedArrayBuffer;
}

/**
 * One batch call, as the engine runs it: `task(first, end)` for each chunk of whole
 * inputs, `merge` of each reply, then `finish` once every chunk has merged.
 */
export interface Job<R> {
  /** Inputs of the batch. */
  readonly count: number;
  /**
   * Cumulative work before input i (0 ≤ i ≤ count; work(0) = 0): what chunks are
   * balanced by (values of rows, adjacency entries, …, plus a fixed cost per input).
   * A function, not an array, so a huge batch does not pay memory for it.
   */
  work(i: number): number;
  /**
   * Chunks per thread the engine aims for (default 4, src/engine/index.ts): more
   * for a job whose cost per value of work is unknown and large (a model running on
   * the workers), so that the last chunks are short and the threads finish together.
   */
  readonly chunksPerThread?: number;
  /** The task of inputs first .. end−1 (staging their data where the pool needs it). */
  task(first: number, end: number): Task;
  /** Take the reply of the task of inputs first .. end−1. */
  merge(reply: unknown, first: number, end: number): void;
  /** The result, once every chunk has merged. */
  finish(): R;
}

/**
 * Run a job on the calling thread in one chunk (canonicalizeBatch, and wrappers
 * without an engine): the same task code as the workers, so the same bits.
 */
export function runInline<R>(job: Job<R>, run: (task: Task, k: Kernels) => unknown, k: Kernels): R {
  if (job.count > 0) job.merge(run(job.task(0, job.count), k), 0, job.count);
  return job.finish();
}

/** Staging for jobs that run on the calling thread: every buffer is read in place. */
export const LOCAL: Staging = {
  memory: 'local',
  shared: () => {
    throw internalError('a job on the calling thread asked for a shared buffer');
  },
};

export interface RunOptions {
  /** Cancels the call: it rejects with an AbortError, queued chunks are dropped and running ones stopped. */
  signal?: AbortSignal;
  /** Called after each chunk with the inputs done so far and the batch's count; last with (count, count). */
  onProgress?: (done: number, total: number) => void;
}

/** A job's maker, given where its staged data may live. */
export type JobFactory<R> = (staging: Staging) => Job<R>;

/**
 * The engine's side of the contract: an engine from createEngine() runs any kind's
 * job on its pool. Keyed by a symbol so it stays out of the public Engine type.
 */
export const runJob: unique symbol = Symbol('minframe.runJob');

export interface JobEngine {
  [runJob]<R>(make: JobFactory<R>, options: RunOptions): Promise<R>;
}

export function isJobEngine(engine: unknown): engine is JobEngine {
  return typeof engine === 'object' && engine !== null && typeof (engine as Partial<JobEngine>)[runJob] === 'function';
}

/** How a batch call reports bad inputs: 'throw' (default) or 'status' (in `result.errors`). */
export type ErrorMode = 'throw' | 'status';

export function checkErrorMode(mode: unknown): ErrorMode {
  if (mode === undefined) return 'throw';
  if (mode !== 'throw' && mode !== 'status') throw optionRangeError(`errors must be 'throw' or 'status', got ${String(mode)}`);
  return mode;
}

/**
 * In 'throw' mode, a batch with bad inputs throws the first input's own error,
 * carrying `.errors` (every bad input) and `.result` (the whole batch): nothing
 * computed is lost. Otherwise the result is handed back.
 */
export function settle<R extends { errors: (Error | null)[] }>(result: R, mode: ErrorMode): R {
  // (`some` stops at the first error: most batches have none, and filter would copy them all)
  if (mode === 'throw' && result.errors.some((e) => e !== null)) {
    const bad = result.errors.filter((e): e is Error => e !== null);
    throw withBatchResult(bad[0], bad, result);
  }
  return result;
}

/** Whether `buffer` is shared memory (never transferred: every thread reads it in place). */
export const isShared = (buffer: ArrayBufferLike): boolean => typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;

/** What a model's outputs are, so the wrappers know how they transform. */
export type OutputKind = 'vectors' | 'points' | 'nodes' | 'edges';

/**
 * A model's view of one input: its canonical form and its shape, { n, d } for point
 * sets; for graphs { n, d: n } (the n×n canonical adjacency) and, when the graph has
 * them, the canonical vertex colours.
 */
export interface ModelInput {
  x: Float64Array;
  shape: { n: number; d: number; colors?: Float64Array };
}

/**
 * Values from .. to−1 of `a` as a view, for a model's input. The constructor on the
 * buffer, not subarray: subarray looks up the species constructor, which in V8 costs
 * twice as much, and a batch of small inputs makes one view per model call.
 */
export function view(a: Float64Array, from: number, to: number): Float64Array {
  return new Float64Array(a.buffer, a.byteOffset + from * 8, to - from);
}

/** Canonical inputs stacked for a batch model: `count` inputs of `dim` values per row, rows by `offsets`. */
export interface StackedBatch {
  data: Float64Array;
  dim: number;
  offsets: Int32Array;
  count: number;
}

/**
 * A batch's frames as the averaging wrappers use them, for every kind: the model's
 * input per input (views, never copies), per-input errors and warnings, and the map
 * of the model's outputs on the canonical forms back to the inputs, averaged over
 * each stabilizer. Outputs are laid out flat: input i's `items(i, output)` items of
 * `width` values each, inputs back to back.
 */
export interface Framed {
  readonly count: number;
  /** The dimension d of the input's points (null for graphs). */
  readonly dim: number | null;
  readonly errors: (Error | null)[];
  readonly warnings: (string | null)[];
  /** The model's j-th input for input i (j < calls(i)). */
  input(i: number, j?: number): ModelInput;
  /**
   * Model calls input i needs: 1 for minimal frames (the model runs once, on c), |F|
   * for the baselines (once per frame element); absent means 1. The model's outputs
   * go to `restore` call by call: input i's calls(i) outputs, then input i+1's.
   */
  calls?(i: number): number;
  /** Every model input stacked for a batch model, in call order (invalid inputs hold NaN). */
  stacked(): StackedBatch;
  /** Items (rows, vertices or vertex pairs) of input i's output of this kind. */
  items(i: number, output: OutputKind): number;
  /** The items' count+1 offsets, where the frames hold them already (the point groups' rows); else they are summed from `items`. */
  itemOffsets?(output: OutputKind): Int32Array;
  /**
   * The width of each item the output kind requires (the row length for the point
   * groups), or null when the model chooses it (S(n) alone, graphs).
   */
  width(output: OutputKind): number | null;
  /** y (canonical order) averaged over each stabilizer and mapped back, into `out`; bad inputs give NaN. */
  restore(y: Float64Array, width: number, output: OutputKind, out: Float64Array): void;
  /** Arrays of these frames a later job of the same wrapper may overwrite instead of allocating (Kind.framed's `reuse`). */
  readonly reusable?: unknown;
}

/**
 * A batch cut into chunks of its own inputs, for tasks that run the whole pipeline
 * on a worker (module models): the shape is checked on the calling thread, and each
 * chunk is a batch input of the same kind (its own copy, or a view on shared memory).
 */
export interface Slicer {
  readonly count: number;
  /** Cumulative work (see Job.work). */
  work(i: number): number;
  /** Items of input i's output of this kind (see Framed.items). */
  items(i: number, output: OutputKind): number;
  /** The width of each item the output kind requires, or null when the model chooses it (see Framed.width). */
  width(output: OutputKind): number | null;
  /** Inputs first .. end−1 as a batch of their own. */
  slice(first: number, end: number): unknown;
  /** The chunk from `first` has its reply: what its slice staged may be reused. */
  done(first: number): void;
}

/** Check a call's signal and progress callback. */
export function checkRun(options: RunOptions): RunOptions {
  const { signal, onProgress } = options;
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && 'aborted' in signal && typeof signal.addEventListener === 'function')) {
    throw optionError(`signal must be an AbortSignal, got ${describe(signal)}`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') throw optionError(`onProgress must be a function, got ${describe(onProgress)}`);
  return { signal, onProgress };
}
