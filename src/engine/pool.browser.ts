/**
 * Worker threads for browsers: module Web Workers (worker.browser.ts) behind comlink,
 * one task per worker at a time. With cross-origin isolation (COOP same-origin, COEP
 * require-corp) the batch is shared through SharedArrayBuffer; without it each task
 * transfers its chunk to the worker and back. Replaces pool.node.ts in the browser bundle.
 */
import { transfer, wrap, type Remote } from 'comlink';
import { abortError, poolError } from '../errors.js';
import type { Pool } from './pool.js';
import { transferables } from '../kinds/index.js';
import type { Task } from '../kinds/kind.js';
import type { WorkerApi } from './worker.browser.js';

/** Threads when the caller does not say: one per logical core the browser reports. */
export function defaultThreads(): number {
  return navigator.hardwareConcurrency || 4;
}

interface Job {
  task: Task;
  signal: AbortSignal;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
  /** The abort listener while the job waits in the queue. */
  dequeue(): void;
}

interface Slot {
  worker: Worker;
  remote: Remote<WorkerApi>;
  /** The kernels are loaded (a worker that fails before that is removed, not replaced). */
  ready: boolean;
  /** Settles whatever the worker is doing (loading, or a job) with an error; null when idle. */
  fail: ((reason: unknown) => void) | null;
}

class BrowserPool implements Pool {
  readonly memory = globalThis.crossOriginIsolated === true ? 'shared' : 'transfer';
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  /** Resolves once every first worker has loaded its kernels. */
  readonly started: Promise<void>;

  constructor(readonly threads: number) {
    const loads: Promise<void>[] = [];
    for (let i = 0; i < threads; i++) {
      const { slot, loaded } = this.spawn();
      this.slots.push(slot);
      loads.push(loaded);
    }
    this.started = Promise.all(loads).then(() => {});
  }

  /** A new worker; busy until its kernels are loaded (tasks wait for that). */
  private spawn(): { slot: Slot; loaded: Promise<void> } {
    // Written out in full: bundlers (Vite, webpack) find the worker entry by this pattern.
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    const slot: Slot = { worker, remote: wrap<WorkerApi>(worker), ready: false, fail: null };
    // A worker that dies (an uncaught error, a script that fails to load) fires
    // 'error', and its comlink calls never settle: fail its work and replace it.
    worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      const fail = slot.fail;
      if (slot.ready) this.replace(slot);
      fail?.(poolError(ev.message || (slot.ready ? 'a Web Worker died' : `a Web Worker could not start: is ${new URL('./worker.js', import.meta.url).href} served (next to minframe's index.js)?`)));
    });
    const loaded = new Promise<void>((resolve, reject) => {
      slot.fail = reject;
      slot.remote.ready().then(resolve, reject);
    }).then(
      () => {
        slot.ready = true;
        slot.fail = null;
        this.dispatch();
      },
      (e: unknown) => {
        // Replacing a worker that cannot even load would loop: drop it.
        this.remove(slot);
        throw e;
      },
    );
    return { slot, loaded };
  }

  /** Terminate a worker and put a fresh one in its place (unless the pool is closed). */
  private replace(slot: Slot): void {
    slot.worker.terminate();
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    const { slot: fresh, loaded } = this.spawn();
    this.slots[at] = fresh;
    // Nothing waits for a replacement: if it cannot load, spawn() drops it.
    loaded.catch(() => {});
  }

  /** Terminate a worker for good; with none left, queued jobs fail. */
  private remove(slot: Slot): void {
    slot.worker.terminate();
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    if (this.slots.length === 0) for (const job of this.queue.splice(0)) job.reject(poolError('no Web Worker could be started'));
  }

  run(task: Task, signal: AbortSignal): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortError(signal.reason));
      if (this.slots.length === 0) return reject(poolError('no Web Worker could be started'));
      const job: Job = {
        task,
        signal,
        resolve,
        reject,
        dequeue: () => {
          this.queue.splice(this.queue.indexOf(job), 1);
          reject(abortError(signal.reason));
        },
      };
      signal.addEventListener('abort', job.dequeue, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Start queued jobs on idle workers. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.fail === null) this.start(slot, this.queue.shift() as Job);
    }
  }

  private start(slot: Slot, job: Job): void {
    const { task, signal } = job;
    signal.removeEventListener('abort', job.dequeue);
    let done = false;
    const settle = (finish: () => void) => {
      if (done) return;
      done = true;
      slot.fail = null;
      signal.removeEventListener('abort', stop);
      finish();
      this.dispatch();
    };
    const fail = (reason: unknown) => settle(() => job.reject(reason));
    // A running task cannot be interrupted: stop it with its worker.
    const stop = () => {
      this.replace(slot);
      fail(abortError(signal.reason));
    };
    slot.fail = fail;
    signal.addEventListener('abort', stop, { once: true });
    slot.remote.run(transfer(task, transferables(task))).then((value) => settle(() => job.resolve(value)), fail);
  }

  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(poolError('the pool was closed'));
    for (const slot of this.slots.splice(0)) {
      slot.fail?.(poolError('the pool was closed'));
      slot.worker.terminate();
    }
  }
}

export async function createPool(threads: number): Promise<Pool> {
  const pool = new BrowserPool(threads);
  try {
    await pool.started;
  } catch (e) {
    await pool.close();
    throw e;
  }
  return pool;
}
