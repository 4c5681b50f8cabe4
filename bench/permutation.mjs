// S(n) x O(3) per point set on one thread: canonicalize (one set per call) and
// canonicalizeBatch (200 sets per call) on random sets of n = 20 and 32 points,
// against the reference implementation's per-set time measured on this machine.
// Random points have distinct norms, so their vertex colours already give the
// canonical labeling; points on the unit sphere tie in every norm and take the full
// path (edge colours, the labeling search) — the reference has no time for those.
import { canonicalize, canonicalizeBatch } from '../dist/node/index.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeIt, fmt, ratio, table } from './lib.mjs';

/** The reference implementation (PyTorch + its nauty port, one CPU thread), µs per set of random points, measured here. */
export const REFERENCE_US = { 20: 1500, 32: 2800 };

const SETS = 200;

/** Every row scaled to unit length: all norms tie. */
function onSphere(data) {
  for (let r = 0; r < data.length; r += 3) {
    const s = Math.hypot(data[r], data[r + 1], data[r + 2]);
    for (let a = 0; a < 3; a++) data[r + a] /= s;
  }
  return data;
}

export async function benchPermutation() {
  const normal = gaussian(rng(99));
  const rows = [];
  for (const [points, shape] of [['random', (x) => x], ['on the unit sphere', onSphere]]) {
    for (const n of [20, 32]) {
      const data = shape(gaussianMatrix(normal, SETS * n, 3));
      const single = timeIt(() => {
        for (let i = 0; i < SETS; i++) canonicalize('S(n) x O(3)', data.subarray(i * n * 3, (i + 1) * n * 3), { n, d: 3 });
      }, { items: SETS, repeat: 11 });
      const batch = timeIt(() => canonicalizeBatch('S(n) x O(3)', { data, dim: 3, count: SETS }), { items: SETS, repeat: 11 });
      rows.push({ points, n, single, batch, reference: points === 'random' ? REFERENCE_US[n] : null });
    }
  }
  return rows;
}

export function permutationTable(rows) {
  return table(
    ['S(n) x O(3)', 'canonicalize µs/set', 'canonicalizeBatch µs/set', 'reference µs/set', 'reference / canonicalize', 'reference / batch'],
    rows.map((r) => [`${r.points}, n = ${r.n}`, fmt(r.single), fmt(r.batch), r.reference ? String(r.reference) : '—',
      r.reference ? ratio(r.reference, r.single.median) : '—', r.reference ? ratio(r.reference, r.batch.median) : '—']),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(permutationTable(await benchPermutation()));
}
