/**
 * The browser worker (dist/browser/worker.js), a module Web Worker behind comlink.
 * It runs the same task code as the Node worker and the inline engine.
 */
import { expose, transfer } from 'comlink';
import { ready } from '../wasm/module.js';
import { buffersOf, runChunk, type BatchIO, type Task } from './task.js';

const api = {
  /** Load the WASM kernels, so the first task does not pay for it. */
  async ready(): Promise<void> {
    await ready();
  },
  /** Run a task; a task that carries its own chunk sends it back by transfer. */
  async run(task: Task): Promise<BatchIO | void> {
    await runChunk(task);
    if (task.transfer) return transfer(task.io, buffersOf(task.io));
  },
};

export type WorkerApi = typeof api;

expose(api);
