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
/**
 * The kernels' mark for an input whose scale lies outside the range their arithmetic
 * is exact in (assembly/linalg/scale.ts FRAMES_RESCALE); runFrames computes every
 * such input again scaled by a power of two, so the code never leaves it.
 */
const STATUS_RESCALE = -2;
/** Status code of an input whose values are all subnormal or zero (value: its largest magnitude). */
export const STATUS_SUBNORMAL = -3;
/** Status code of an input whose canonical form or frame element lies beyond float64's range. */
export const STATUS_OVERFLOW = -4;
/** Kernel flag of every family_frames (assembly/linalg/scale.ts FRAMES_SCALED): the inputs are scaled, mark none. */
const FRAMES_SCALED = 16;

/** The smallest normal float64, 2^-1022: an input whose largest magnitude is below it has lost relative precision. */
export const MIN_NORMAL = 2 ** -1022;

/** The rule an input breaks whose largest magnitude, `top`, is subnormal. */
export function subnormalRule(top: number): string {
  return `every value is subnormal or zero (largest magnitude ${top.toExponential(2)} < 2^-1022 ≈ 2.2e-308, the smallest normal float64), so its relative precision is already lost; scale it up`;
}

/** The rule an input breaks whose frame, computed scaled, does not fit float64 once scaled back. */
export function overflowRule(G: Group): string {
  return `its ${G.spec} canonical form or frame element has values beyond float64's range (above 1.8e308 in magnitude); scale it down`;
}

/** max |data[from..to)|. */
export function maxAbs(data: ArrayLike<number>, from: number, to: number): number {
  let top = 0;
  for (let j = from; j < to; j++) top = Math.max(top, Math.abs(data[j]));
  return top;
}

/** ⌊log₂ v⌋ for a normal v > 0: 2^−e scales v into [1, 2), exactly. */
export function exponentOf(v: number): number {
  let e = Math.floor(Math.log2(v));
  // Math.log2 may round across a power of two
  if (2 ** e > v) e--;
  else if (2 ** (e + 1) <= v) e++;
  return e;
}

/** data[from..to) *= f (a power of two: exact unless a value over- or underflows). */
export function scaleValues(data: Float64Array, from: number, to: number, f: number): void {
  for (let j = from; j < to; j++) data[j] *= f;
}

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
  /**
   * The degrees p, q with c(s·X) = s^p·c(X) and M(s·X) = s^q·M(X) for s > 0 (shifts
   * have degree 1): how runFrames scales back the frame of a scaled input.
   */
  degrees(G: Group): readonly [number, number];
  stabilizerSize(G: Group, rank: number): number;
}

/** runFrames' `into` for results kept in the kernels' own memory (see runFrames). */
export const PLACED = 'placed';

const EMPTY = new Float64Array(0);

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
 *
 * Scale: an input the kernel marks (its invariant scale is outside the range where
 * squaring loses nothing, assembly/linalg/scale.ts) is computed again with its rows
 * multiplied by the power of two 2^−e that brings its largest magnitude into [1, 2),
 * and its results are multiplied back by 2^e to the family's degrees. Powers of two
 * commute with every rounding, so this is the frame the kernel would compute in
 * unbounded exponent range: frames are scale-equivariant over all of float64, with
 * the same rank decisions. Marking costs the kernel one comparison per input, and
 * only marked inputs take this path. An input whose values are all subnormal gets
 * STATUS_SUBNORMAL instead, and one whose frame does not fit float64 once scaled back
 * (say, a canonical row longer than 1.8e308) STATUS_OVERFLOW.
 *
 * `into` = PLACED keeps canonical, matrices, shifts and ranks in k's own memory,
 * allocated above the arena's mark and not released: the kernel writes them where
 * they stay, with no copy out, and the result's arrays are views on them, valid
 * until k's memory next grows. For a caller that owns k (src/kinds/points.ts
 * pointFramedHere).
 */
