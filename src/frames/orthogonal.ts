/**
 * O(d), SO(d), E(d), SE(d): the TypeScript side of assembly/frames/orthogonal.ts.
 *
 * The kernel returns Q with zero columns outside the span of the input when the
 * stabilizer is continuous (or O(1) at rank d−1), which is the closed-form Haar
 * average; so one matrix per input both canonicalizes and averages outputs.
 */
import type { Group } from '../groups.js';
import type { CheckedBatch } from '../batch.js';
import { withArena, type Kernels } from '../wasm/module.js';
import { runFrames, type FrameBatch, type OutputKind } from './index.js';

const SPECIAL = 1;
const CENTER = 2;
/** Kernel flag: at rank d−1, complete the last column even for O(d) (frame elements). */
const COMPLETE = 4;

export const kernel = 'ortho';

export function flags(G: Group): number {
  return (G.special ? SPECIAL : 0) | (G.translations ? CENTER : 0);
}

/** c = X·Q scales with X, Q does not (FrameBatch's degrees: c(s·X) = s·c(X), Q(s·X) = Q(X)). */
export function degrees(): readonly [number, number] {
  return [1, 0];
}

/** |Stab(c)| for rank r: O(d−r) or SO(d−r) — finite only when d−r <= 1. */
export function stabilizerSize(G: Group, rank: number): number {
  const free = G.d - rank;
  if (free === 0) return 1;
  if (free === 1) return G.special ? 1 : 2;
  return Infinity;
}

/** y_i·Q_iᵀ (+ t_i for points): outputs on canonical forms back to the inputs' frames. */
export function restore(k: Kernels, G: Group, f: FrameBatch, y: Float64Array, kind: OutputKind): Float64Array {
  const d = G.d;
  return withArena(k, 'linalg_apply', (a) => {
    const yp = a.putF64(y);
    const offsets = a.putI32(f.offsets);
    const qt = a.alloc(f.count * d * d * 8);
    const qtv = a.f64(qt, f.count * d * d);
    const m = f.matrices;
    for (let i = 0, base = 0; i < f.count; i++, base += d * d) {
      for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) qtv[base + r * d + c] = m[base + c * d + r];
    }
    const post = kind === 'points' && G.translations ? a.putF64(f.shifts) : 0;
    const out = a.alloc(y.length * 8);
    const work = a.alloc(d * 8);
    k.exports.linalg_apply(yp, offsets, f.count, d, qt, d * d, 0, 0, post, d, out, work);
    return a.f64(out, y.length).slice();
  });
}

/**
 * The frame's group elements for one input (index 0 of a batch of one), or null
 * when the stabilizer is continuous. Rank d−1 under O(d) has two: h and h with
 * its last column negated (the reflection fixing the span).
 */
export function elements(k: Kernels, G: Group, b: CheckedBatch, tol: number, f: FrameBatch): { matrices: Float64Array; shifts: Float64Array } | null {
  const size = f.sizes[0];
  if (!Number.isFinite(size)) return null;
  const d = G.d;
  const h = size === 2 ? runFrames(k, G, b, tol, COMPLETE).matrices : f.matrices.slice(0, d * d);
  const matrices = new Float64Array(size * d * d);
  const shifts = new Float64Array(size * d);
  for (let s = 0; s < size; s++) {
    matrices.set(h, s * d * d);
    shifts.set(f.shifts.subarray(0, d), s * d);
  }
  if (size === 2) for (let r = 0; r < d; r++) matrices[d * d + r * d + d - 1] *= -1;
  return { matrices, shifts };
}
