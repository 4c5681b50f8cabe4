/**
 * The browser test's page (built by esbuild in test/browser.test.ts; 'minframe' is
 * the browser bundle, served next to this page). It exposes `run()`, which
 * canonicalizes the seeded batch on 2 Web Workers and reports the result's bytes.
 */
import { createEngine } from 'minframe';
import { denseBatch } from '../batches.js';
import { BROWSER_BATCH } from './params.js';

/** Count each Web Worker's replies, to see that both ran tasks. */
const replies = new Map<Worker, number>();
const NativeWorker = Worker;
globalThis.Worker = class CountingWorker extends NativeWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    replies.set(this, 0);
    this.addEventListener('message', () => replies.set(this, (replies.get(this) ?? 0) + 1));
  }
};

function base64(a: ArrayBufferView): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function run() {
  const { count, n, seed, group } = BROWSER_BATCH;
  const engine = await createEngine({ threads: 2 });
  replies.clear();
  try {
    const r = await engine.canonicalize(group, denseBatch(count, n, seed));
    return {
      crossOriginIsolated: globalThis.crossOriginIsolated,
      threads: engine.threads,
      sharedResult: r.canonical.buffer instanceof (globalThis.SharedArrayBuffer ?? class {}),
      workersThatRan: [...replies.values()].filter((k) => k > 0).length,
      arrays: { canonical: base64(r.canonical), matrices: base64(r.matrices), shifts: base64(r.shifts), ranks: base64(r.ranks), sizes: base64(r.sizes) },
    };
  } finally {
    await engine.close();
  }
}

Object.assign(globalThis, { run });
