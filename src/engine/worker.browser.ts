/**
 * The browser worker (dist/browser/worker.js), a module Web Worker behind comlink.
 * It runs the same task code as the Node worker and the inline engine.
 */
import { expose, transfer } from 'comlink';
import { ready } from '../wasm/module.js';
import { runChunk } from './run.js';
import { transferables } from '../kinds/index.js';
import type { Task } from '../kinds/kind.js';

const api = {
  /** Load the WASM kernels, so the first task does not pay for it. */
  async ready(): Promise<void> {
    await ready();
  },
  /** Run a task; a reply that holds buffers of its own goes back by transfer. */
  async run(task: Task): Promise<unknown> {
    const reply = await runChunk(task);
    return reply === undefined ? reply : transfer(reply, transferables(task, reply));
  },
};

export type WorkerApi = typeof api;

expose(api);
