/**
 * GL(d), SL(d), Aff(d): the TypeScript side of assembly/frames/linear.ts.
 *
 * h = (M = Aᵀ/κ, t) with X = c·Mᵀ + t, so outputs map back exactly as for E(d)
 * (orthogonal.ts's restore: y·Mᵀ, plus t for points under Aff). Every frame is one
 * element: the stabilizer of a full-rank input is trivial, and a rank-deficient
 * input (non-compact stabilizer, no average) is rejected.
 */
import type { Group } from '../groups.js';
import type { CheckedBatch } from '../batch.js';
import { withArena, type Kernels } from '../wasm/module.js';
import { putRows, type Elements, type FrameBatch, type Remark } from './index.js';

export { restore } from './orthogonal.js';

const SPECIAL = 1;
const CENTER = 2;

/** Condition number ‖A‖₁·‖A⁻¹‖₁ past which a frame carries a warning. */
export const CONDITION_LIMIT = 1e12;

/** Status codes (FrameBatch.status): too few independent rows; an ill-conditioned A (value: its condition number). */
const RANK = 1;
const ILL_CONDITIONED = 2;

export function explain(G: Group, code: number, value: number, rank: number): Remark {
  if (code === RANK) {
    const after = G.translations ? ' after subtracting the centroid' : '';
    return { error: `${G.spec} needs ${G.d} independent rows${after}, found rank ${rank}` };
  }
  return { warning: `${G.spec} frame is ill-conditioned (condition number ${value.toExponential(2)} > ${CONDITION_LIMIT.toExponential(0)}); the canonical form may be inaccurate` };
}

export function frames(k: Kernels, G: Group, b: CheckedBatch, tol: number): FrameBatch {
  const d = G.d;
  return withArena(k, 'linear_frames', (a) => {
    const { x, offsets } = putRows(k, b, d);
    const n = b.data.length;
    const work = a.alloc(k.exports.linear_work(d));
    const m = a.alloc(b.count * d * d * 8);
    const shift = a.alloc(b.count * d * 8);
    const rank = a.alloc(b.count * 4);
    const cond = a.alloc(b.count * 8);
    const canon = a.alloc(n * 8);
    const flags = (G.special ? SPECIAL : 0) | (G.translations ? CENTER : 0);
    k.exports.linear_frames(x, offsets, b.count, d, flags, tol, work, m, shift, rank, cond, canon);
    const ranks = a.i32(rank, b.count).slice();
    const conds = a.f64(cond, b.count);
    const status = new Float64Array(2 * b.count);
    for (let i = 0; i < b.count; i++) {
      if (ranks[i] < d) status[2 * i] = RANK;
      else if (conds[i] > CONDITION_LIMIT) {
        status[2 * i] = ILL_CONDITIONED;
        status[2 * i + 1] = conds[i];
      }
    }
    return {
      group: G.spec,
      dim: d,
      count: b.count,
      offsets: b.offsets,
      canonical: a.f64(canon, n).slice(),
      matrices: a.f64(m, b.count * d * d).slice(),
      shifts: a.f64(shift, b.count * d).slice(),
      ranks,
      sizes: new Float64Array(b.count).fill(1),
      status,
    };
  });
}

/** The frame's one group element (M, t). */
export function elements(_k: Kernels, G: Group, _b: CheckedBatch, _tol: number, f: FrameBatch): Elements {
  const d = G.d;
  return { matrices: f.matrices.slice(0, d * d), shifts: f.shifts.slice(0, d) };
}
