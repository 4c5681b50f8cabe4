/**
 * The Node worker (dist/node/worker.cjs): piscina calls the default export once per
 * task. The WASM instance is created by the first task and kept for the thread's life.
 */
import { runChunk } from './run.js';
import type { Task } from '../kinds/kind.js';

export default function run(task: Task): Promise<unknown> {
  return runChunk(task);
}
