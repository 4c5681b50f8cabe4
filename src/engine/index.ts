/**
 * The engine: canonicalize large batches inline or on a pool of worker threads
 * (docs/architecture.md, Engine).
 *
 * The engine knows no kind of input by name: a call gets its kind's Job from the
 * registry (src/kinds/index.ts), which checks the batch's shape on the calling
 * thread (inputs of a bad shape never reach a worker); the engine splits it into
 * chunks of whole inputs (planChunks), runs each chunk as one task on the pool,
 * merges the replies, and returns the job's result. Every input's frame is computed
 * alone by the same code, so the result is bit-identical to canonicalizeBatch
 * whatever the thread count and chunking.
 */
import { DEFAULT_TOL, type BaselineGroup, type Group, type GraphGroup, type PermutationGroup, type PermutationSpec } from '../groups.js';
import { checkOptions, checkTol, type BatchInput } from '../batch.js';
import { abortError, engineClosedError, optionRangeError, WorkerFailedError } from '../errors.js';
import { ready } from '../wasm/module.js';
import { checkErrorMode, checkRun, runJob, settle, type Job, type JobEngine, type JobFactory, type RunOptions, type Staging } from '../kinds/kind.js';
import { kindOf } from '../kinds/index.js';
import type { BatchOptions } from '../canonicalize.js';
import type { BatchResult } from '../kinds/points.js';
import type { BaselineBatchResult } from '../kinds/baseline.js';
import type { PermutationBatchResult } from '../kinds/permutation.js';
import type { GraphBatchInput, GraphBatchResult } from '../kinds/graph.js';
import { inlinePool, type Pool } from './pool.js';
// The browser bundle swaps this import for pool.browser.ts (scripts/bundle.mjs).
import { createPool, defaultThreads } from './pool.node.js';

export type { RunOptions };

export interface EngineOptions {
  /**
   * Worker threads: 0 runs every task on the calling thread (no workers). Default:
   * one per core (os.availableParallelism() in Node, navigator.hardwareConcurrency
   * in browsers).
   */
  threads?: number;
  /**
   * Inputs per chunk (one task). Default: chosen per call from the batch's size:
   * about 4 chunks per thread to balance the load (16 for a module model), each between 2^15 and 2^20
   * values of work (about 4800 SO(3) sets of 64 points at most): large enough that
   * a task's fixed cost stays small (handing a task to a worker and its reply back
   * costs about 0.2 ms on a 2-core VM), small enough that the rows staged for the
   * chunks in flight stay a few MiB. A graph counts its n² adjacency values, a point
   * set its n·d values, each plus a fixed cost per input.
   */
  chunkSize?: number;
}

/** `into` (BatchOptions): with a pool in Node, only arrays on SharedArrayBuffers are reused, as the engine's own results are. */
export interface EngineCallOptions extends BatchOptions, RunOptions {}

export interface Engine {
  /** Worker threads of this engine (0: inline). */
  readonly threads: number;
  /**
   * Frames of a batch of any kind, as canonicalizeBatch computes them (bit for bit);
   * graphs are chunked in whole graphs. Rejects with
   * the first bad input's error in `errors: 'throw'` mode (carrying `.errors` and
   * `.result`), a WorkerFailedError naming the inputs of a chunk whose worker failed,
   * an AbortError when `signal` aborts, or an error when the engine is closed.
   * With shared memory (Node; cross-origin isolated pages) the result's arrays are
   * views on SharedArrayBuffers, and rows already in a SharedArrayBuffer are read in
   * place (leave them unchanged until the call settles); other rows are copied once,
   * into a buffer the engine keeps for its next call.
   */
  canonicalize(G: 'graph' | 'weighted-graph' | GraphGroup, batch: GraphBatchInput, options?: EngineCallOptions): Promise<GraphBatchResult>;
  /** S(n) and S(n) x G frames of a batch of point sets, as canonicalizeBatch computes them (bit for bit). */
  canonicalize(G: PermutationSpec | PermutationGroup, batch: BatchInput, options?: EngineCallOptions): Promise<PermutationBatchResult>;
  canonicalize(G: BaselineGroup, batch: BatchInput, options?: EngineCallOptions): Promise<BaselineBatchResult>;
  canonicalize(G: string | Group, batch: BatchInput, options?: EngineCallOptions): Promise<BatchResult>;
  /** Stop the workers and drop the kept buffer. Calls still running reject; later calls reject. Idempotent. */
  close(): Promise<void>;
}

/** Chunk sizes, in values of work (see Job.work). */
const MIN_CHUNK_WORK = 1 << 15;
const MAX_CHUNK_WORK = 1 << 20;
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
 * chunks hold about equal work (`work(i)`: the work before input i), clamped to
 * [MIN_CHUNK_WORK, MAX_CHUNK_WORK].
 */
