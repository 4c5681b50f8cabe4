// Averaging at the speed of the frames: the wrappers with a free model (the identity;
// a sum for invariants) against canonicalizeBatch with `into` on the same batch, in
// one run: equivariant with batchModel, equivariant per input, invariant per input.
import { canonicalizeBatch, equivariant, invariant } from '../dist/node/index.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeAsync, fmt, ratio, table } from './lib.mjs';

const identity = (x) => x;
const stackedIdentity = (b) => b.data;
const sum = (x) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
};

export async function benchAveraging({ values = 1 << 19 } = {}) {
  const cases = [['O(3)', 16], ['O(3)', 128], ['SE(3)', 16], ['SE(3)', 128], ['S(n) x O(3)', 32]];
  const rows = [];
  for (const [spec, n] of cases) {
    const count = Math.floor(values / (n * 3));
    const batch = { data: gaussianMatrix(gaussian(rng(5)), count * n, 3), dim: 3, count };
    const options = { items: count, repeat: 9, warmup: 2 };
    let into = canonicalizeBatch(spec, batch);
    const frames = await timeAsync(async () => (into = canonicalizeBatch(spec, batch, { into })), options);
    const eq = equivariant(spec, stackedIdentity, { batchModel: true, output: 'points' });
    let out = await eq.batch(batch);
    const stacked = await timeAsync(async () => (out = await eq.batch(batch, { into: out })), options);
    const per = equivariant(spec, identity, { output: 'points' });
    let out2 = await per.batch(batch);
    const perInput = await timeAsync(async () => (out2 = await per.batch(batch, { into: out2 })), options);
    const inv = invariant(spec, sum);
    const invariantT = await timeAsync(() => inv.batch(batch), options);
    rows.push({ spec, n, count, frames, stacked, perInput, invariant: invariantT });
  }
  return { rows };
}

export function averagingTable({ rows }) {
  return table(
    ['group, n', 'canonicalizeBatch with into µs/set', 'equivariant, batchModel µs/set', '÷ frames (target ≤ 1.5×)', 'equivariant, per input µs/set', '÷ frames (≤ 2.5×)', 'invariant µs/set', '÷ frames (≤ 1.3×)'],
    rows.map((r) => [
      `${r.spec}, n = ${r.n}`, fmt(r.frames), fmt(r.stacked), ratio(r.stacked.median, r.frames.median),
      fmt(r.perInput), ratio(r.perInput.median, r.frames.median), fmt(r.invariant), ratio(r.invariant.median, r.frames.median),
    ]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(averagingTable(await benchAveraging()));
}
