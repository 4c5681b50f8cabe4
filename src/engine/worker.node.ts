/**
 * The Node worker (dist/node/worker.cjs): piscina calls the default export once per
 * task. The WASM instance is created by the first task and kept for the thread's life.
 */
import { runChunk, type Task } from './task.js';
import type { Reply } from './records.js';

export default function run(task: Task): Promise<Reply | void> {
  return runChunk(task);
}
