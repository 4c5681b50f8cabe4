/**
 * The one entry every pool runs a task through (the Node worker, the browser worker
 * and the inline pool): the task's kind computes it (src/kinds/index.ts runTask) on
 * this thread's kernels. A task that threw may have left its instance mid-kernel
 * (a trap), so the next one starts from a fresh instance of the same build.
 * This module must stay free of Node and DOM APIs: workers of both kinds import it.
 */
import { ready, type Kernels } from '../wasm/module.js';
import { runTask } from '../kinds/index.js';
import type { Task } from '../kinds/kind.js';

let fresh: Promise<Kernels> | null = null;

/** Run a task; resolves with its reply (nothing when its results were written in place). */
export async function runChunk(task: Task): Promise<unknown> {
  const k = await (fresh ?? ready());
  fresh = null;
  try {
    // awaited, so that a task that fails later (a module model's average) also gets a fresh instance
    return await runTask(task, k);
  } catch (e) {
    fresh = ready({ simd: k.simd });
    throw e;
  }
}
