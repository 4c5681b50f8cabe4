// Models on the workers: a module model costing about 20 µs per set, averaged over
// 20,000 SO(3) sets of 32 points, inline (the model on this thread) and on engines
// of 1 and 2 workers (each loads the module and runs it on its own chunks), timed side
// by side; the results must be the same bits. The machine's own ceiling is timed in
// the same rounds: the model alone on the same sets, on 1 plain worker thread and
// split over 2, without minframe.
import { Worker } from 'node:worker_threads';
import { createEngine, equivariant } from '../dist/node/index.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeInterleaved, summarize, fmt, ratio, table } from './lib.mjs';

const MODEL = new URL('./models/costly.mjs', import.meta.url);

// a plain worker thread: the model over sets [from, to) of the shared rows it was given
const PLAIN = `
import { parentPort, workerData } from 'node:worker_threads';
const { default: model } = await import(workerData.model);
const rows = new Float64Array(workerData.rows);
const len = workerData.rowLen;
parentPort.on('message', ([from, to]) => {
  for (let i = from; i < to; i++) model(rows.subarray(i * len, (i + 1) * len));
  parentPort.postMessage(0);
});
parentPort.postMessage(0);
`;

/** Plain worker threads running the model alone over shared rows: run(k) splits the sets over k of them. */
async function plainThreads(data, rowLen, sets) {
  const rows = new SharedArrayBuffer(data.byteLength);
  new Float64Array(rows).set(data);
  const reply = (w) => new Promise((resolve, reject) => {
    w.once('error', reject);
    w.once('message', (m) => {
      w.off('error', reject);
      resolve(m);
    });
  });
  const workers = [0, 1].map(() => new Worker(new URL(`data:text/javascript,${encodeURIComponent(PLAIN)}`), { workerData: { model: MODEL.href, rows, rowLen } }));
  await Promise.all(workers.map(reply));
  return {
    run: (k) => Promise.all(workers.slice(0, k).map((w, j) => {
      const r = reply(w);
      w.postMessage([Math.floor((j * sets) / k), Math.floor(((j + 1) * sets) / k)]);
      return r;
    })),
    close: () => Promise.all(workers.map((w) => w.terminate())),
  };
}

export async function benchModels({ sets = 20_000, n = 32, repeat = 15 } = {}) {
  const batch = { data: gaussianMatrix(gaussian(rng(11)), sets * n, 3), dim: 3, count: sets };
  const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const inline = equivariant('SO(3)', MODEL);
  const want = await inline.batch(batch);
  const engines = { 1: await createEngine({ threads: 1 }), 2: await createEngine({ threads: 2 }) };
  try {
    const wrapped = { 1: equivariant('SO(3)', MODEL, { engine: engines[1] }), 2: equivariant('SO(3)', MODEL, { engine: engines[2] }) };
    const same = {};
    for (const w of [1, 2]) same[w] = bytes((await wrapped[w].batch(batch)).data).equals(bytes(want.data));
    // side by side, so load from elsewhere falls on every row alike
    // the model alone, on this thread, over inputs of the same size (what "about 20 µs" is measured by)
    const { default: model } = await import(MODEL.href);
    const rowLen = n * 3;
    const alone = () => {
      for (let i = 0; i < sets; i++) model(new Float64Array(batch.data.buffer, i * rowLen * 8, rowLen));
    };
    const plain = await plainThreads(batch.data, rowLen, sets);
    let t, rounds;
    try {
      ({ rounds, ...t } = await timeInterleaved({
        model: alone, 0: () => inline.batch(batch), 1: () => wrapped[1].batch(batch), 2: () => wrapped[2].batch(batch),
        plain1: () => plain.run(1), plain2: () => plain.run(2),
      }, { items: sets, repeat, warmup: 1, rounds: true }));
    } finally {
      await plain.close();
    }
    // 2 threads against 1 within each round (run back to back): the VM's speed drifts
    // between rounds by more than the spread within one
    const within = (one, two) => summarize(rounds[one].map((t1, r) => t1 / rounds[two][r]));
    const speedup = within(1, 2);
    const ceiling = { one: t.plain1, two: t.plain2, speedup: within('plain1', 'plain2') };
    const rows = [
      { mode: 'inline (this thread)', threads: 0, t: t[0], same: true },
      { mode: '1 worker', threads: 1, t: t[1], same: same[1] },
      { mode: '2 workers', threads: 2, t: t[2], same: same[2] },
    ];
    return { sets, n, rows, model: t.model, speedup, ceiling };
  } finally {
    await Promise.all(Object.values(engines).map((e) => e.close()));
  }
}

export function modelsTable({ sets, n, rows, model, speedup, ceiling }) {
  const one = rows.find((r) => r.threads === 1);
  const x = (v) => `${v.toFixed(2)}×`;
  const spread = (s) => `${x(s.median)} (${x(s.min)}–${x(s.max)})`;
  return table(
    [`module model (~20 µs/set), SO(3), ${sets.toLocaleString('en')} sets × ${n} points`, 'µs per set', 'speed-up vs 1 worker, of the medians', 'speed-up vs 1 worker, round by round: median (min–max) (target ≥ 1.8× at 2)', 'bit-identical to inline'],
    [
      ...(model ? [['the model alone (this thread, no frames)', fmt(model), '—', '—', '—']] : []),
      ...rows.map((r) => [
        r.mode, fmt(r.t), r.threads === 0 ? '—' : ratio(one.t.median, r.t.median),
        r.threads === 2 && speedup ? spread(speedup) : r.threads === 1 ? '1×' : '—',
        r.same ? 'yes' : 'NO',
      ]),
      ...(ceiling ? [
        ['the model alone, 1 plain worker thread (no minframe)', fmt(ceiling.one), '1×', '1×', '—'],
        ['the model alone, split over 2 plain worker threads: the machine\'s ceiling', fmt(ceiling.two), ratio(ceiling.one.median, ceiling.two.median), spread(ceiling.speedup), '—'],
      ] : []),
    ],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(modelsTable(await benchModels()));
