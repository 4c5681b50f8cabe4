/**
 * The engine: canonicalize large batches inline or on a pool of worker threads
 * (DESIGN.md §6).
 *
 * A call checks the batch's shape on the calling thread (inputs of a bad shape
 * never reach a worker), splits it into chunks of whole inputs (planChunks), runs
 * each chunk as one task on the pool, and assembles one result: a BatchResult for
 * the point groups (task.ts), a GraphBatchResult or PermutationBatchResult for
 * graphs and S(n) (x G) (records.ts). Every input's frame is computed alone by the
 * same code, so the result is bit-identical to canonicalizeBatch whatever the
 * thread count and chunking.
 */
import { group as parseGroup, pointGroup, isGraphGroup, isPermutationGroup, DEFAULT_TOL, type Group, type GraphGroup, type PermutationGroup, type PermutationSpec } from '../groups.js';
import { checkShape, checkTol, type BatchInput } from '../batch.js';
import { checkErrorMode, settle, type BatchOptions, type BatchResult } from '../canonicalize.js';
import { abortError, describe, engineClosedError, optionError, optionRangeError, WorkerFailedError } from '../errors.js';
import { ready } from '../wasm/module.js';
import { applyStatus, type FrameBatch } from '../frames/index.js';
import { inlinePool, type Pool } from './pool.js';
// The browser bundle swaps this import for pool.browser.ts (scripts/bundle.mjs).
import { createPool, defaultThreads } from './pool.node.js';
import { batchIO, chunkIO, mergeChunk, stageRows, type BatchIO, type Task } from './task.js';
import { checkRecordBatch, recordResult, recordTask, type RecordBatch, type GraphBatchInput, type GraphBatchResult, type Parts, type PermutationBatchResult, type Reply } from './records.js';

export interface EngineOptions {
  /**
   * Worker threads: 0 runs every task on the calling thread (no workers). Default:
   * one per core (os.availableParallelism() in Node, navigator.hardwareConcurrency
   * in browsers).
   */
  threads?: number;
  /**
   * Inputs per chunk (one task). Default: chosen per call from the batch's size:
   * about 4 chunks per thread to balance the load, each between 2^15 and 2^21
   * values of work (about 9700 SO(3) sets of 64 points at most) so that a task's
   * fixed cost stays small: handing a task to a worker and its reply back costs
   * about 0.2 ms on a 2-core VM (each wakes a sleeping thread). A graph counts its n² adjacency
   * values, a point set under S(n) (x G) its n·d values.
   */
  chunkSize?: number;
}

export interface RunOptions {
  /** Cancels the call: it rejects with an AbortError, queued chunks are dropped and running ones stopped. */
  signal?: AbortSignal;
  /** Called after each chunk with the inputs done so far and the batch's count; last with (count, count). */
  onProgress?: (done: number, total: number) => void;
}

/** `into` (BatchOptions): with a pool in Node, only arrays on SharedArrayBuffers are reused, as the engine's own results are. */
export interface EngineCallOptions extends BatchOptions, RunOptions {}

export interface Engine {
  /** Worker threads of this engine (0: inline). */
  readonly threads: number;
  /**
   * Frames of a batch, as canonicalizeBatch computes them (bit for bit). Rejects with
   * the first bad input's error in `errors: 'throw'` mode (carrying `.errors` and
   * `.result`), a WorkerFailedError naming the inputs of a chunk whose worker failed,
   * an AbortError when `signal` aborts, or an error when the engine is closed.
   * With shared memory (Node; cross-origin isolated pages) the result's arrays are
   * views on SharedArrayBuffers, and rows already in a SharedArrayBuffer are read in
   * place (leave them unchanged until the call settles); other rows are copied once,
   * into a buffer the engine keeps for its next call.
   */
  canonicalize(G: string | Group, batch: BatchInput, options?: EngineCallOptions): Promise<BatchResult>;
  /**
   * Graph frames of a batch of adjacency blocks (GraphBatchInput), as
   * canonicalizeBatch computes them (bit for bit), whole graphs per chunk. Results
   * are plain arrays (`into` does not apply); errors as for point groups.
   */
  canonicalize(G: 'graph' | 'weighted-graph' | GraphGroup, batch: GraphBatchInput, options?: EngineCallOptions): Promise<GraphBatchResult>;
  /** S(n) and S(n) x G frames of a batch of point sets, as canonicalizeBatch computes them (bit for bit). */
  canonicalize(G: PermutationSpec | PermutationGroup, batch: BatchInput, options?: EngineCallOptions): Promise<PermutationBatchResult>;
  /** Stop the workers and drop the kept buffer. Calls still running reject; later calls reject. Idempotent. */
  close(): Promise<void>;
}

