/**
 * The Node worker (dist/node/worker.cjs): piscina calls the default export once per
 * task. The WASM instance is created by the first task and kept for the thread's life.
 * A reply's own buffers (a chunk's frames or averaged outputs) move to the calling
 * thread instead of being cloned.
 */
import { Piscina } from 'piscina';
import { runChunk } from './run.js';
import { transferables } from '../kinds/index.js';
import type { Task } from '../kinds/kind.js';

export default async function run(task: Task): Promise<unknown> {
  const reply = await runChunk(task);
  const list = reply === undefined ? [] : transferables(task, reply);
  if (list.length === 0) return reply;
  return Piscina.move({ [Piscina.transferableSymbol]: list, [Piscina.valueSymbol]: reply } as never);
}
