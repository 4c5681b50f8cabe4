/**
 * The frame-averaging baselines FA, SFA and iFA for O(d), SO(d), E(d), SE(d): the
 * TypeScript side of assembly/frames/fa.ts, for comparisons with minimal frames.
 * Unlike a minimal frame, these frames make the model run once per element.
 *
 * - FA (Puny et al., "Frame averaging for invariant and equivariant network
 *   design", ICLR 2022): t = centroid (E, SE) or 0, A = (X − t)ᵀ(X − t) = V·diag(λ)·Vᵀ
 *   (eigenvalues descending, each eigenvector's largest component positive), and
 *   the frame is {W·diag(s)} over every sign vector s, W = V with its columns in
 *   ascending order of eigenvalue (the reference implementation's order, so that
 *   canonical coordinates come in the same order): 2^d elements, or the 2^(d−1)
 *   with det = +1 for SO(d), SE(d). An element M acts as x ↦ x·Mᵀ + t, so the
 *   canonical input of M is g⁻¹·X = (X − t)·M, and
 *     equivariant ⟨f⟩(X) = (1/|F|) Σ_M f((X − t)·M)·Mᵀ (+ t for outputs of kind points),
 *     invariant   ⟨f⟩(X) = (1/|F|) Σ_M f((X − t)·M).
 *   Exactly equivariant when the nonzero eigenvalues are distinct: the signs of
 *   the eigenvectors are then the only ambiguity, and every choice is in the
 *   frame; a repeated zero eigenvalue is harmless too (the canonical inputs are
 *   zero along the null space, so the sign average cancels its arbitrary basis).
 *   Not when a nonzero eigenvalue repeats: its eigenvectors are not determined by X.
 * - SFA: one element of FA's frame per input, drawn from (seed, input index), so the
 *   same seed gives the same elements (a part of a batch computed apart passes the
 *   index of its first input as `first`). Equivariant only in expectation over the
 *   draw.
 * - iFA: FA after the reference implementation's first-order eigenvalue perturbation
 *   of degenerate inputs (see `perturb`), with the eigenvectors of eigenvalues
 *   λ_j <= tol·λ_0 zeroed (the reference zeroes λ_j < 1e-5; relative here, so the
 *   frames do not depend on the input's scale; the two agree on the reference's
 *   vectors). The zeroed columns average the output's components outside the
 *   span of X to zero, as minimal frames do (src/frames/orthogonal.ts).
 *
 * Wiring: `checkMethod` validates the `method` option once; per batch, `faFrames`
 * gives every input's frame and the canonical inputs stacked as a batch
 * (canonical, canonicalOffsets: the model's input), and `faAverage` maps the
 * model's outputs back. src/kinds/baseline.ts runs them for the wrappers and the engine.
 */
import { checkMethod, checkSeed, group as parseGroup, DEFAULT_TOL, type Group, type Method } from '../groups.js';
import { checkTol, firstNonFinite, nonFiniteRule, type CheckedBatch } from '../batch.js';
import { kernels, withArena, type Kernels } from '../wasm/module.js';
import { inputRangeError, optionRangeError } from '../errors.js';
import { maxAbs, type OutputKind } from './index.js';

/** The baselines: FA, stochastic FA (one element), improved FA (perturbed degenerate inputs). */
export type FaMethod = Exclude<Method, 'mfa'>;

/** Kernel flags (assembly/frames/fa.ts). */
const SPECIAL = 1;
const CENTER = 2;
const NULL = 4;
/** fa_expand's pick: all elements, or none. */
const ALL = -1;
const NONE = -2;

/**
 * Every input's FA/SFA/iFA frame, as plain data. Input i owns elements
 * elementOffsets[i] .. elementOffsets[i+1]−1 (sizes[i] of them; none for an input
 * that failed validation, whose error is in the batch's `errors`); element e has
 * the matrix M_e = matrices[e·d² ..] (d×d row-major) and acts as x ↦ x·M_eᵀ + t_i.
 * `canonical` holds (X_i − t_i)·M_e for every element in order, n_i rows each, with
 * `canonicalOffsets` (elements+1 row indices): { data: canonical, dim, offsets:
 * canonicalOffsets } is the batch the model runs on, one input per element.
 */
