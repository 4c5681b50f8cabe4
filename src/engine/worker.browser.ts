/**
 * The browser worker (dist/browser/worker.js), a module Web Worker behind comlink.
 * It runs the same task code as the Node worker and the inline engine.
 */
import { expose, transfer } from 'comlink';
import { ready } from '../wasm/module.js';
import { buffersOf, runChunk, type BatchIO, type Task } from './task.js';
import type { Reply } from './records.js';

const api = {
  /** Load the WASM kernels, so the first task does not pay for it. */
  async ready(): Promise<void> {
    await ready();
  },
  /** Run a task; a point task that carries its own chunk sends it back by transfer, a record task its records. */
  async run(task: Task): Promise<BatchIO | Reply | void> {
    const reply = await runChunk(task);
    if (task.kind === 'records') return reply;
    if (task.transfer) return transfer(task.io, buffersOf(task.io));
  },
};

export type WorkerApi = typeof api;

expose(api);
