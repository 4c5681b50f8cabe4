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
import type { Kernels } from '../wasm/module.js';
import type { Elements, FrameBatch, Remark } from './index.js';

export { restore } from './orthogonal.js';

const SPECIAL = 1;
const CENTER = 2;

/** κ₁(A) = ‖A‖₁·‖A⁻¹‖₁ past which a frame carries a warning (the kernel's LINEAR_CONDITION_LIMIT). */
export const CONDITION_LIMIT = 1e12;

/** The kernel's status codes (FrameBatch.status): too few independent rows; an ill-conditioned A (value: κ₁(A)). */
const RANK = 1;

export const kernel = 'linear';

export function flags(G: Group): number {
  return (G.special ? SPECIAL : 0) | (G.translations ? CENTER : 0);
}

/**
 * GL, Aff: c = (X − t)·A⁻¹ is scale-invariant and M = Aᵀ scales with X; SL: κ scales
 * with X, so c = κ·(X − t)·A⁻¹ scales and M = Aᵀ/κ does not.
 */
export function degrees(G: Group): readonly [number, number] {
  return G.special ? [1, 0] : [0, 1];
}

/** Every frame is one element (rank-deficient inputs are rejected). */
export function stabilizerSize(): number {
  return 1;
}

export function explain(G: Group, code: number, value: number, rank: number): Remark {
  if (code === RANK) {
    const after = G.translations ? ' after subtracting the centroid' : '';
    return { error: `${G.spec} needs ${G.d} independent rows${after}, found rank ${rank}` };
  }
  return { warning: `${G.spec} frame is ill-conditioned (condition number ${value.toExponential(2)} > ${CONDITION_LIMIT.toExponential(0)}); the canonical form may be inaccurate` };
}

/** The frame's one group element (M, t). */
export function elements(_k: Kernels, G: Group, _b: CheckedBatch, _tol: number, f: FrameBatch): Elements {
  const d = G.d;
  return { matrices: f.matrices.slice(0, d * d), shifts: f.shifts.slice(0, d) };
}
