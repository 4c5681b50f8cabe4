/**
 * Worker threads for Node: a piscina pool running worker.node.ts. Node always has
 * SharedArrayBuffer, so tasks carry only their chunk's range and the batch travels
 * once, shared. The browser bundle replaces this module with pool.browser.ts.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Pool } from './pool.js';
import type { Task } from '../kinds/kind.js';
import { transferables } from '../kinds/index.js';

/**
 * The worker bundle (CommonJS, see scripts/bundle.mjs). From the bundle
 * (dist/node/index.js) it sits next to this code; from the sources
 * (src/engine/pool.node.ts, as vitest runs them) it is the built
 * dist/node/worker.cjs, since a worker thread cannot load TypeScript.
 */
const workerFile = new URL(import.meta.url.endsWith('.ts') ? '../../dist/node/worker.cjs' : './worker.cjs', import.meta.url);

/** Threads when the caller does not say: one per core. */
export function defaultThreads(): number {
  return availableParallelism();
}

class NodePool implements Pool {
  readonly memory = 'shared';
  private readonly piscina: Piscina;

  constructor(readonly threads: number) {
    this.piscina = new Piscina({ filename: workerFile.href, minThreads: threads, maxThreads: threads, idleTimeout: Infinity });
    // piscina emits 'error' for a worker that fails while idle (it replaces the
    // worker); with no listener, that event would crash the process.
    this.piscina.on('error', () => {});
  }

  run(task: Task, signal: AbortSignal): Promise<unknown> {
    // a task's own copies move to the worker instead of being cloned; shared rows are read in place
    return this.piscina.run(task, { signal, transferList: transferables(task) });
  }

  close(): Promise<void> {
    return this.piscina.destroy();
  }
}

export async function createPool(threads: number): Promise<Pool> {
  return new NodePool(threads);
}