export interface FaFrames {
  method: FaMethod;
  group: string;
  dim: number;
  /** Number of inputs. */
  count: number;
  /** The inputs' count+1 row offsets. */
  offsets: Int32Array;
  /** |F| per input: 2^d (O, E) or 2^(d−1) (SO, SE) for FA and iFA, 1 for SFA, 0 for a skipped input. */
  sizes: Int32Array;
  /** count+1 element indices. */
  elementOffsets: Int32Array;
  /** Per element, the input it belongs to (for naming an input when the model fails). */
  inputOf: Int32Array;
  /** Per element, M (d² values). */
  matrices: Float64Array;
  /** Per input, t (d values): the centroid for E(d), SE(d), else 0; NaN for a skipped input. */
  shifts: Float64Array;
  /** Per input, the eigenvalues of A (iFA: the perturbed A), descending; NaN for a skipped input. */
  values: Float64Array;
  /** Per element, its canonical input (X − t)·M, n_i rows of d values. */
  canonical: Float64Array;
  /** Elements+1 row offsets into canonical. */
  canonicalOffsets: Int32Array;
  /** iFA: 1 where the input was degenerate and its second moments went through the perturbation (else 0). */
  perturbed: Uint8Array;
  /** The seed SFA drew its elements with (0 for FA and iFA). */
  seed: number;
}

/**
 * Canonical output values per slice of faFrames (512 KiB): inputs go through the
 * arena in slices of whole inputs (or one larger input), so the memory in use
 * stays small however large the batch.
 */
const SLICE_VALUES = 1 << 16;

export interface FaFramesOptions {
  tol?: number;
  seed?: number;
  first?: number;
  into?: FaFrames;
}

/**
 * The frames of a checked batch (src/batch.ts: checkShape or checkSingle for G).
 * Inputs whose values were not checked yet (b.checked false) are checked here; a non-finite one is rejected in b like an invalid one (its
 * error in b.errors, b.skip set) and gets no elements. `tol` (default 1e-9) is
 * iFA's null-space threshold relative to the largest eigenvalue; `seed` is SFA's
 * (see checkSeed), and `first` the index in a larger batch of b's first input
 * (default 0), for SFA's draws. `into`: an earlier result whose arrays are
 * overwritten where their lengths fit, instead of allocating new ones (as for
 * canonicalizeBatch: FA's canonical inputs are |F| times the batch, and touching
 * that much fresh memory costs more than computing them).
 */
