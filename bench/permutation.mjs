// S(n) x O(3) per point set on one thread: canonicalize (one set per call) and
// canonicalizeBatch (200 sets per call) on random sets of n = 20 and 32 points,
// against the reference implementation's per-set time measured on this machine.
// Random points have distinct norms, so their vertex colours already give the
// canonical labeling; points on the unit sphere tie in every norm and take the full
// path (edge colours, the labeling search) — the reference has no time for those.
//
// Real data: RDKit conformers of molecules with their hydrogens
// (test/fixtures/molecules/conformers.json) under S(n) x E(3), one molecule per call,
// and batches of 200 copies, each renumbered and moved rigidly.
import { readFileSync } from 'node:fs';
import { canonicalize, canonicalizeBatch } from '../dist/node/index.js';
import { rng, gaussian, gaussianMatrix, haarOrthogonal, randomPermutation, permuteRows, actRows } from '../dist/node/testing.js';
import { timeIt, fmt, ratio, table } from './lib.mjs';

const CONFORMERS = JSON.parse(readFileSync(new URL('../test/fixtures/molecules/conformers.json', import.meta.url), 'utf8'));

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
      rows.push({ spec: 'S(n) x O(3)', points, n, single, batch, reference: points === 'random' ? REFERENCE_US[n] : null });
    }
  }
  const u = rng(7);
  for (const c of CONFORMERS) {
    const x = Float64Array.from(c.coords);
    const n = c.n;
    const data = new Float64Array(SETS * n * 3);
    for (let i = 0; i < SETS; i++) data.set(actRows(haarOrthogonal(normal, 3), permuteRows(randomPermutation(u, n), x, 3), n, 3, Float64Array.of(normal(), normal(), normal())), i * n * 3);
    const spec = 'S(n) x E(3)';
    const single = timeIt(() => canonicalize(spec, x, { n, d: 3 }), { repeat: 11, minMs: 20 });
    const batch = timeIt(() => canonicalizeBatch(spec, { data, dim: 3, count: SETS }), { items: SETS, repeat: 11 });
    rows.push({ spec, points: `${c.name} (RDKit conformer)`, n, single, batch, reference: null, size: canonicalize(spec, x, { n, d: 3 }).size });
  }
  return rows;
}

export function permutationTable(rows) {
  return table(
    ['point sets', 'canonicalize µs/set', 'canonicalizeBatch µs/set', 'reference µs/set', 'reference / canonicalize', 'reference / batch'],
    rows.map((r) => [`${r.spec ?? 'S(n) x O(3)'}: ${r.points}, n = ${r.n}${r.size !== undefined ? `, \\|frame\\| ${r.size}` : ''}`, fmt(r.single), fmt(r.batch), r.reference ? String(r.reference) : '—',
      r.reference ? ratio(r.reference, r.single.median) : '—', r.reference ? ratio(r.reference, r.batch.median) : '—']),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(permutationTable(await benchPermutation()));
}
