/**
 * The frames driver of the point-group families: runFrames takes a checked batch
 * through a family's frames kernel, slice by slice, and the types every family
 * shares. The families (orthogonal.ts, lorentz.ts, unitary.ts, linear.ts) import
 * this module; families.ts dispatches to them. This module imports no family.
 */
import type { Group } from '../groups.js';
import { firstNonFinite, type CheckedBatch } from '../batch.js';
import { withArena, type Kernels } from '../wasm/module.js';

/**
 * The frames of a batch: input i has the canonical form c_i (rows offsets[i]..),
 * and its frame is h_i·Stab(c_i) with h_i = (matrices[i], shifts[i]) acting as
 * x ↦ x·Mᵀ + t, so X_i = c_i·M_iᵀ + t_i. All arrays are plain, cloneable data.
 */
export interface FrameBatch {
  group: string;
  dim: number;
  count: number;
  offsets: Int32Array;
  /** Canonical forms, laid out like the input rows. */
  canonical: Float64Array;
  /**
   * count d×d row-major matrices. Complex groups: 2d² values each, interleaved, holding
   * h = conj(Q), so that X = c·hᵀ as for the real groups.
   */
  matrices: Float64Array;
  /** count d-vectors (zero for groups without translations; 2d values for complex groups). */
  shifts: Float64Array;
  /** Rank of each input (of its rows minus the shift). */
  ranks: Int32Array;
  /** |Stab(c_i)|: 1 for generic inputs, Infinity for continuous stabilizers. */
  sizes: Float64Array;
  /**
   * Per input, [code, value]: [0, 0] for a frame without remarks; otherwise the
   * family's reason to reject the input (no frame exists) or to warn about its frame,
   * with a number the message needs (a row, a condition number). Plain data, so a
   * worker's results carry it back; `applyStatus` turns it into errors and warnings.
   */
  status: Float64Array;
  /**
   * Per input, a warning about a frame that was built but may be inaccurate
   * (GL/SL/Aff: condition number past 1e12), or null; absent when no input warns.
   */
  warnings?: (string | null)[];
}

/**
 * Status code of an input a worker found a non-finite value in (value: its position
 * among the input's values). Family codes are positive.
 */
export const STATUS_NONFINITE = -1;

/** Output kinds of equivariant functions. */
export type OutputKind = 'vectors' | 'points';

/** The frame's group elements for one input, or null when the stabilizer is continuous. */
export type Elements = { matrices: Float64Array; shifts: Float64Array } | null;

/** What a nonzero status means: the input has no frame (error) or a doubtful one (warning). */
export type Remark = { error: string } | { warning: string };

/** What runFrames needs of a family: its kernel's prefix, its flags and |Stab| by rank. */
export interface FamilyKernel {
  kernel: 'ortho' | 'lorentz' | 'unitary' | 'linear';
  flags(G: Group): number;
  stabilizerSize(G: Group, rank: number): number;
}

/**
 * Values per slice of runFrames (128 KiB of f64 rows): a batch goes through the
 * arena in slices of whole inputs, each copied in, checked, computed and copied
 * out while its rows and results are still in cache, instead of one pass per step
 * over the whole batch.
 */
const SLICE_VALUES = 1 << 14;

/**
 * Slices of a batch laid out by `offsets` (count+1 row indices, rows of rowLen
 * values): bounds[s] .. bounds[s+1]−1 are the inputs of slice s, whole inputs up to
 * SLICE_VALUES values, or one larger input; with the largest slice's rows and inputs.
 */
export function sliceBatch(offsets: Int32Array, rowLen: number): { bounds: number[]; maxRows: number; maxInputs: number } {
  const count = offsets.length - 1;
  const bounds = [0];
  let maxRows = 0;
  let maxInputs = 0;
  for (let i = 0; i < count; ) {
    let j = i + 1;
    while (j < count && (offsets[j + 1] - offsets[i]) * rowLen <= SLICE_VALUES) j++;
    maxRows = Math.max(maxRows, offsets[j] - offsets[i]);
    maxInputs = Math.max(maxInputs, j - i);
    bounds.push(j);
    i = j;
  }
  return { bounds, maxRows, maxInputs };
}

