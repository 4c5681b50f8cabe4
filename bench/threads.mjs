// Worker threads: one large SO(3) batch (100,000 sets of 64 points) inline on the
// calling thread (kernel work without dispatch), then on pools of 1 and 2 workers,
// each in two modes, all timed side by side, round by round (bench/lib.mjs
// timeInterleaved), so that the speed-ups compare calls of the same rounds:
// - into: the batch lives in a SharedArrayBuffer and each call overwrites the
//   previous result (`into`), as a loop over batches would: the workers read and
//   write in place, and no call pays for touching fresh memory;
// - plain: a plain Float64Array batch and a fresh result per call (the engine
//   stages the rows into shared memory; the result's pages are new each time).
import { createEngine, canonicalizeBatch } from '../dist/node/index.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeInterleaved, summarize, fmt, table } from './lib.mjs';

export async function benchThreads({ sets = 100_000, n = 64, repeat = 7 } = {}) {
  const values = gaussianMatrix(gaussian(rng(77)), sets * n, 3);
  const data = new Float64Array(new SharedArrayBuffer(values.byteLength));
  data.set(values);
  const shared = { data, dim: 3, count: sets };
  const plain = { data: values, dim: 3, count: sets };
  const engines = { 1: await createEngine({ threads: 1 }), 2: await createEngine({ threads: 2 }) };
  try {
    let last = canonicalizeBatch('SO(3)', shared);
    const into = { 1: await engines[1].canonicalize('SO(3)', shared), 2: await engines[2].canonicalize('SO(3)', shared) };
    const { rounds, ...t } = await timeInterleaved({
      inline: async () => (last = canonicalizeBatch('SO(3)', shared, { into: last })),
      inlinePlain: async () => canonicalizeBatch('SO(3)', plain),
      one: async () => (into[1] = await engines[1].canonicalize('SO(3)', shared, { into: into[1] })),
      onePlain: () => engines[1].canonicalize('SO(3)', plain),
      two: async () => (into[2] = await engines[2].canonicalize('SO(3)', shared, { into: into[2] })),
      twoPlain: () => engines[2].canonicalize('SO(3)', plain),
    }, { items: sets / 1e3, repeat, rounds: true });
    // the speed-up of each round's calls over the same round's 1-worker call
    const within = (key, base) => summarize(rounds[base].map((t1, r) => t1 / rounds[key][r]));
    return {
      sets,
      n,
      rows: [
        { mode: 'inline (no workers)', threads: 0, t: t.inline, plain: t.inlinePlain },
        { mode: '1 worker', threads: 1, t: t.one, plain: t.onePlain },
        { mode: '2 workers', threads: 2, t: t.two, plain: t.twoPlain, speedup: within('two', 'one'), plainSpeedup: within('twoPlain', 'onePlain') },
      ],
    };
  } finally {
    await Promise.all([engines[1].close(), engines[2].close()]);
  }
}

export function threadsTable({ sets, n, rows }) {
  const speedup = (r, key) => (r.threads === 0 ? '—' : r.threads === 1 ? '1×' : `${r[key].median.toFixed(2)}× (${r[key].min.toFixed(2)}×–${r[key].max.toFixed(2)}×)`);
  return table(
    [`SO(3), ${sets.toLocaleString('en')} sets × ${n} points`, 'into: µs per 1000 sets', 'into: speed-up vs 1 worker, round by round', 'plain call: µs per 1000 sets', 'plain call: speed-up vs 1 worker, round by round'],
    rows.map((r) => [r.mode, fmt(r.t, 3), speedup(r, 'speedup'), fmt(r.plain, 3), speedup(r, 'plainSpeedup')]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(threadsTable(await benchThreads()));
}
