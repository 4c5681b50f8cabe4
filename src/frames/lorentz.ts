/**
 * O(1,d−1), SO(1,d−1): the TypeScript side of assembly/frames/lorentz.ts.
 *
 * The kernel returns h = Q with Qᵀ·η·Q = η (zero columns where the stabilizer is
 * averaged in closed form) and c = X·(η·Q·η), so X = c·Qᵀ: outputs map back with Qᵀ
 * exactly as for O(d), and the restore step is orthogonal.ts's. Inputs the kernel
 * finds no frame for are rejected with the reason.
 */
import type { Group } from '../groups.js';
import type { CheckedBatch } from '../batch.js';
import type { Kernels } from '../wasm/module.js';
import { runFrames, type Elements, type FrameBatch, type Remark } from './index.js';

export { restore } from './orthogonal.js';

const SPECIAL = 1;
/** Kernel flag: at rank d−1, complete the complement column even for O(1,d−1) (frame elements). */
const COMPLETE = 4;

const NULL_PIVOT = 1;
const NONCOMPACT = 2;
const OUTSIDE = 3;

export const kernel = 'lorentz';

export function flags(G: Group): number {
  return G.special ? SPECIAL : 0;
}

import { stabilizerSize, degrees } from './orthogonal.js';

/** |Stab(c)| for rank r is as for O(d) / SO(d) (the kernel rejects the non-compact cases); c scales with X, Q does not. */
export { stabilizerSize, degrees };

/** Why an input has no frame, from the kernel's status code and row. */
export function explain(G: Group, code: number, row: number, rank: number): Remark {
  const head = `${G.spec} has no frame for this input:`;
  if (code === NULL_PIVOT) {
    return { error: `${head} row ${row} is light-like after projection onto the rows before it, so their span is degenerate (its stabilizer is not compact)` };
  }
  if (code === NONCOMPACT && rank === 0) {
    return { error: `${head} every row is light-like or zero, so no row fixes a frame (the stabilizer is not compact)` };
  }
  if (code === NONCOMPACT) {
    return { error: `${head} its rows that are not light-like span a space-like subspace of dimension ${rank}, whose stabilizer O(1,${G.d - rank - 1}) is not compact` };
  }
  if (code === OUTSIDE) {
    return { error: `${head} light-like row ${row} lies outside the span of the other rows (rank ${rank}), so the frame's stabilizer would move it` };
  }
  return { error: `${head} unknown status ${code}` };
}

/**
 * The frame's group elements for one input, or null when the stabilizer is
 * continuous. Rank d−1 under O(1,d−1) has two: h and h with the complement column
 * (the zero column of h) completed and negated — the reflection fixing the span.
 */
export function elements(k: Kernels, G: Group, b: CheckedBatch, tol: number, f: FrameBatch): Elements {
  const size = f.sizes[0];
  if (!Number.isFinite(size)) return null;
  const d = G.d;
  if (size === 1) return { matrices: f.matrices.slice(0, d * d), shifts: new Float64Array(d) };
  const h = runFrames(k, { kernel, flags, stabilizerSize, degrees }, G, b, tol, COMPLETE).matrices;
  let zero = 0;
  while (zero < d - 1 && !isZeroColumn(f.matrices, d, zero)) zero++;
  const matrices = new Float64Array(2 * d * d);
  matrices.set(h, 0);
  matrices.set(h, d * d);
  for (let r = 0; r < d; r++) matrices[d * d + r * d + zero] *= -1;
  return { matrices, shifts: new Float64Array(2 * d) };
}

function isZeroColumn(m: Float64Array, d: number, j: number): boolean {
  for (let r = 0; r < d; r++) if (m[r * d + j] !== 0) return false;
  return true;
}
