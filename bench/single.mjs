// One call per input, as an app embedding minframe calls it: canonicalize on one
// point set, canonicalizeBatch on batches of 1 and 8, and the wrappers on one input
// (equivariant with the identity, invariant with bench/averaging.mjs's sum), against
// the same sets' frames in one large batch (canonicalizeBatch with into, per set),
// timed side by side, round by round (bench/lib.mjs timeInterleaved), each call on
// 256 different inputs in turn.
import { canonicalize, canonicalizeBatch, equivariant, group, invariant } from '../dist/node/index.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeInterleaved, fmt, ratio, table } from './lib.mjs';
import { sum } from './averaging.mjs';

const INPUTS = 256;

export async function benchSingle({ repeat = 31 } = {}) {
  const rows = [];
  for (const [spec, n] of [['O(3)', 16], ['O(3)', 128], ['SE(3)', 16], ['SE(3)', 128]]) {
    const G = group(spec);
    const shape = { n, d: 3 };
    const xs = Array.from({ length: INPUTS }, (_, i) => gaussianMatrix(gaussian(rng(100 + i)), n, 3));
    const all = { data: gaussianMatrix(gaussian(rng(7)), INPUTS * n, 3), dim: 3, count: INPUTS };
    const eights = Array.from({ length: INPUTS / 8 }, (_, j) => ({ data: all.data.subarray(j * 8 * n * 3, (j + 1) * 8 * n * 3), dim: 3, count: 8 }));
    const ones = xs.map((data) => ({ data, dim: 3, count: 1 }));
    const eq = equivariant(G, (x) => x, { output: spec === 'SE(3)' ? 'points' : 'vectors' });
    const inv = invariant(G, sum);
    let into = canonicalizeBatch(G, all);
    const t = await timeInterleaved({
      batch: () => (into = canonicalizeBatch(G, all, { into })),
      single: () => {
        for (const x of xs) canonicalize(G, x, shape);
      },
      ones: () => {
        for (const b of ones) canonicalizeBatch(G, b);
      },
      eights: () => {
        for (const b of eights) canonicalizeBatch(G, b);
      },
      equivariant: async () => {
        for (const x of xs) await eq(x, shape);
      },
      invariant: async () => {
        for (const x of xs) await inv(x, shape);
      },
    }, { items: INPUTS, repeat });
    rows.push({ spec, n, ...t });
  }
  return { rows };
}

export function singleTable({ rows }) {
  const r = (t, base) => `${fmt(t)} ${ratio(t.median, base.median)}`;
  return table(
    ['group, n', 'frames in a batch of 256 (with into), per set', 'canonicalize, one set', 'canonicalizeBatch of 1 set', 'canonicalizeBatch of 8 sets, per set', 'equivariant (identity), one set', 'invariant (a sum), one set'],
    rows.map((x) => [`${x.spec}, n = ${x.n}`, fmt(x.batch), r(x.single, x.batch), r(x.ones, x.batch), r(x.eights, x.batch), r(x.equivariant, x.batch), r(x.invariant, x.batch)]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(singleTable(await benchSingle()));
}
