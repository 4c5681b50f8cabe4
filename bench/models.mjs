// Models on the workers: a module model costing about 20 µs per set, averaged over
// 20,000 SO(3) sets of 32 points, inline (the model on this thread) and on engines
// of 1 and 2 workers (each loads the module and runs it on its own chunks), timed side
// by side; the results must be the same bits.
import { createEngine, equivariant } from '../dist/node/index.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeInterleaved, fmt, ratio, table } from './lib.mjs';

const MODEL = new URL('./models/costly.mjs', import.meta.url);

export async function benchModels({ sets = 20_000, n = 32, repeat = 9 } = {}) {
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
    const t = await timeInterleaved({ model: alone, 0: () => inline.batch(batch), 1: () => wrapped[1].batch(batch), 2: () => wrapped[2].batch(batch) }, { items: sets, repeat, warmup: 1 });
    const rows = [
      { mode: 'inline (this thread)', threads: 0, t: t[0], same: true },
      { mode: '1 worker', threads: 1, t: t[1], same: same[1] },
      { mode: '2 workers', threads: 2, t: t[2], same: same[2] },
    ];
    return { sets, n, rows, model: t.model };
  } finally {
    await Promise.all(Object.values(engines).map((e) => e.close()));
  }
}

export function modelsTable({ sets, n, rows, model }) {
  const one = rows.find((r) => r.threads === 1);
  return table(
    [`module model (~20 µs/set), SO(3), ${sets.toLocaleString('en')} sets × ${n} points`, 'µs per set', 'speed-up vs 1 worker (target ≥ 1.8× at 2)', 'bit-identical to inline'],
    [
      ...(model ? [['the model alone (this thread, no frames)', fmt(model), '—', '—']] : []),
      ...rows.map((r) => [r.mode, fmt(r.t), r.threads === 0 ? '—' : ratio(one.t.median, r.t.median), r.same ? 'yes' : 'NO']),
    ],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(modelsTable(await benchModels()));
