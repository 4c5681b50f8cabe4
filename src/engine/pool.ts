/**
 * What the engine needs from a pool of workers, and the inline pool (threads: 0)
 * that runs tasks on the calling thread. The Node pool (pool.node.ts, piscina) and
 * the browser pool (pool.browser.ts, comlink) implement the same interface; the
 * engine's chunking, scheduling and merging do not depend on which one runs.
 */
import { runChunk } from './run.js';
import type { Memory, Task } from '../kinds/kind.js';

export interface Pool {
  /** Worker threads (0 for the inline pool). */
  readonly threads: number;
  readonly memory: Memory;
  /**
   * Run one task; resolves with its reply (nothing when its results were written in
   * place). Rejects with what went wrong when the task threw or its worker died (the
   * pool replaces that worker), or with an AbortError when `signal` aborts (a task
   * already running is stopped with its worker).
   */
  run(task: Task, signal: AbortSignal): Promise<unknown>;
  /** Stop every worker. Tasks still running are rejected. */
  close(): Promise<void>;
}

/** Let the event loop run (abort handlers, progress rendering) between inline chunks. */
function yieldToEventLoop(): Promise<void> {
  // setTimeout(0) is clamped to 1–4 ms, far longer than a chunk; setImmediate
  // (Node) and a MessageChannel round trip (browsers) are not.
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** The pool of threads: 0: every task runs on the calling thread, one at a time. */
export function inlinePool(): Pool {
  return {
    threads: 0,
    memory: 'local',
    async run(task, signal) {
      await yieldToEventLoop();
      signal.throwIfAborted();
      return runChunk(task);
    },
    async close() {},
  };
}
