/**
 * O(d), SO(d), E(d), SE(d): the TypeScript side of assembly/frames/orthogonal.ts.
 *
 * The kernel returns Q with zero columns outside the span of the input when the
 * stabilizer is continuous (or O(1) at rank d−1), which is the closed-form Haar
 * average; so one matrix per input both canonicalizes and averages outputs.
 */
import type { Group } from '../groups.js';
import type { CheckedBatch } from '../batch.js';
import { withArena, type Arena, type Kernels } from '../wasm/module.js';
import { runFrames, sliceBatch, type FrameBatch, type OutputKind } from './index.js';

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

/**
 * y_i·Q_iᵀ (+ t_i for points): outputs on canonical forms back to the inputs' frames,
 * to `out` when given (y's length; it may be y itself).
 */
export function restore(k: Kernels, G: Group, f: FrameBatch, y: Float64Array, kind: OutputKind, out?: Float64Array): Float64Array {
  const d = G.d;
  const result = out ?? new Float64Array(y.length);
  // in slices of whole inputs, as runFrames computes them: each slice's rows are
  // copied in, mapped and copied out while they are in cache
  const { bounds, maxRows, maxInputs } = sliceBatch(f.offsets, d);
  const points = kind === 'points' && G.translations;
  // arrays already in the kernels' memory are read there, not copied in: frames kept
  // in it (runFrames' PLACED), and a batch model's outputs when it returns the
  // canonical batch it was given (or writes over it)
  const [py, pm, ps] = [y, f.matrices, f.shifts].map((v) => k.arena.pointerOf(v));
  return withArena(k, 'linalg_apply_t', (a) => {
    const yp = py >= 0 ? 0 : a.alloc(maxRows * d * 8);
    const outp = a.alloc(maxRows * d * 8);
    const off = a.alloc((maxInputs + 1) * 4);
    const m = pm >= 0 ? 0 : a.alloc(maxInputs * d * d * 8);
    const shift = ps >= 0 ? 0 : a.alloc(maxInputs * d * 8);
    const work = a.alloc(d * d * 8);
    const Y = a.f64(yp, py >= 0 ? 0 : maxRows * d);
    const R = a.f64(outp, maxRows * d);
    const O = a.i32(off, maxInputs + 1);
    const M = a.f64(m, pm >= 0 ? 0 : maxInputs * d * d);
    const S = a.f64(shift, ps >= 0 ? 0 : maxInputs * d);
    for (let s = 1; s < bounds.length; s++) {
      const i0 = bounds[s - 1];
      const n = bounds[s] - i0;
      const r0 = f.offsets[i0];
      const values = (f.offsets[i0 + n] - r0) * d;
      for (let i = 0; i <= n; i++) O[i] = f.offsets[i0 + i] - r0;
      if (py < 0) Y.set(y.subarray(r0 * d, r0 * d + values));
      if (pm < 0) M.set(f.matrices.subarray(i0 * d * d, (i0 + n) * d * d));
      if (points && ps < 0) S.set(f.shifts.subarray(i0 * d, (i0 + n) * d));
      const ys = py >= 0 ? py + r0 * d * 8 : yp;
      const ms = pm >= 0 ? pm + i0 * d * d * 8 : m;
      const ss = ps >= 0 ? ps + i0 * d * 8 : shift;
      k.exports.linalg_apply_t(ys, off, n, d, ms, d * d, 0, 0, points ? ss : 0, d, outp, work);
      result.set(R.subarray(0, values), r0 * d);
    }
    return result;
  });
}

/**
 * restore's kernel call on rows already in the arena (yp → outp, laid out by the
 * offsets at `offsets`), so that permutation.ts chains it with its other steps in
 * one arena: linalg_apply_t applies the row-major matrices transposed as stored.
 */
export function restoreRows(k: Kernels, a: Arena, G: Group, f: Pick<FrameBatch, 'count' | 'matrices' | 'shifts'>, offsets: number, yp: number, outp: number, kind: OutputKind): void {
  const d = G.d;
  const m = a.putF64(f.matrices);
  const post = kind === 'points' && G.translations ? a.putF64(f.shifts) : 0;
  const work = a.alloc(d * d * 8);
  k.exports.linalg_apply_t(yp, offsets, f.count, d, m, d * d, 0, 0, post, d, outp, work);
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
  const h = size === 2 ? runFrames(k, { kernel, flags, stabilizerSize, degrees }, G, b, tol, COMPLETE).matrices : f.matrices.slice(0, d * d);
  const matrices = new Float64Array(size * d * d);
  const shifts = new Float64Array(size * d);
  for (let s = 0; s < size; s++) {
    matrices.set(h, s * d * d);
    shifts.set(f.shifts.subarray(0, d), s * d);
  }
  if (size === 2) for (let r = 0; r < d; r++) matrices[d * d + r * d + d - 1] *= -1;
  return { matrices, shifts };
}
