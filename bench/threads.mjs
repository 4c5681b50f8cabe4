// Worker threads: one large SO(3) batch (100,000 sets of 64 points) inline on the
// calling thread (kernel work without dispatch), then on pools of 1 and 2 workers,
// each in two modes, measured in the same run:
// - into: the batch lives in a SharedArrayBuffer and each call overwrites the
//   previous result (`into`), as a loop over batches would: the workers read and
//   write in place, and no call pays for touching fresh memory;
// - plain: a plain Float64Array batch and a fresh result per call (the engine
//   stages the rows into shared memory; the result's pages are new each time).
import { createEngine, canonicalizeBatch } from '../dist/node/index.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeAsync, fmt, ratio, table } from './lib.mjs';

export async function benchThreads({ sets = 100_000, n = 64 } = {}) {
  const values = gaussianMatrix(gaussian(rng(77)), sets * n, 3);
  const data = new Float64Array(new SharedArrayBuffer(values.byteLength));
  data.set(values);
  const shared = { data, dim: 3, count: sets };
  const plain = { data: values, dim: 3, count: sets };
  const options = { items: sets / 1e3, repeat: 7 };
  const rows = [];
  let last = canonicalizeBatch('SO(3)', shared);
  rows.push({
    mode: 'inline (no workers)',
    threads: 0,
    t: await timeAsync(async () => (last = canonicalizeBatch('SO(3)', shared, { into: last })), options),
    plain: await timeAsync(async () => canonicalizeBatch('SO(3)', plain), options),
  });
  for (const threads of [1, 2]) {
    const engine = await createEngine({ threads });
    try {
      let into = await engine.canonicalize('SO(3)', shared);
      const t = await timeAsync(async () => (into = await engine.canonicalize('SO(3)', shared, { into })), { ...options, warmup: 2 });
      const fresh = await timeAsync(() => engine.canonicalize('SO(3)', plain), { ...options, warmup: 2 });
      rows.push({ mode: `${threads} worker${threads > 1 ? 's' : ''}`, threads, t, plain: fresh });
    } finally {
      await engine.close();
    }
  }
  return { sets, n, rows };
}

export function threadsTable({ sets, n, rows }) {
  const one = rows.find((r) => r.threads === 1);
  const speedup = (r, key) => (r.threads === 0 ? '—' : ratio(one[key].median, r[key].median));
  return table(
    [`SO(3), ${sets.toLocaleString('en')} sets × ${n} points`, 'into: µs per 1000 sets', 'into: speed-up vs 1 worker', 'plain call: µs per 1000 sets', 'plain call: speed-up vs 1 worker'],
    rows.map((r) => [r.mode, fmt(r.t, 3), speedup(r, 't'), fmt(r.plain, 3), speedup(r, 'plain')]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(threadsTable(await benchThreads()));
}