export function faFrames(method: FaMethod, G: Group, b: CheckedBatch, options: FaFramesOptions = {}, k: Kernels = kernels()): FaFrames {
  checkMethod(method, G);
  const tol = checkTol(options.tol, DEFAULT_TOL);
  const seed = method === 'sfa' ? checkSeed(options.seed) : 0;
  const first = options.first ?? 0;
  if (!Number.isSafeInteger(first) || first < 0) throw optionRangeError(`first must be a whole number >= 0, got ${String(first)}`);
  const d = G.d;
  const count = b.count;
  const offsets = b.offsets;
  rejectNonFinite(b, d);
  const pool = G.special ? 2 ** (d - 1) : 2 ** d; // FA's frame size
  const per = method === 'sfa' ? 1 : pool;
  const into = options.into;
  const i32 = (a: Int32Array | undefined, length: number) => (a !== undefined && a.length === length ? a : new Int32Array(length));
  const f64 = (a: Float64Array | undefined, length: number) => (a !== undefined && a.length === length ? a : new Float64Array(length));
  const sizes = i32(into?.sizes, count);
  const elementOffsets = i32(into?.elementOffsets, count + 1);
  elementOffsets[0] = 0;
  let rows = 0;
  for (let i = 0; i < count; i++) {
    sizes[i] = b.skip[i] ? 0 : per;
    elementOffsets[i + 1] = elementOffsets[i] + sizes[i];
    rows += sizes[i] * (offsets[i + 1] - offsets[i]);
  }
  const elements = elementOffsets[count];
  const inputOf = i32(into?.inputOf, elements);
  const canonicalOffsets = i32(into?.canonicalOffsets, elements + 1);
  canonicalOffsets[0] = 0;
  for (let i = 0; i < count; i++) {
    const n = offsets[i + 1] - offsets[i];
    for (let e = elementOffsets[i]; e < elementOffsets[i + 1]; e++) {
      inputOf[e] = i;
      canonicalOffsets[e + 1] = canonicalOffsets[e] + n;
    }
  }
  const perturbed = into?.perturbed.length === count ? into.perturbed.fill(0) : new Uint8Array(count);
  // every value of the arrays below is written: each element's matrix and canonical input, each input's shift and values
  const f: FaFrames = {
    method, group: G.spec, dim: d, count, offsets, sizes, elementOffsets, inputOf,
    matrices: f64(into?.matrices, elements * d * d),
    shifts: f64(into?.shifts, count * d),
    values: f64(into?.values, count * d),
    canonical: f64(into?.canonical, rows * d),
    canonicalOffsets,
    perturbed,
    seed,
  };
  const { bounds, maxRows, maxInputs, maxElements, maxValues } = slices(f);
  const flags = (G.special ? SPECIAL : 0) | (G.translations ? CENTER : 0) | (method === 'ifa' ? NULL : 0);
  const mm = d * d;
  withArena(k, 'fa_expand', (a) => {
    const x = a.alloc(maxRows * d * 8);
    const off = a.alloc((maxInputs + 1) * 4);
    const work = a.alloc(k.exports.fa_work(d));
    const shift = a.alloc(maxInputs * d * 8);
    const am = a.alloc(maxInputs * mm * 8);
    const lam = a.alloc(maxInputs * d * 8);
    const vec = a.alloc(maxInputs * mm * 8);
    const pick = a.alloc(maxInputs * 4);
    const mat = a.alloc(maxElements * mm * 8);
    const canon = a.alloc(maxValues * 8);
    const trial = a.alloc(mm * 8); // iFA's trial matrices and their eigenvalues
    const trialValues = a.alloc(d * 8);
    // views: no allocation below grows the memory
    const X = a.f64(x, maxRows * d), O = a.i32(off, maxInputs + 1), S = a.f64(shift, maxInputs * d);
    const A = a.f64(am, maxInputs * mm), L = a.f64(lam, maxInputs * d), V = a.f64(vec, maxInputs * mm);
    const P = a.i32(pick, maxInputs), M = a.f64(mat, maxElements * mm), C = a.f64(canon, maxValues);
    const T = a.f64(trial, mm), TV = a.f64(trialValues, d);
    const multiplicityOf = (m: Float64Array): number => {
      T.set(m);
      k.exports.fa_eigh(trial, 1, d, work, trialValues, 0);
      return multiplicity(TV);
    };
    for (let s = 1; s < bounds.length; s++) {
      const i0 = bounds[s - 1];
      const n = bounds[s] - i0;
      const r0 = offsets[i0];
      X.set(b.data.subarray(r0 * d, offsets[i0 + n] * d));
      for (let i = 0; i <= n; i++) O[i] = offsets[i0 + i] - r0;
      for (let i = 0; i < n; i++) {
        const skip = b.skip[i0 + i] === 1;
        if (skip) X.fill(0, O[i] * d, O[i + 1] * d); // the kernels never see invalid values
        P[i] = skip ? NONE : method === 'sfa' ? drawElement(seed, first + i0 + i, pool) : ALL;
      }
      k.exports.fa_moments(x, off, n, d, flags, work, shift, am);
      k.exports.fa_eigh(am, n, d, work, lam, vec);
      for (let i = 0; method === 'ifa' && i < n; i++) {
        const lamI = L.subarray(i * d, (i + 1) * d);
        if (b.skip[i0 + i] || multiplicity(lamI) === 0) continue; // not degenerate: plain FA
        const y = centred(X, S, O[i], O[i + 1], d, i);
        A.set(perturb(y, d, A.subarray(i * mm, (i + 1) * mm), lamI, V.subarray(i * mm, (i + 1) * mm), multiplicityOf), i * mm);
        k.exports.fa_eigh(am + i * mm * 8, 1, d, work, lam + i * d * 8, vec + i * mm * 8);
        f.perturbed[i0 + i] = 1;
      }
      k.exports.fa_expand(x, off, n, d, flags, tol, lam, vec, shift, pick, work, mat, canon);
      const e0 = elementOffsets[i0];
      const ne = elementOffsets[i0 + n] - e0;
      const c0 = canonicalOffsets[e0] * d;
      f.matrices.set(M.subarray(0, ne * mm), e0 * mm);
      f.canonical.set(C.subarray(0, canonicalOffsets[e0 + ne] * d - c0), c0);
      f.shifts.set(S.subarray(0, n * d), i0 * d);
      f.values.set(L.subarray(0, n * d), i0 * d);
    }
  });
  for (let i = 0; i < count; i++) {
    if (!b.skip[i]) continue;
    f.shifts.fill(NaN, i * d, (i + 1) * d);
    f.values.fill(NaN, i * d, (i + 1) * d);
  }
  return f;
}