export function planChunks(count: number, work: (i: number) => number, threads: number, chunkSize?: number, perThread = CHUNKS_PER_THREAD): number[] {
  const bounds = [0];
  if (chunkSize !== undefined) {
    for (let i = chunkSize; i < count; i += chunkSize) bounds.push(i);
  } else {
    const total = work(count);
    const target = threads === 0 ? MAX_CHUNK_WORK : Math.min(MAX_CHUNK_WORK, Math.max(MIN_CHUNK_WORK, total / (threads * perThread)));
    let start = 0;
    for (let i = 1; i < count; i++) {
      if (work(i) - start >= target) {
        bounds.push(i);
        start = work(i);
      }
    }
  }
  if (count > 0) bounds.push(count);
  return bounds;
}


class PoolEngine implements Engine, JobEngine {
  private closing: Promise<void> | null = null;
  /** Each running call's own AbortController: the caller's signal and close() abort it. */
  private readonly calls = new Set<AbortController>();
  /**
   * Shared staging buffers of finished calls, kept for the next ones: pages touched
   * for the first time are expensive (page faults), and a stream of batches reuses
   * the same ones. Each is lent to one call at a time; close() drops them.
   */
  private spare: SharedArrayBuffer[] = [];

  constructor(private readonly pool: Pool, private readonly chunkSize: number | undefined) {}

  get threads(): number {
    return this.pool.threads;
  }

  canonicalize(G: 'graph' | 'weighted-graph' | GraphGroup, batch: GraphBatchInput, options?: EngineCallOptions): Promise<GraphBatchResult>;
  canonicalize(G: PermutationSpec | PermutationGroup, batch: BatchInput, options?: EngineCallOptions): Promise<PermutationBatchResult>;
  canonicalize(G: BaselineGroup, batch: BatchInput, options?: EngineCallOptions): Promise<BaselineBatchResult>;
  canonicalize(G: string | Group, batch: BatchInput, options?: EngineCallOptions): Promise<BatchResult>;
  async canonicalize(spec: string | Group | GraphGroup | PermutationGroup, batch: BatchInput | GraphBatchInput, options?: EngineCallOptions): Promise<BatchResult | GraphBatchResult | PermutationBatchResult | BaselineBatchResult> {
    if (this.closing) throw engineClosedError();
    const { G, kind } = kindOf(spec);
    const o = checkOptions(options) as EngineCallOptions;
    const tol = checkTol(o.tol, DEFAULT_TOL);
    const mode = checkErrorMode(o.errors);
    const result = await this[runJob]((staging) => kind.batch(G, batch, { tol, into: o.into }, staging), o);
    return settle(result, mode);
  }

  /**
   * Run a kind's job on the pool: chunks planned from its work, staged shared
   * buffers lent by this engine (and kept for its next call), replies merged as
   * they come in, the job's result once all are.
   */
  async [runJob]<R>(make: JobFactory<R>, options: RunOptions): Promise<R> {
    if (this.closing) throw engineClosedError();
    const run = checkRun(options);
    if (run.signal?.aborted) throw abortError(run.signal.reason);
    const lent: SharedArrayBuffer[] = [];
    const staging: Staging = {
      memory: this.pool.memory,
      shared: (bytes) => {
        const j = this.spare.findIndex((b) => b.byteLength >= bytes);
        const buffer = j >= 0 ? this.spare.splice(j, 1)[0] : new SharedArrayBuffer(bytes);
        lent.push(buffer);
        return buffer;
      },
    };
    const job = make(staging);
    // The buffers come back once no task of this call reads them, even after a failure.
    const release = () => {
      if (!this.closing) this.spare.push(...lent.splice(0));
    };
    await this.runChunks(job, planChunks(job.count, job.work, this.pool.threads, this.chunkSize, job.chunksPerThread), run, release);
    return job.finish();
  }

  /**
   * Run every chunk, at most IN_FLIGHT_PER_THREAD per thread at a time (the rest
   * wait here, so a failure or an abort only has to drop them), and settle when all
   * are done or the first one fails. `release` runs once the call has settled and
   * none of its tasks is running any more.
   */
  private runChunks<R>(job: Job<R>, bounds: number[], { signal, onProgress }: RunOptions, release: () => void): Promise<void> {
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
        // a failed call stops its other running tasks: a model that never settles would hold their workers
        if (error !== undefined && running > 0) call.abort(error);
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
          let task;
          try {
            task = job.task(first, end);
          } catch (e) {
            return finish(e);
          }
          running++;
          this.pool.run(task, call.signal).then(
            (reply) => {
              running--;
              if (finished) return releaseWhenIdle();
              try {
                job.merge(reply, first, end);
              } catch (e) {
                return finish(e);
              }
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
      this.spare = [];
      this.closing = this.pool.close();
    }
    return this.closing;
  }
}

/**
 * An engine with `threads` workers (0: on the calling thread). Resolves once the
 * pool is started; close() it when done (Node keeps no process alive for it).
 */
export async function createEngine(options?: EngineOptions): Promise<Engine> {
  const { threads = defaultThreads(), chunkSize } = checkOptions(options, 'engine options') as EngineOptions;
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
