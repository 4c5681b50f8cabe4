// ONNX models on the workers: the committed fixture (test/fixtures/onnx/model.onnx,
// x + 0.1·sin(x·W)) averaged over 20,000 O(3) sets of 32 points by onnxruntime-node
// and onnxruntime-web, inline (the session on this thread) and on engines of 1 and 2
// workers (a session each, on its own chunks), against the frames alone
// (canonicalizeBatch with `into`, one thread) and the session alone on the stacked
// canonical forms, on this thread and on a worker thread. Per runtime the averaged outputs must be the same bits on every
// path; the two runtimes agree to float32 round-off.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { canonicalizeBatch, createEngine, equivariant, onnxModel } from '../dist/node/index.js';
import { rng, gaussian, gaussianMatrix, relativeError } from '../dist/node/testing.js';
import { timeAsync, fmt, ratio, table } from './lib.mjs';

const MODEL = new URL('../test/fixtures/onnx/model.onnx', import.meta.url);
const RUNTIMES = ['onnxruntime-node', 'onnxruntime-web'];

/** The session alone on `stacked`, timed on this thread. */
async function sessionTimes(runtime, stacked, options) {
  const session = await onnxModel(MODEL, { runtime });
  try {
    return await timeAsync(() => session(stacked), options);
  } finally {
    await session.release();
  }
}

/** The same, on a worker thread of its own (this file, run as one). */
function sessionTimesOnWorker(runtime, stacked, options) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { onnxSession: { runtime, stacked, options } } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

if (!isMainThread && workerData?.onnxSession) {
  const { runtime, stacked, options } = workerData.onnxSession;
  parentPort.postMessage(await sessionTimes(runtime, stacked, options));
}

export async function benchOnnx({ sets = 20_000, n = 32, repeat = 9 } = {}) {
  const spec = 'O(3)';
  const batch = { data: gaussianMatrix(gaussian(rng(13)), sets * n, 3), dim: 3, count: sets };
  const options = { items: sets, repeat, warmup: 1 };
  const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  let into = canonicalizeBatch(spec, batch);
  const frames = await timeAsync(async () => (into = canonicalizeBatch(spec, batch, { into })), options);
  const stacked = { data: into.canonical, dim: 3, offsets: Int32Array.from({ length: sets + 1 }, (_, i) => i * n), count: sets };
  const rows = [];
  const first = {};
  for (const runtime of RUNTIMES) {
    rows.push({ runtime, mode: 'session alone, on the canonical forms', threads: -1, t: await sessionTimes(runtime, stacked, options), same: null });
    rows.push({ runtime, mode: 'session alone, on a worker thread', threads: -1, t: await sessionTimesOnWorker(runtime, stacked, options), same: null });
    const url = new URL(`#runtime=${runtime}`, MODEL);
    const inline = equivariant(spec, url);
    const want = await inline.batch(batch);
    first[runtime] = want.data;
    rows.push({ runtime, mode: 'averaged inline (this thread)', threads: 0, t: await timeAsync(() => inline.batch(batch), options), same: true });
    for (const threads of [1, 2]) {
      const engine = await createEngine({ threads });
      try {
        const f = equivariant(spec, url, { engine });
        const got = await f.batch(batch);
        rows.push({ runtime, mode: `averaged on ${threads} worker${threads > 1 ? 's' : ''}`, threads, t: await timeAsync(() => f.batch(batch), options), same: bytes(got.data).equals(bytes(want.data)) });
      } finally {
        await engine.close();
      }
    }
  }
  return { spec, sets, n, frames, rows, agreement: relativeError(first['onnxruntime-web'], first['onnxruntime-node']) };
}

export function onnxTable({ spec, sets, n, frames, rows, agreement }) {
  const body = [['frames alone (canonicalizeBatch with into, this thread)', '—', fmt(frames), '1.00×', '—', '—']];
  for (const r of rows) {
    const one = rows.find((o) => o.runtime === r.runtime && o.threads === 1);
    body.push([r.mode, r.runtime, fmt(r.t), ratio(r.t.median, frames.median), r.threads > 1 ? ratio(one.t.median, r.t.median) : '—', r.same === null ? '—' : r.same ? 'yes' : 'NO']);
  }
  return `${table([`ONNX fixture, ${spec}, ${sets.toLocaleString('en')} sets × ${n} points`, 'runtime', 'µs per set', '÷ frames', 'speed-up vs 1 worker', 'bit-identical to inline'], body)}\n\nonnxruntime-web against onnxruntime-node: relative error ${agreement.toExponential(1)} (float32 round-off).`;
}

// (a worker thread running this file shares process.argv: only the main thread runs the bench)
if (isMainThread && import.meta.url === `file://${process.argv[1]}`) console.log(onnxTable(await benchOnnx()));
