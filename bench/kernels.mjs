// Frame kernels alone against their floors, for kernel work: every group of
// orthogonal.mjs and groups.mjs at n = 128, plus a tiny n (default 4) where the
// per-input fixed cost dominates. `node --expose-gc bench/kernels.mjs [n...] [--only=E(3)+O(3)]`.
import { kernels, withArena } from '../dist/node/internal.js';
import { rng, gaussian, gaussianMatrix } from '../dist/node/testing.js';
import { timeIt, fmt, ratio, table } from './lib.mjs';

const SETS = 256;
const GROUPS = [['O(3)', 3, 1, 0], ['O(6)', 6, 1, 0], ['E(3)', 3, 1, 2], ['O(1,3)', 4, 1, 0], ['U(3)', 3, 2, 0], ['GL(3)', 3, 1, 0]];

function measure(spec, d, width, flags, n, data) {
  const e = kernels().exports;
  return withArena(kernels(), 'bench', (a) => {
    const x = a.putF64(data);
    const offsets = a.putI32(Int32Array.from({ length: SETS + 1 }, (_, i) => i * n));
    const m = a.alloc(SETS * d * d * width * 8), t = a.alloc(SETS * d * width * 8), r = a.alloc(SETS * 4);
    const status = a.alloc(SETS * 16), c = a.alloc(data.length * 8);
    const fixed = a.putF64(Float64Array.from({ length: d * d * width }, (_, i) => (i % (width * (d + 1)) === 0 ? 1 : 0.25)));
    const applyWork = a.alloc(2 * d * d * 8);
    const fam = spec.startsWith('O(1') ? 'lorentz' : spec.startsWith('U') ? 'unitary' : spec.startsWith('GL') ? 'linear' : 'ortho';
    const work = a.alloc(e[`${fam}_work`](d));
    const frames = () => e[`${fam}_frames`](x, offsets, SETS, d, flags, 1e-9, work, m, t, r, status, c);
    const floor = width === 2
      ? () => e.cplx_apply(x, offsets, SETS, d, fixed, 0, c, applyWork)
      : () => e.linalg_apply(x, offsets, SETS, d, fixed, 0, 0, 0, 0, 0, c, applyWork);
    const opts = { items: SETS, repeat: 15, warmupMs: 200 };
    return { frames: timeIt(frames, opts), floor: timeIt(floor, opts) };
  });
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split('+');
const ns = process.argv.slice(2).filter((a) => !a.startsWith('--')).map(Number);
const rows = [];
for (const n of ns.length ? ns : [128, 4]) {
  for (const [spec, d, width, flags] of GROUPS) {
    if (only && !only.includes(spec)) continue;
    const data = gaussianMatrix(gaussian(rng(7)), SETS * n, d * width);
    const { frames, floor } = measure(spec, d, width, flags, n, data);
    rows.push([spec, String(n), fmt(frames, 3), fmt(floor, 3), ratio(frames.median, floor.median)]);
  }
}
console.log(table(['group', 'n', 'kernel µs/set', 'floor µs/set', 'kernel / floor'], rows));