/** Chunk sizes, in values of work: an input's rows, plus 8 rows for its fixed per-input work. */
const MIN_CHUNK_WORK = 1 << 15;
const MAX_CHUNK_WORK = 1 << 21;
const INPUT_WORK_ROWS = 8;
/** Chunks per thread: more than one, so a thread that finishes early takes another. */
const CHUNKS_PER_THREAD = 4;
/**
 * Tasks handed to the pool per thread: 2, so a worker that finishes one finds the
 * next already queued (and its rows already staged) instead of waiting for this
 * thread's turn of the event loop.
 */
const IN_FLIGHT_PER_THREAD = 2;

/**
 * Where chunks start: bounds[j] .. bounds[j+1]-1 are the inputs of chunk j, and the
 * last bound is the batch's count (a batch of 0 inputs has no chunks). With
 * `chunkSize`, every chunk has that many inputs (the last the rest); otherwise
 * chunks hold about equal work, clamped to [MIN_CHUNK_WORK, MAX_CHUNK_WORK].
 */
export function planChunks(offsets: Int32Array, rowLen: number, threads: number, chunkSize?: number): number[] {
  const count = offsets.length - 1;
  const bounds = [0];
  if (chunkSize !== undefined) {
    for (let i = chunkSize; i < count; i += chunkSize) bounds.push(i);
  } else {
    const total = (offsets[count] + INPUT_WORK_ROWS * count) * rowLen;
    const target = threads === 0 ? MAX_CHUNK_WORK : Math.min(MAX_CHUNK_WORK, Math.max(MIN_CHUNK_WORK, total / (threads * CHUNKS_PER_THREAD)));
    let work = 0;
    for (let i = 0; i + 1 < count; i++) {
      work += (offsets[i + 1] - offsets[i] + INPUT_WORK_ROWS) * rowLen;
      if (work >= target) {
        bounds.push(i + 1);
        work = 0;
      }
    }
  }
  if (count > 0) bounds.push(count);
  return bounds;
}

