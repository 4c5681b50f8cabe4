// O(1,3), U(3), GL(3) with n = 128 per set on one thread: minframe's frame kernel
// and its public batch API against the floor for the same dimension — one fixed
// matrix applied to every row (linalg_apply, or cplx_apply for complex rows, with
// mStride 0), the unavoidable work of any canonicalization — and against the
// reference implementation's per-set time (issue 3: PyTorch, one CPU thread).
// The API is timed as a plain call (fresh result arrays) and with `into` (each
// call overwrites the previous result, as a loop over batches does).
import { canonicalizeBatch } from '../dist/node/index.js';
import { kernels, withArena } from '../dist/node/internal.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeIt, fmt, ratio, table } from './lib.mjs';

/** The reference implementation (PyTorch, one CPU thread), µs per set of n = 128. */
export const REFERENCE_US = { 'O(1,3)': 340, 'U(3)': 145, 'GL(3)': 145 };

const SETS = 256;
const N = 128;

/** The frame kernel alone, and the floor, on data already in WASM memory: µs per set. */
function kernelTime(spec, d, width, data) {
  const k = kernels();
  const e = k.exports;
  return withArena(k, 'bench', (a) => {
    const x = a.putF64(data);
    const offsets = a.putI32(Int32Array.from({ length: SETS + 1 }, (_, i) => i * N));
    const m = a.alloc(SETS * d * d * width * 8), t = a.alloc(SETS * d * width * 8), r = a.alloc(SETS * 4);
    const status = a.alloc(SETS * 16), c = a.alloc(data.length * 8);
    const fixed = a.putF64(Float64Array.from({ length: d * d * width }, (_, i) => (i % (width * (d + 1)) === 0 ? 1 : 0.25)));
    const applyWork = a.alloc(2 * d * d * 8);
    let frames;
    if (spec === 'O(1,3)') {
      const work = a.alloc(e.lorentz_work(d));
      frames = () => e.lorentz_frames(x, offsets, SETS, d, 0, 1e-9, work, m, t, r, status, c);
    } else if (spec === 'U(3)') {
      const work = a.alloc(e.unitary_work(d));
      frames = () => e.unitary_frames(x, offsets, SETS, d, 0, 1e-9, work, m, t, r, status, c);
    } else {
      const work = a.alloc(e.linear_work(d));
      frames = () => e.linear_frames(x, offsets, SETS, d, 0, 1e-9, work, m, t, r, status, c);
    }
    const floor = width === 2
      ? () => e.cplx_apply(x, offsets, SETS, d, fixed, 0, c, applyWork)
      : () => e.linalg_apply(x, offsets, SETS, d, fixed, 0, 0, 0, 0, 0, c, applyWork);
    return { frames: timeIt(frames, { items: SETS }), floor: timeIt(floor, { items: SETS }) };
  });
}

export async function benchGroups() {
  const normal = gaussian(rng(2025));
  const rows = [];
  for (const [spec, d, width] of [['O(1,3)', 4, 1], ['U(3)', 3, 2], ['GL(3)', 3, 1]]) {
    const data = gaussianMatrix(normal, SETS * N, d * width);
    const { frames, floor } = kernelTime(spec, d, width, data);
    const api = timeIt(() => canonicalizeBatch(spec, { data, dim: d, count: SETS }), { items: SETS });
    let last = canonicalizeBatch(spec, { data, dim: d, count: SETS });
    const apiInto = timeIt(() => (last = canonicalizeBatch(spec, { data, dim: d, count: SETS }, { into: last })), { items: SETS });
    rows.push({ spec, d, n: N, frames, floor, api, apiInto, reference: REFERENCE_US[spec] });
  }
  return rows;
}

export function groupsTable(rows) {
  return table(
    ['group, n = 128', 'minframe kernel µs/set', 'minframe API µs/set', 'API with into µs/set', 'API / kernel (with into)', 'floor µs/set', 'kernel / floor', 'reference µs/set', 'reference / kernel', 'reference / API'],
    rows.map((r) => [r.spec, fmt(r.frames), fmt(r.api), fmt(r.apiInto), `${ratio(r.api.median, r.frames.median)} (${ratio(r.apiInto.median, r.frames.median)})`, fmt(r.floor), ratio(r.frames.median, r.floor.median), String(r.reference), ratio(r.reference, r.frames.median), ratio(r.reference, r.api.median)]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(groupsTable(await benchGroups()));
}