export function runFrames(k: Kernels, family: FamilyKernel, G: Group, b: CheckedBatch, tol: number, extraFlags = 0, into?: Partial<FrameBatch> | typeof PLACED): FrameBatch {
  const d = G.d;
  const rowLen = d * G.width;
  const mLen = d * rowLen;
  const count = b.count;
  const offsets = b.offsets;
  const given = into === PLACED ? undefined : into;
  const fits = <T extends Float64Array | Int32Array>(a: T | undefined, length: number): a is T => a !== undefined && a.length === length;
  const f64 = (a: Float64Array | undefined, length: number) => (fits(a, length) ? a : new Float64Array(length));
  const lengths = { canonical: offsets[count] * rowLen, matrices: count * mLen, shifts: count * rowLen };
  // placed: the four arrays' pointers, allocated before withArena's mark so that they stay
  const at = into === PLACED
    ? { canonical: k.arena.alloc(lengths.canonical * 8), matrices: k.arena.alloc(lengths.matrices * 8), shifts: k.arena.alloc(lengths.shifts * 8), ranks: k.arena.alloc(count * 4) }
    : null;
  // (views on placed memory are made once the scratch below is released: it may grow the memory)
  let canonical = at ? EMPTY : f64(given?.canonical, lengths.canonical);
  let matrices = at ? EMPTY : f64(given?.matrices, lengths.matrices);
  let shifts = at ? EMPTY : f64(given?.shifts, lengths.shifts);
  let ranks = at ? new Int32Array(0) : fits(given?.ranks, count) ? given.ranks : new Int32Array(count);
  const sizes = f64(given?.sizes, count);
  const status = f64(given?.status, 2 * count);
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
    const single = a.alloc(8); // offsets of one input, for computing it again scaled
    const flags = a.alloc(maxInputs * 4); // linalg_nonfinite's answer per input
    // views of the slice buffers: no allocation below grows the memory
    const X = a.f64(x, maxRows * rowLen);
    const O = a.i32(off, maxInputs + 1);
    const R = a.i32(rank, maxInputs);
    // where the kernel writes a slice's results, and views of them: the slice buffers,
    // copied out after each slice, or (placed) the results' own memory at the slice
    let cp = canon;
    let mp = m;
    let sp = shift;
    let rp = rank;
    let C = a.f64(canon, maxRows * rowLen);
    let M = a.f64(m, maxInputs * mLen);
    let S = a.f64(shift, maxInputs * rowLen);
    const T = a.f64(st, 2 * maxInputs);
    const O1 = a.i32(single, 2);
    const F = a.i32(flags, maxInputs);
    /** Input i of the slice (marked by the kernel) again, scaled: see the doc above. */
    const rescale = (i: number) => {
      const from = O[i] * rowLen;
      const to = O[i + 1] * rowLen;
      const top = maxAbs(X, from, to); // > 0: the kernels mark no zero input
      if (top < MIN_NORMAL) {
        T[2 * i] = STATUS_SUBNORMAL;
        T[2 * i + 1] = top;
        return;
      }
      const e = exponentOf(top);
      scaleValues(X, from, to, 2 ** -e);
      O1[0] = 0;
      O1[1] = O[i + 1] - O[i];
      S.fill(0, i * rowLen, (i + 1) * rowLen);
      T[2 * i] = T[2 * i + 1] = 0;
      kernel(x + from * 8, single, 1, d, family.flags(G) | extraFlags | FRAMES_SCALED, tol, work, mp + i * mLen * 8, sp + i * rowLen * 8, rp + i * 4, st + i * 16, cp + from * 8);
      const back = 2 ** e;
      const [pc, pm] = family.degrees(G);
      if (pc === 1) scaleValues(C, from, to, back);
      if (pm === 1) scaleValues(M, i * mLen, (i + 1) * mLen, back);
      scaleValues(S, i * rowLen, (i + 1) * rowLen, back);
      if (firstNonFinite(C, from, to) >= 0 || firstNonFinite(M, i * mLen, (i + 1) * mLen) >= 0 || firstNonFinite(S, i * rowLen, (i + 1) * rowLen) >= 0) {
        T[2 * i] = STATUS_OVERFLOW;
        T[2 * i + 1] = 0;
      }
    };
    for (let s = 1; s < bounds.length; s++) {
      const i0 = bounds[s - 1];
      const n = bounds[s] - i0;
      const r0 = offsets[i0];
      const values = (offsets[i0 + n] - r0) * rowLen;
      const v0 = r0 * rowLen;
      X.set(b.data.subarray(v0, v0 + values));
      if (at) {
        cp = at.canonical + v0 * 8;
        mp = at.matrices + i0 * mLen * 8;
        sp = at.shifts + i0 * rowLen * 8;
        rp = at.ranks + i0 * 4;
        C = a.f64(cp, values);
        M = a.f64(mp, n * mLen);
        S = a.f64(sp, n * rowLen);
      }
      for (let i = 0; i <= n; i++) O[i] = offsets[i0 + i] - r0;
      let nonFinite: number[] | null = null;
      // the copy is checked while it is in cache (one read of the input), in WASM:
      // the same test in JavaScript cost a third of the call at n = 128
      const flagged = b.checked ? 0 : k.exports.linalg_nonfinite(x, off, n, rowLen, flags);
      for (let i = 0; i < n; i++) {
        const from = O[i] * rowLen;
        const to = O[i + 1] * rowLen;
        let bad = b.skip[i0 + i] === 1;
        if (!bad && flagged > 0 && F[i] === 1) {
          const at = firstNonFinite(X, from, to);
          (nonFinite ??= []).push(i, at - from);
          bad = true;
        }
        if (bad) X.fill(0, from, to);
      }
      S.fill(0, 0, n * rowLen);
      T.fill(0, 0, 2 * n);
      if (kernel(x, off, n, d, family.flags(G) | extraFlags, tol, work, mp, sp, rp, st, cp) > 0) {
        for (let i = 0; i < n; i++) if (T[2 * i] === STATUS_RESCALE) rescale(i);
      }
      for (let j = 0; nonFinite !== null && j < nonFinite.length; j += 2) {
        T[2 * nonFinite[j]] = STATUS_NONFINITE;
        T[2 * nonFinite[j] + 1] = nonFinite[j + 1];
      }
      if (!at) {
        canonical.set(C.subarray(0, values), v0);
        matrices.set(M.subarray(0, n * mLen), i0 * mLen);
        shifts.set(S.subarray(0, n * rowLen), i0 * rowLen);
        ranks.set(R.subarray(0, n), i0);
      }
      status.set(T.subarray(0, 2 * n), 2 * i0);
    }
  });
  if (at) {
    canonical = k.arena.f64(at.canonical, lengths.canonical);
    matrices = k.arena.f64(at.matrices, lengths.matrices);
    shifts = k.arena.f64(at.shifts, lengths.shifts);
    ranks = k.arena.i32(at.ranks, count);
  }
  for (let i = 0; i < count; i++) sizes[i] = family.stabilizerSize(G, ranks[i]);
  return { group: G.spec, dim: d, count, offsets, canonical, matrices, shifts, ranks, sizes, status };
}