/**
 * The slices faFrames and faAverage take f's inputs in: bounds[s] .. bounds[s+1]−1,
 * whole inputs up to SLICE_VALUES canonical values, or one larger input; and the
 * largest slice's rows, inputs, elements and canonical values (for the arena).
 */
function slices(f: FaFrames): { bounds: number[]; maxRows: number; maxInputs: number; maxElements: number; maxValues: number } {
  const { count, offsets, elementOffsets, canonicalOffsets, dim: d } = f;
  const bounds = [0];
  let maxRows = 0, maxInputs = 0, maxElements = 0, maxValues = 0;
  for (let i = 0; i < count; ) {
    let j = i + 1;
    const valuesTo = (to: number) => (canonicalOffsets[elementOffsets[to]] - canonicalOffsets[elementOffsets[i]]) * d;
    while (j < count && valuesTo(j + 1) <= SLICE_VALUES) j++;
    maxRows = Math.max(maxRows, offsets[j] - offsets[i]);
    maxInputs = Math.max(maxInputs, j - i);
    maxElements = Math.max(maxElements, elementOffsets[j] - elementOffsets[i]);
    maxValues = Math.max(maxValues, valuesTo(j));
    bounds.push(j);
    i = j;
  }
  return { bounds, maxRows, maxInputs, maxElements, maxValues };
}

/**
 * Largest magnitude the baselines take: their centroid and covariance sum and
 * square the values unscaled, so 2^500 keeps n·(2·2^500)² far inside float64.
 */
const FA_MAX_MAGNITUDE = 2 ** 500;

/**
 * Check the values of a batch, rejecting the inputs that hold a non-finite one
 * (unless b.checked) or one beyond FA_MAX_MAGNITUDE, whose covariance would overflow
 * to NaN frames.
 */
function rejectNonFinite(b: CheckedBatch, d: number): void {
  for (let i = 0; i < b.count; i++) {
    if (b.skip[i]) continue;
    const from = b.offsets[i] * d;
    const to = b.offsets[i + 1] * d;
    const at = b.checked ? -1 : firstNonFinite(b.data, from, to);
    const top = at < 0 ? maxAbs(b.data, from, to) : 0;
    if (at < 0 && top <= FA_MAX_MAGNITUDE) continue;
    const rule = at >= 0 ? nonFiniteRule(b.data, from, at, d)
      : `holds a value of magnitude ${top.toExponential(2)}; the baselines take values up to 2^500 ≈ 3.3e150 (their covariance squares them); scale it down`;
    b.errors[i] = inputRangeError(i, rule);
    b.skip[i] = 1;
    b.bad++;
  }
  b.checked = true;
}

/**
 * SFA's element for input i: an index in [0, pool) from a 32-bit hash of (seed, i)
 * (the finalizer of MurmurHash3, which mixes every input bit into every output bit);
 * pool is a power of two, so the low bits are uniform.
 */