/**
 * Run the family's frames kernel over a checked batch (every family_frames kernel
 * shares one ABI: src/wasm/module.ts FramesKernel), slice by slice, into result
 * arrays allocated once: `into`'s arrays where their lengths fit, else new ones.
 * Rows of skipped inputs reach the kernel as zeros, never as invalid values; so do
 * those of inputs found non-finite here (unless b.checked), whose status becomes
 * [STATUS_NONFINITE, position of the value]. `extraFlags` adds kernel flags (the
 * families' frame-element listings use it).
 */
export function runFrames(k: Kernels, family: FamilyKernel, G: Group, b: CheckedBatch, tol: number, extraFlags = 0, into?: Partial<FrameBatch>): FrameBatch {
  const d = G.d;
  const rowLen = d * G.width;
  const mLen = d * rowLen;
  const count = b.count;
  const offsets = b.offsets;
  const fits = <T extends Float64Array | Int32Array>(a: T | undefined, length: number): a is T => a !== undefined && a.length === length;
  const f64 = (a: Float64Array | undefined, length: number) => (fits(a, length) ? a : new Float64Array(length));
  const canonical = f64(into?.canonical, offsets[count] * rowLen);
  const matrices = f64(into?.matrices, count * mLen);
  const shifts = f64(into?.shifts, count * rowLen);
  const ranks = fits(into?.ranks, count) ? into.ranks : new Int32Array(count);
  const sizes = f64(into?.sizes, count);
  const status = f64(into?.status, 2 * count);
  const { bounds, maxRows, maxInputs } = sliceBatch(offsets, rowLen);
  const kernel = k.exports[`${family.kernel}_frames`];
  withArena(k, `${family.kernel}_frames`, (a) => {
    const x = a.alloc(maxRows * rowLen * 8);
    const canon = a.alloc(maxRows * rowLen * 8);
    const off = a.alloc((maxInputs + 1) * 4);
    const work = a.alloc(k.exports[`${family.kernel}_work`](d));
    const m = a.alloc(maxInputs * mLen * 8);
    const shift = a.alloc(maxInputs * rowLen * 8);
    const rank = a.alloc(maxInputs * 4);
    const st = a.alloc(maxInputs * 16);
    // views of the slice buffers: no allocation below grows the memory
    const X = a.f64(x, maxRows * rowLen);
    const C = a.f64(canon, maxRows * rowLen);
    const O = a.i32(off, maxInputs + 1);
    const M = a.f64(m, maxInputs * mLen);
    const S = a.f64(shift, maxInputs * rowLen);
    const R = a.i32(rank, maxInputs);
    const T = a.f64(st, 2 * maxInputs);
    for (let s = 1; s < bounds.length; s++) {
      const i0 = bounds[s - 1];
      const n = bounds[s] - i0;
      const r0 = offsets[i0];
      const values = (offsets[i0 + n] - r0) * rowLen;
      const v0 = r0 * rowLen;
      X.set(b.data.subarray(v0, v0 + values));
      for (let i = 0; i <= n; i++) O[i] = offsets[i0 + i] - r0;
      let nonFinite: number[] | null = null;
      for (let i = 0; i < n; i++) {
        const from = O[i] * rowLen;
        const to = O[i + 1] * rowLen;
        let bad = b.skip[i0 + i] === 1;
        if (!bad && !b.checked) {
          // the copy is checked while it is in cache: one read of the input
          const at = firstNonFinite(X, from, to);
          if (at >= 0) (nonFinite ??= []).push(i, at - from);
          bad = at >= 0;
        }
        if (bad) X.fill(0, from, to);
      }
      S.fill(0, 0, n * rowLen);
      T.fill(0, 0, 2 * n);
      kernel(x, off, n, d, family.flags(G) | extraFlags, tol, work, m, shift, rank, st, canon);
      for (let j = 0; nonFinite !== null && j < nonFinite.length; j += 2) {
        T[2 * nonFinite[j]] = STATUS_NONFINITE;
        T[2 * nonFinite[j] + 1] = nonFinite[j + 1];
      }
      canonical.set(C.subarray(0, values), v0);
      matrices.set(M.subarray(0, n * mLen), i0 * mLen);
      shifts.set(S.subarray(0, n * rowLen), i0 * rowLen);
      ranks.set(R.subarray(0, n), i0);
      status.set(T.subarray(0, 2 * n), 2 * i0);
    }
  });
  for (let i = 0; i < count; i++) sizes[i] = family.stabilizerSize(G, ranks[i]);
  return { group: G.spec, dim: d, count, offsets, canonical, matrices, shifts, ranks, sizes, status };
}
