// S(n) x O(3) per point set on one thread: canonicalize (invariant graph, canonical
// labeling, O(3)-frame, stabilizer) on random sets of n = 20 and 32 points, against
// the reference implementation's per-set time measured on this machine.
import { canonicalize, canonicalizeBatch } from '../dist/node/index.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeIt, fmt, ratio, table } from './lib.mjs';

/** The reference implementation (PyTorch + its nauty port, one CPU thread), µs per set, measured here. */
export const REFERENCE_US = { 20: 1500, 32: 2800 };

const SETS = 200;

export async function benchPermutation() {
  const normal = gaussian(rng(99));
  const rows = [];
  for (const n of [20, 32]) {
    const data = gaussianMatrix(normal, SETS * n, 3);
    const single = timeIt(() => {
      for (let i = 0; i < SETS; i++) canonicalize('S(n) x O(3)', data.subarray(i * n * 3, (i + 1) * n * 3), { n, d: 3 });
    }, { items: SETS, repeat: 11 });
    const batch = timeIt(() => canonicalizeBatch('S(n) x O(3)', { data, dim: 3, count: SETS }), { items: SETS, repeat: 11 });
    rows.push({ n, single, batch, reference: REFERENCE_US[n] });
  }
  return rows;
}

export function permutationTable(rows) {
  return table(
    ['S(n) x O(3), random points', 'canonicalize µs/set', 'canonicalizeBatch µs/set', 'reference µs/set', 'reference / batch'],
    rows.map((r) => [`n = ${r.n}`, fmt(r.single), fmt(r.batch), String(r.reference), ratio(r.reference, r.batch.median)]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(permutationTable(await benchPermutation()));
}
