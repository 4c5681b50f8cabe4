// O(3), O(6), E(3) with n = 128 per set on one thread: minframe's kernel and its
// public batch API against the floor (one fixed d×d matrix applied to every row),
// against ml-matrix's Householder QR doing the same canonicalization, and against
// the reference implementation's per-set time measured on this machine. The API is
// timed as a plain call (fresh result arrays) and with `into` (each call overwrites
// the previous result, as a loop over batches does).
import { Matrix, QrDecomposition } from 'ml-matrix';
import { canonicalizeBatch } from '../dist/node/index.js';
import { kernels, withArena } from '../dist/node/internal.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeIt, fmt, ratio, table } from './lib.mjs';

/** The reference implementation (PyTorch, one CPU thread, float64), µs per set, measured here. */
export const REFERENCE_US = { 'O(3)': 260, 'O(6)': 451, 'E(3)': 211 };

const SETS = 256;
const N = 128;

/** minframe's frames kernel alone on data already in WASM memory: µs per set. */
function kernelTime(spec, d, data, flags) {
  const k = kernels();
  return withArena(k, 'ortho_frames', (a) => {
    const x = a.putF64(data);
    const offsets = a.putI32(Int32Array.from({ length: SETS + 1 }, (_, i) => i * N));
    const work = a.alloc(k.exports.ortho_work(d));
    const q = a.alloc(SETS * d * d * 8), t = a.alloc(SETS * d * 8), r = a.alloc(SETS * 4), st = a.alloc(SETS * 16), c = a.alloc(data.length * 8);
    const m = a.putF64(Float64Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0.25)));
    const frames = timeIt(() => k.exports.ortho_frames(x, offsets, SETS, d, flags, 1e-9, work, q, t, r, st, c), { items: SETS });
    const floor = timeIt(() => k.exports.linalg_apply(x, offsets, SETS, d, m, 0, 0, 0, 0, 0, c, work), { items: SETS });
    return { frames, floor };
  });
}

/** The same canonicalization with ml-matrix: first d rows, QR, positive diag(R), C = (X − t)·Q. */
function mlMatrixTime(d, data, center) {
  const sets = [];
  for (let s = 0; s < 64; s++) {
    const rows = [];
    for (let r = 0; r < N; r++) rows.push(Array.from(data.subarray((s * N + r) * d, (s * N + r + 1) * d)));
    sets.push(new Matrix(rows));
  }
  return timeIt(() => {
    for (const X0 of sets) {
      let X = X0;
      if (center) {
        const mean = X.mean('column');
        X = X.clone().subRowVector(mean);
      }
      const M = X.subMatrix(0, d - 1, 0, d - 1).transpose();
      const qr = new QrDecomposition(M);
      const Q = qr.orthogonalMatrix;
      const R = qr.upperTriangularMatrix;
      for (let j = 0; j < d; j++) if (R.get(j, j) < 0) for (let i = 0; i < d; i++) Q.set(i, j, -Q.get(i, j));
      X.mmul(Q);
    }
  }, { items: sets.length, repeat: 11 });
}

export async function benchOrthogonal() {
  const normal = gaussian(rng(2024));
  const rows = [];
  for (const [spec, d, flags] of [['O(3)', 3, 0], ['O(6)', 6, 0], ['E(3)', 3, 2]]) {
    const data = gaussianMatrix(normal, SETS * N, d);
    const { frames, floor } = kernelTime(spec, d, data, flags);
    const api = timeIt(() => canonicalizeBatch(spec, { data, dim: d, count: SETS }), { items: SETS });
    let last = canonicalizeBatch(spec, { data, dim: d, count: SETS });
    const apiInto = timeIt(() => (last = canonicalizeBatch(spec, { data, dim: d, count: SETS }, { into: last })), { items: SETS });
    const ml = mlMatrixTime(d, data, flags === 2);
    rows.push({ spec, d, n: N, frames, floor, api, apiInto, ml, reference: REFERENCE_US[spec] });
  }
  return rows;
}

export function orthogonalTable(rows) {
  return table(
    ['group, n = 128', 'minframe kernel µs/set', 'minframe API µs/set', 'API with into µs/set', 'API / kernel (with into)', 'floor µs/set', 'kernel / floor', 'ml-matrix µs/set', 'ml-matrix / kernel', 'ml-matrix / API', 'reference µs/set', 'reference / kernel', 'reference / API'],
    rows.map((r) => [r.spec, fmt(r.frames), fmt(r.api), fmt(r.apiInto), `${ratio(r.api.median, r.frames.median)} (${ratio(r.apiInto.median, r.frames.median)})`, fmt(r.floor), ratio(r.frames.median, r.floor.median), fmt(r.ml), ratio(r.ml.median, r.frames.median), ratio(r.ml.median, r.api.median), String(r.reference), ratio(r.reference, r.frames.median), ratio(r.reference, r.api.median)]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(orthogonalTable(await benchOrthogonal()));
}