function drawElement(seed: number, i: number, pool: number): number {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return h & (pool - 1);
}

/** Rows r0..r1−1 of X minus input i's shift (as fa_moments centres them). */
function centred(X: Float64Array, S: Float64Array, r0: number, r1: number, d: number, i: number): Float64Array {
  const y = new Float64Array((r1 - r0) * d);
  for (let r = 0; r < r1 - r0; r++) for (let a = 0; a < d; a++) y[r * d + a] = X[(r0 + r) * d + a] - S[i * d + a];
  return y;
}

/** numpy's rint: the nearest integer, halves to even. */
function rint(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The reference's measure of degeneracy: eigenvalues rounded to 5 decimals
 * (absolute, as numpy.round(λ, 5)), and Σ (multiplicity − 1) over the repeated
 * rounded values other than 0.
 */
function multiplicity(values: ArrayLike<number>): number {
  const keys = Array.from(values, (v) => rint(v * 1e5)).sort((p, q) => p - q);
  let s = 0;
  for (let j = 1; j < keys.length; j++) if (keys[j] === keys[j - 1] && keys[j] !== 0) s++;
  return s;
}

/**
 * iFA's first-order eigenvalue perturbation of one input (the reference
 * implementation's `eigenvalue_perturbation`, step for step, with its absolute
 * constants): y holds the centred rows (n×d), A0 = yᵀy, lam (descending) and V its
 * eigendecomposition, degenerate (multiplicity(lam) > 0); `multiplicityOf` measures
 * a matrix's degeneracy (see `multiplicity`). Returns the perturbed second moments
 * Σ_k w_k·y_k·y_kᵀ.
 *
 * For each repeated rounded eigenvalue λ >= 1e-5, in ascending order: the m
 * eigenvalues within 1e-5 of λ span an eigenspace E; rows not used before whose
 * squared projection u_k = ‖P_E·y_k‖² is at least 1e-8 are taken in row order, m−1
 * of them, each as long as A is still degenerate: its weight becomes 1 + ε·λ/u_k
 * for the first ε in 0.1, 0.2, …, 1.0 that lowers the degeneracy (or 1.0 when
 * none does) — to first order this moves one eigenvalue of E by ε·λ.
 */
function perturb(y: Float64Array, d: number, A0: Float64Array, lam: Float64Array, V: Float64Array, multiplicityOf: (m: Float64Array) => number): Float64Array {
  const n = y.length / d;
  const cur = A0.slice();
  const trial = new Float64Array(d * d);
  const used = new Uint8Array(n);
  // the repeated rounded eigenvalues in ascending order, as numpy.unique lists them
  const counts = new Map<number, number>();
  for (const v of lam) counts.set(rint(v * 1e5), (counts.get(rint(v * 1e5)) ?? 0) + 1);
  const repeated = [...counts].filter(([, c]) => c > 1).map(([key]) => key).sort((p, q) => p - q);
  for (const key of repeated) {
    const value = key / 1e5;
    if (value < 1e-5) continue;
    const span: number[] = [];
    for (let j = 0; j < d; j++) if (Math.abs(lam[j] - value) < 1e-5) span.push(j);
    const m = span.length;
    if (m === 1) continue;
    const u = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      for (const j of span) {
        let p = 0;
        for (let a = 0; a < d; a++) p += y[r * d + a] * V[a * d + j];
        u[r] += p * p;
      }
    }
    for (let l = 0; l < m - 1; l++) {
      for (let r = 0; r < n; r++) {
        if (used[r] || Math.abs(u[r]) < 1e-8) continue;
        used[r] = 1;
        const al = multiplicityOf(cur);
        if (al === 0) break;
        let eps = 0.1;
        for (let step = 0; step < 10; step++) {
          addOuter(trial, cur, (eps * value) / u[r], y, r, d);
          if (multiplicityOf(trial) < al) break;
          eps += 0.1;
        }
        cur.set(trial);
        break;
      }
    }
  }
  return cur;
}