function checkRunOptions(options: EngineCallOptions): RunOptions {
  const { signal, onProgress } = options;
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && 'aborted' in signal && typeof signal.addEventListener === 'function')) {
    throw optionError(`signal must be an AbortSignal, got ${describe(signal)}`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') throw optionError(`onProgress must be a function, got ${describe(onProgress)}`);
  return { signal, onProgress };
}

class PoolEngine implements Engine {
  private closing: Promise<void> | null = null;
  /** Each running call's own AbortController: the caller's signal and close() abort it. */
  private readonly calls = new Set<AbortController>();
  /**
   * The shared rows buffer of a finished call, kept for the next one: pages touched
   * for the first time are expensive (page faults), and a stream of batches reuses
   * the same ones. Held by one call at a time; close() drops it.
   */
  private spare: SharedArrayBuffer | null = null;

  constructor(private readonly pool: Pool, private readonly chunkSize: number | undefined) {}

  get threads(): number {
    return this.pool.threads;
  }

  canonicalize(G: 'graph' | 'weighted-graph' | GraphGroup, batch: GraphBatchInput, options?: EngineCallOptions): Promise<GraphBatchResult>;
  canonicalize(G: PermutationSpec | PermutationGroup, batch: BatchInput, options?: EngineCallOptions): Promise<PermutationBatchResult>;
  canonicalize(G: string | Group, batch: BatchInput, options?: EngineCallOptions): Promise<BatchResult>;
  async canonicalize(G: string | Group | GraphGroup | PermutationGroup, batch: BatchInput | GraphBatchInput, options: EngineCallOptions = {}): Promise<BatchResult | GraphBatchResult | PermutationBatchResult> {
    if (this.closing) throw engineClosedError();
    const parsed = parseGroup(G as string) as Group | GraphGroup | PermutationGroup;
    if (isGraphGroup(parsed) || isPermutationGroup(parsed)) return this.records(parsed, batch, options);
    const g = pointGroup(parsed, 'engine.canonicalize()');
    const tol = checkTol(options.tol, DEFAULT_TOL);
    const mode = checkErrorMode(options.errors);
    const run = checkRunOptions(options);
    if (run.signal?.aborted) throw abortError(run.signal.reason);
    // values are checked by the tasks, chunk by chunk (task.ts)
    const b = checkShape(g, batch as BatchInput);
    let staging: SharedArrayBuffer | null = null;
    const take = (bytes: number) => {
      staging = this.spare && this.spare.byteLength >= bytes ? this.spare : new SharedArrayBuffer(bytes);
      if (staging === this.spare) this.spare = null;
      return staging;
    };
    const io = batchIO(g, b, this.pool.memory === 'shared' ? { staging: take } : null, options.into);
    // The buffer goes back once no task of this call reads it, even after a failure.
    const release = () => {
      if (staging && !this.closing && (this.spare === null || this.spare.byteLength < staging.byteLength)) this.spare = staging;
    };
    const transfer = this.pool.memory === 'transfer';
    const task = (first: number, end: number): Task => {
      stageRows(g, io, b.data, first, end);
      return transfer
        ? { kind: 'points', group: g.spec, tol, io: chunkIO(g, io, first, end), first: 0, end: end - first, transfer }
        : { kind: 'points', group: g.spec, tol, io, first, end, transfer };
    };
    const merge = (reply: BatchIO | Reply | void, first: number) => {
      if (reply) mergeChunk(g, io, reply as BatchIO, first);
    };
    await this.runChunks(planChunks(b.offsets, g.d * g.width, this.pool.threads, this.chunkSize), task, merge, run, release);
    const { canonical, matrices, shifts, ranks, sizes, status } = io;
    const f: FrameBatch = { group: g.spec, dim: g.d, count: b.count, offsets: b.offsets, canonical, matrices, shifts, ranks, sizes, status };
    // the workers' rejections and warnings become this batch's errors and warnings
    applyStatus(g, b, f);
    return settle({ ...f, errors: b.errors }, mode);
  }

  /**
   * Graphs and point sets under S(n) (x G): every chunk's task carries its own copy
   * of its inputs and replies with their records, laid out flat once all are in.
   */
  private async records(G: GraphGroup | PermutationGroup, batch: unknown, options: EngineCallOptions): Promise<GraphBatchResult | PermutationBatchResult> {
    const mode = checkErrorMode(options.errors);
    const { b, parts } = await this.collect(G, batch, options);
    return settle(recordResult(b, parts), mode);
  }

  /** The checked batch and its tasks' replies (see frameRecords). */
  async collect(G: GraphGroup | PermutationGroup, batch: unknown, options: EngineCallOptions): Promise<{ b: RecordBatch; parts: Parts }> {
    if (this.closing) throw engineClosedError();
    const tol = checkTol(options.tol, DEFAULT_TOL);
    const run = checkRunOptions(options);
    if (run.signal?.aborted) throw abortError(run.signal.reason);
    const b = checkRecordBatch(G, batch);
    const parts: Parts = [];
    const merge = (reply: BatchIO | Reply | void, first: number) => parts.push([first, reply as Reply]);
    const bounds = planChunks(b.values, 1, this.pool.threads, this.chunkSize);
    await this.runChunks(bounds, (first, end) => recordTask(b, tol, first, end), merge, run, () => {});
    return { b, parts };
  }

  /**
   * Run every chunk, at most IN_FLIGHT_PER_THREAD per thread at a time (the rest
   * wait here, so a failure or an abort only has to drop them), and settle when all
   * are done or the first one fails. `release` runs once the call has settled and
   * none of its tasks is running any more.
   */
  private runChunks(
    bounds: number[],
    makeTask: (first: number, end: number) => Task,
    merge: (reply: BatchIO | Reply | void, first: number) => void,
    { signal, onProgress }: RunOptions,
    release: () => void,
  ): Promise<void> {
    const chunks = bounds.length - 1;
    const total = bounds[chunks];
    const width = Math.max(1, this.pool.threads * IN_FLIGHT_PER_THREAD);
    const call = new AbortController();
    return new Promise<void>((resolve, reject) => {
      let next = 0;
      let completed = 0;
      let done = 0;
      let running = 0;
      let finished = false;
      const follow = () => call.abort(signal?.reason);
      const releaseWhenIdle = () => {
        if (finished && running === 0) release();
      };
      const finish = (error?: unknown) => {
        if (finished) return;
        finished = true;
        this.calls.delete(call);
        signal?.removeEventListener('abort', follow);
        if (error === undefined) resolve();
        else reject(error);
        releaseWhenIdle();
      };
      const progress = () => {
        try {
          onProgress?.(done, total);
        } catch (e) {
          finish(e);
        }
      };
      call.signal.addEventListener('abort', () => finish(abortError(call.signal.reason)), { once: true });
      signal?.addEventListener('abort', follow, { once: true });
      this.calls.add(call);

      const launch = () => {
        while (!finished && next < chunks && running < width) {
          const first = bounds[next];
          const end = bounds[++next];
          const task = makeTask(first, end);
          running++;
          this.pool.run(task, call.signal).then(
            (reply) => {
              running--;
              if (finished) return releaseWhenIdle();
              merge(reply, first);
              completed++;
              done += end - first;
              // Next chunk first, so the workers are busy while the callback runs.
              launch();
              progress();
              if (completed === chunks) finish();
            },
            (e) => {
              running--;
              if (finished) return releaseWhenIdle();
              finish(call.signal.aborted ? abortError(call.signal.reason) : new WorkerFailedError(first, end - 1, e));
            },
          );
        }
      };
      if (chunks === 0) {
        progress();
        finish();
      } else launch();
    });
  }

  close(): Promise<void> {
    if (!this.closing) {
      for (const call of this.calls) call.abort(engineClosedError());
      this.spare = null;
      this.closing = this.pool.close();
    }
    return this.closing;
  }
}

/**
 * The checked batch and its tasks' replies, computed on `engine`'s workers: what
 * equivariant / invariant batches under S(n) (x G) average with (records.ts
 * permutationBatch), bit for bit as recordsInline computes them.
 */
export function frameRecords(engine: Engine, G: GraphGroup | PermutationGroup, batch: unknown, options: EngineCallOptions): Promise<{ b: RecordBatch; parts: Parts }> {
  if (!(engine instanceof PoolEngine)) throw optionError(`engine must come from createEngine(), got ${describe(engine)}`);
  return engine.collect(G, batch, options);
}

/**
 * An engine with `threads` workers (0: on the calling thread). Resolves once the
 * pool is started; close() it when done (Node keeps no process alive for it).
 */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  if (typeof options !== 'object' || options === null) throw optionError(`engine options must be an object, got ${describe(options)}`);
  const { threads = defaultThreads(), chunkSize } = options;
  if (!Number.isSafeInteger(threads) || threads < 0) throw optionRangeError(`threads must be a whole number >= 0, got ${String(threads)}`);
  if (chunkSize !== undefined && (!Number.isSafeInteger(chunkSize) || chunkSize < 1)) {
    throw optionRangeError(`chunkSize must be a whole number >= 1 (inputs per chunk), got ${String(chunkSize)}`);
  }
  let pool: Pool;
  if (threads === 0) {
    await ready();
    pool = inlinePool();
  } else pool = await createPool(threads);
  return new PoolEngine(pool, chunkSize);
}
