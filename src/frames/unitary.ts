/**
 * U(d), SU(d): the TypeScript side of assembly/frames/unitary.ts. Data is complex,
 * interleaved (re, im), so a row holds 2d values and a matrix 2d².
 *
 * The kernel stores h as M = conj(Q), so X = c·Mᵀ as for the real groups; zero
 * columns of Q outside the span are the closed-form Haar average over U(d−r) or
 * SU(d−r), so one matrix per input both canonicalizes and averages outputs.
 */
import type { Group } from '../groups.js';
import type { CheckedBatch } from '../batch.js';
import { withArena, type Kernels } from '../wasm/module.js';
import type { Elements, FrameBatch, OutputKind } from './index.js';

const SPECIAL = 1;

export const kernel = 'unitary';

export function flags(G: Group): number {
  return G.special ? SPECIAL : 0;
}

/** c = X·Q scales with X, Q does not (as for O(d)). */
export { degrees } from './orthogonal.js';

/** |Stab(c)| for rank r: trivial at full rank (and for SU at rank d−1), else U(d−r) / SU(d−r). */
export function stabilizerSize(G: Group, rank: number): number {
  const free = G.d - rank;
  if (free === 0 || (free === 1 && G.special)) return 1;
  return Infinity;
}

/** y_i·M_iᵀ (complex): outputs on canonical forms back to the inputs' frames, to `out` when given (y's length). */
export function restore(k: Kernels, G: Group, f: FrameBatch, y: Float64Array, _kind: OutputKind, out?: Float64Array): Float64Array {
  const d = G.d;
  // read in place where they are in the kernels' memory already (orthogonal.ts restore)
  const [py, pm] = [y, f.matrices].map((v) => k.arena.pointerOf(v));
  return withArena(k, 'cplx_apply_t', (a) => {
    const yp = py >= 0 ? py : a.putF64(y);
    const offsets = a.putI32(f.offsets);
    const m = pm >= 0 ? pm : a.putF64(f.matrices);
    const outp = a.alloc(y.length * 8);
    const work = a.alloc(4 * d * d * 8);
    k.exports.cplx_apply_t(yp, offsets, f.count, d, m, d * d, outp, work);
    const result = out ?? new Float64Array(y.length);
    result.set(a.f64(outp, y.length));
    return result;
  });
}

/** The frame's one group element (M, zero shift) when the stabilizer is trivial, else null. */
export function elements(_k: Kernels, G: Group, _b: CheckedBatch, _tol: number, f: FrameBatch): Elements {
  if (f.sizes[0] !== 1) return null;
  const d = G.d;
  return { matrices: f.matrices.slice(0, 2 * d * d), shifts: new Float64Array(2 * d) };
}