/** out = A + w·y_r·y_rᵀ (d×d). */
function addOuter(out: Float64Array, A: Float64Array, w: number, y: Float64Array, r: number, d: number): void {
  for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) out[p * d + q] = A[p * d + q] + w * y[r * d + p] * y[r * d + q];
}

/**
 * Model outputs on f's canonical inputs, averaged back over each input's frame.
 * Equivariant (kind 'vectors' or 'points'): y is laid out like f.canonical (n_i
 * rows of d per element); the result, laid out like the inputs, is
 * (1/|F_i|)·Σ_e y_e·M_eᵀ, plus t_i for 'points' under E(d), SE(d). Invariant: y
 * holds L values per element (L = y.length / elements, the same for all), and the
 * result count×L values, each input's mean over its elements in order. Skipped
 * inputs get NaN.
 */
export function faAverage(f: FaFrames, y: ArrayLike<number>, kind: OutputKind | 'invariant', k: Kernels = kernels()): Float64Array {
  const elements = f.elementOffsets[f.count];
  if (kind === 'invariant') {
    const width = elements === 0 ? 0 : y.length / elements;
    if (!Number.isInteger(width)) throw optionRangeError(`invariant outputs must hold the same number of values for each of the ${elements} frame elements, got ${y.length} values`);
    const out = new Float64Array(f.count * width);
    for (let i = 0; i < f.count; i++) {
      const e0 = f.elementOffsets[i], e1 = f.elementOffsets[i + 1];
      for (let c = 0; c < width; c++) {
        if (e1 === e0) {
          out[i * width + c] = NaN;
          continue;
        }
        let s = 0;
        for (let e = e0; e < e1; e++) s += y[e * width + c];
        out[i * width + c] = s / (e1 - e0);
      }
    }
    return out;
  }
  if (y.length !== f.canonical.length) throw optionRangeError(`equivariant outputs must be laid out like the canonical inputs (${f.canonical.length} values), got ${y.length}`);
  const d = f.dim;
  const translations = (parseGroup(f.group) as Group).translations;
  const mm = d * d;
  const points = kind === 'points' && translations;
  const out = new Float64Array(f.offsets[f.count] * d);
  const { bounds, maxRows, maxInputs, maxElements, maxValues } = slices(f);
  withArena(k, 'fa_average', (a) => {
    const yp = a.alloc(maxValues * 8);
    const off = a.alloc((maxInputs + 1) * 4);
    const eo = a.alloc((maxInputs + 1) * 4);
    const mat = a.alloc(maxElements * mm * 8);
    const shift = points ? a.alloc(maxInputs * d * 8) : 0;
    const res = a.alloc(maxRows * d * 8);
    const Y = a.f64(yp, maxValues), O = a.i32(off, maxInputs + 1), E = a.i32(eo, maxInputs + 1);
    const M = a.f64(mat, maxElements * mm), S = a.f64(shift, points ? maxInputs * d : 0), R = a.f64(res, maxRows * d);
    for (let s = 1; s < bounds.length; s++) {
      const i0 = bounds[s - 1];
      const n = bounds[s] - i0;
      const e0 = f.elementOffsets[i0];
      const c0 = f.canonicalOffsets[e0] * d;
      for (let i = 0; i <= n; i++) {
        O[i] = f.offsets[i0 + i] - f.offsets[i0];
        E[i] = f.elementOffsets[i0 + i] - e0;
      }
      const values = f.canonicalOffsets[f.elementOffsets[i0 + n]] * d - c0;
      if (y instanceof Float64Array || y instanceof Float32Array) Y.set(y.subarray(c0, c0 + values));
      else for (let v = 0; v < values; v++) Y[v] = y[c0 + v];
      M.set(f.matrices.subarray(e0 * mm, f.elementOffsets[i0 + n] * mm));
      if (points) S.set(f.shifts.subarray(i0 * d, (i0 + n) * d));
      k.exports.fa_average(yp, off, n, d, eo, mat, shift, res);
      out.set(R.subarray(0, O[n] * d), f.offsets[i0] * d);
    }
  });
  return out;
}
