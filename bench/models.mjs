// Models on the workers: a module model costing about 20 µs per set, averaged over
// 20,000 SO(3) sets of 32 points, inline (the model on this thread) and on engines
// of 1 and 2 workers (each loads the module and runs it on its own chunks); the
// results must be the same bits.
import { createEngine, equivariant } from '../dist/node/index.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeAsync, fmt, ratio, table } from './lib.mjs';

const MODEL = new URL('./models/costly.mjs', import.meta.url);

export async function benchModels({ sets = 20_000, n = 32 } = {}) {
  const batch = { data: gaussianMatrix(gaussian(rng(11)), sets * n, 3), dim: 3, count: sets };
  const options = { items: sets, repeat: 5, warmup: 1 };
  const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const inline = equivariant('SO(3)', MODEL);
  const want = await inline.batch(batch);
  const rows = [{ mode: 'inline (this thread)', threads: 0, t: await timeAsync(() => inline.batch(batch), options), same: true }];
  for (const threads of [1, 2]) {
    const engine = await createEngine({ threads });
    try {
      const f = equivariant('SO(3)', MODEL, { engine });
      const got = await f.batch(batch);
      rows.push({ mode: `${threads} worker${threads > 1 ? 's' : ''}`, threads, t: await timeAsync(() => f.batch(batch), options), same: bytes(got.data).equals(bytes(want.data)) });
    } finally {
      await engine.close();
    }
  }
  return { sets, n, rows };
}

export function modelsTable({ sets, n, rows }) {
  const one = rows.find((r) => r.threads === 1);
  return table(
    [`module model (~20 µs/set), SO(3), ${sets.toLocaleString('en')} sets × ${n} points`, 'µs per set', 'speed-up vs 1 worker (target ≥ 1.8× at 2)', 'bit-identical to inline'],
    rows.map((r) => [r.mode, fmt(r.t), r.threads === 0 ? '—' : ratio(one.t.median, r.t.median), r.same ? 'yes' : 'NO']),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(modelsTable(await benchModels()));
