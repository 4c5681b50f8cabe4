/**
 * The browser test's page (built by esbuild in test/browser.test.ts; 'minframe' is
 * the browser bundle, served next to this page). It exposes `run(scenario)`, which
 * canonicalizes the seeded batch on 2 Web Workers and reports the result's bytes,
 * and `runModels()`, which averages a batch by module models (per input, batch,
 * invariant) and by the ONNX
 * fixture on 2 Web Workers (onnxruntime-web named by the URL of its ES module, served
 * under ort/) and the ONNX fixture on the page's thread.
 */
import { createEngine, equivariant, invariant, type Engine } from 'minframe';
import { denseBatch, graphBatch } from '../batches.js';
import { BROWSER_BATCH, BROWSER_GRAPHS, BROWSER_MODELS } from './params.js';

/** Every live Web Worker the engine started, with its replies, to see which ran tasks. */
const replies = new Map<Worker, number>();
const NativeWorker = Worker;
globalThis.Worker = class CountingWorker extends NativeWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    replies.set(this, 0);
    this.addEventListener('message', () => replies.set(this, (replies.get(this) ?? 0) + 1));
  }
  override terminate(): void {
    replies.delete(this);
    super.terminate();
  }
};

/** Resolves once every live worker has answered (its kernels are loaded). */
async function allWorkersReady(): Promise<void> {
  while ([...replies.values()].includes(0)) await new Promise((resolve) => setTimeout(resolve, 10));
}

function base64(a: ArrayBufferView): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const { count, n, seed, group } = BROWSER_BATCH;
const batch = denseBatch(count, n, seed);

/**
 * Before the measured run, optionally break a call: 'abort' aborts it at its first
 * progress report; 'fault' makes a busy worker report an error there (as a crashing
 * worker does), which must fail the call and replace that worker.
 */
async function interrupt(engine: Engine, how: 'abort' | 'fault'): Promise<{ name: string; message: string }> {
  const ctl = new AbortController();
  const onProgress = () => {
    if (how === 'abort') ctl.abort();
    else [...replies.keys()][0].dispatchEvent(new ErrorEvent('error', { message: 'simulated crash' }));
  };
  return engine.canonicalize(group, batch, { signal: ctl.signal, onProgress }).then(
    () => ({ name: 'none', message: 'the call succeeded' }),
    (e: Error) => ({ name: e.name, message: e.message }),
  );
}

/** The seeded graph batch on its own engine of 2 workers: which workers ran, and the result's bytes. */
async function runGraphs() {
  const engine = await createEngine({ threads: 2, chunkSize: BROWSER_GRAPHS.chunkSize });
  try {
    await allWorkersReady();
    const before = new Map(replies);
    const { count, maxN, seed } = BROWSER_GRAPHS;
    const r = await engine.canonicalize(BROWSER_GRAPHS.group, graphBatch(count, maxN, seed, { weighted: true, colored: true }));
    return {
      workersThatRan: [...replies].filter(([w, k]) => k > (before.get(w) ?? 0)).length,
      sizesExact: r.sizesExact,
      arrays: Object.fromEntries((['canonical', 'permutations', 'orbits', 'sizes', 'generators', 'generatorOffsets'] as const).map((key) => [key, base64(r[key])])),
    };
  } finally {
    await engine.close();
  }
}

async function run(scenario: 'plain' | 'abort' | 'fault' = 'plain') {
  const engine = await createEngine({ threads: 2, chunkSize: scenario === 'plain' ? undefined : 20 });
  try {
    const interrupted = scenario === 'plain' ? null : await interrupt(engine, scenario);
    // Workers stopped by the fault or the abort have been replaced: wait for the
    // replacements, so the next call can spread over two workers again.
    if (interrupted) await allWorkersReady();
    const before = new Map(replies);
    const r = await engine.canonicalize(group, batch);
    return {
      graphs: scenario === 'plain' ? await runGraphs() : null,
      interrupted,
      crossOriginIsolated: globalThis.crossOriginIsolated,
      threads: engine.threads,
      sharedResult: r.canonical.buffer instanceof (globalThis.SharedArrayBuffer ?? class {}),
      workersThatRan: [...replies].filter(([w, k]) => k > (before.get(w) ?? 0)).length,
      arrays: { canonical: base64(r.canonical), matrices: base64(r.matrices), shifts: base64(r.shifts), ranks: base64(r.ranks), sizes: base64(r.sizes) },
    };
  } finally {
    await engine.close();
  }
}

async function runModels() {
  const engine = await createEngine({ threads: 2, chunkSize: BROWSER_MODELS.chunkSize });
  try {
    await allWorkersReady();
    const before = new Map(replies);
    const { group, count, n, seed } = BROWSER_MODELS;
    const b = denseBatch(count, n, seed);
    const ort = new URL('ort/ort.wasm.min.mjs', location.href);
    const onnx = new URL(`model.onnx#runtime=${encodeURIComponent(ort.href)}`, location.href);
    const module = await equivariant(group, new URL('rational.mjs', location.href), { engine }).batch(b);
    const stacked = await equivariant(group, new URL('rational-stacked.mjs', location.href), { engine }).batch(b);
    const inv = (await invariant(group, new URL('rational.mjs', location.href), { engine }).batch(b)).outputs as Float64Array[];
    const flat = new Float64Array(inv.reduce((s, v) => s + v.length, 0));
    inv.reduce((at, v) => (flat.set(v, at), at + v.length), 0);
    const workers = await equivariant(group, onnx, { engine }).batch(b);
    const inline = await equivariant(group, onnx).batch(b);
    return {
      workersThatRan: [...replies].filter(([w, k]) => k > (before.get(w) ?? 0)).length,
      module: base64(module.data),
      stacked: base64(stacked.data),
      invariant: base64(flat),
      onnx: base64(workers.data),
      onnxInline: base64(inline.data),
    };
  } finally {
    await engine.close();
  }
}

Object.assign(globalThis, { run, runModels });
