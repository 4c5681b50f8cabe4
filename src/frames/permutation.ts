/**
 * S(n) and S(n) x G on point sets (DESIGN.md §2): G ∈ O(d), SO(d), E(d), SE(d),
 * O(1,d−1), SO(1,d−1); S(n) permutes the rows.
 *
 * S(n): rows sorted lexicographically, each column's values clustered with the
 * relative tolerance first (so the order is a true total order on cluster ids);
 * rows with equal ids tie, the stabilizer permutes each tie group, and an output
 * row is averaged over its tie group — in closed form, with no enumeration.
 *
 * S(n) x G: the complete graph of G-invariants — vertex colour from ⟨x_i, x_i⟩, edge
 * colour from ⟨x_i, x_j⟩ (after centering for E/SE; η for Lorentz), both clustered
 * with the tolerance — is labeled canonically (src/graphs/canon.ts, refined on edge
 * colours directly); the rows in canonical order then get their G-frame, giving
 * c = h⁻¹·X[π]. Stab(c) is the automorphism group of that coloured graph, each
 * automorphism a coming with the G-element g_a that maps c_i to c_{a(i)} on the
 * span of c (for SO groups only those with det g_a = +1). The model runs once, on c;
 * its output rows are averaged over the stabilizer and mapped back through h and π.
 */
import type { Group, PermutationGroup } from '../groups.js';
import { checkSingle } from '../batch.js';
import { clusterIds, enumerate, DEFAULT_ELEMENT_CAP } from './graph.js';
import { canonicalLabeling } from '../graphs/canon.js';
import { computeFrame, restoreOutputs, type FrameBatch, type OutputKind } from './index.js';
import { inputRangeError, optionRangeError } from '../errors.js';

export interface PermutationFrame {
  group: string;
  n: number;
  d: number;
  /** c, n×d: the rows in canonical order, then (S(n) x G) their G-canonical form. */
  canonical: Float64Array;
  /** Canonical row i is input row permutation[i]. */
  permutation: Int32Array;
  /** The G part of h (identity and zero for S(n)): X[π] = c·matrixᵀ + shift. */
  matrix: Float64Array;
  shift: Float64Array;
  /** Rank of the rows (minus the shift), as the G-frame sees them (d for S(n)). */
  rank: number;
  /**
   * |frame|: the stabilizer's permutations, one G-element each (the count the
   * reference reports: cube 48, square 8). Outside the span of a rank-deficient
   * input the G part is averaged in closed form on top (see `complementSize`).
   */
  size: number;
  sizeExact: bigint;
  /** |Stab| of the G part alone on the complement of the span: 1, 2 or Infinity. */
  complementSize: number;
  /** Outputs of the model on c (n rows of `dim`), averaged over Stab(c), in input row order and frame. */
  averageRows(y: ArrayLike<number>, kind?: OutputKind): Float64Array;
}

/**
 * What averageRows needs of the stabilizer, as plain (cloneable) data, so that a
 * frame computed on a worker averages on the calling thread exactly as it would
 * where it was computed.
 * - 'runs' (S(n)): run[i] = the first canonical row of row i's tie group.
 * - 'elements' (S(n) x G): the automorphisms a_j (`autos`, j·n + i ↦ a_j(i)), their
 *   r×r maps M_j on the span (`maps`), the signs of det M_j, whether the last
 *   column is completed by det = +1 (SO groups at rank d−1), and the G-frame of
 *   the permuted rows that restoreOutputs maps outputs back with.
 */
export type Stabilizer =
  | { kind: 'runs'; run: Int32Array }
  | { kind: 'elements'; count: number; autos: Int32Array; maps: Float64Array; signs: Int8Array; completed: boolean; frame: FrameBatch };

/** A PermutationFrame without its methods: plain data a worker can send back. */
export interface PermutationFrameData extends Omit<PermutationFrame, 'averageRows'> {
  stabilizer: Stabilizer;
}

export interface PermutationOptions {
  tol: number;
  /** Largest stabilizer S(n) x G enumerates (the default is DEFAULT_ELEMENT_CAP). */
  cap?: number;
}

/** The frame of one point set under S(n) or S(n) x G. */
export function permutationFrame(G: PermutationGroup, x: Float64Array | Float32Array, shape: { n: number; d: number }, options: PermutationOptions): PermutationFrame {
  return withAverage(G, permutationFrameData(G, x, shape, options));
}

/** The same as plain data (see withAverage). */
export function permutationFrameData(G: PermutationGroup, x: Float64Array | Float32Array, shape: { n: number; d: number }, options: PermutationOptions): PermutationFrameData {
  if (G.base) return productFrame(G, G.base, x, shape, options);
  return sortFrame(G, x, shape, options.tol);
}

/** The frame of `data` (from permutationFrameData, here or on a worker) with its averageRows. */
export function withAverage(G: PermutationGroup, data: PermutationFrameData): PermutationFrame {
  const { stabilizer, ...frame } = data;
  const { n, d, permutation } = data;
  if (stabilizer.kind === 'runs') {
    const { run } = stabilizer;
    return {
      ...frame,
      averageRows(y) {
        const rowLen = checkRows(y, n);
        const sum = new Float64Array(n * rowLen);
        const count = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          count[run[i]]++;
          for (let c = 0; c < rowLen; c++) sum[run[i] * rowLen + c] += y[i * rowLen + c];
        }
        const out = new Float64Array(n * rowLen);
        for (let i = 0; i < n; i++) {
          for (let c = 0; c < rowLen; c++) out[permutation[i] * rowLen + c] = sum[run[i] * rowLen + c] / count[run[i]];
        }
        return out;
      },
    };
  }
  const { count, autos, maps, signs, completed, frame: f } = stabilizer;
  const r = data.rank;
  return {
    ...frame,
    averageRows(y, kind = 'vectors') {
      if (y.length !== n * d) throw optionRangeError(`outputs must be n×d = ${n * d} values, got ${y.length}`);
      const avg = new Float64Array(n * d);
      for (let e = 0; e < count; e++) {
        const a = autos.subarray(e * n, e * n + n);
        const m = maps.subarray(e * r * r, (e + 1) * r * r);
        for (let i = 0; i < n; i++) {
          const src = a[i] * d;
          for (let k = 0; k < r; k++) {
            let s = 0;
            for (let l = 0; l < r; l++) s += y[src + l] * m[l * r + k];
            avg[i * d + k] += s;
          }
          if (completed) avg[i * d + d - 1] += signs[e] * y[src + d - 1];
          else for (let k = r; k < d; k++) avg[i * d + k] += y[src + k];
        }
      }
      for (let j = 0; j < avg.length; j++) avg[j] /= count;
      const back = restoreOutputs(G.base!, f, avg, kind);
      const out = new Float64Array(n * d);
      for (let i = 0; i < n; i++) out.set(back.subarray(i * d, i * d + d), permutation[i] * d);
      return out;
    },
  };
}

/**
 * The group whose shape and value checks apply to the rows: G of S(n) x G, or a
 * stand-in of dimension d for S(n), which takes any d.
 */
export function rowGroup(G: PermutationGroup, d: number): Group {
  return G.base ?? anyDim(d);
}

/** A stand-in group of dimension d for the shape and value checks of S(n). */
function anyDim(d: number): Group {
  return { spec: `S(n) on d = ${d}`, name: 'S', family: 'orthogonal', d, width: 1, special: false, translations: false };
}

function sortFrame(G: PermutationGroup, x: Float64Array | Float32Array, shape: { n: number; d: number }, tol: number): PermutationFrameData {
  const d = shape?.d;
  if (!Number.isSafeInteger(d) || d < 1) throw inputRangeError(0, `d must be a whole number >= 1, got ${String(d)}`);
  const b = checkSingle(anyDim(d), x, shape);
  const n = shape.n;
  const ids = new Int32Array(n * d);
  for (let a = 0; a < d; a++) {
    const col = Float64Array.from({ length: n }, (_, r) => b.data[r * d + a]);
    clusterIds(col, tol).forEach((id, r) => (ids[r * d + a] = id));
  }
  const order = Array.from({ length: n }, (_, r) => r);
  const cmp = (p: number, q: number) => {
    for (let a = 0; a < d; a++) if (ids[p * d + a] !== ids[q * d + a]) return ids[p * d + a] - ids[q * d + a];
    return 0;
  };
  order.sort((p, q) => cmp(p, q) || p - q);
  const permutation = Int32Array.from(order);
  const canonical = new Float64Array(n * d);
  order.forEach((r, i) => canonical.set(b.data.subarray(r * d, r * d + d), i * d));
  // tie groups: runs of equal ids in canonical order; |Stab| = Π (run length)!
  const run = new Int32Array(n);
  let sizeExact = 1n;
  for (let i = 0, start = 0; i <= n; i++) {
    if (i === n || (i > start && cmp(order[i], order[start]) !== 0)) {
      for (let j = start; j < i; j++) run[j] = start;
      for (let m = 2n; m <= BigInt(i - start); m++) sizeExact *= m;
      start = i;
    }
  }
  const identity = new Float64Array(d * d);
  for (let a = 0; a < d; a++) identity[a * d + a] = 1;
  return {
    group: G.spec,
    n,
    d,
    canonical,
    permutation,
    matrix: identity,
    shift: new Float64Array(d),
    rank: d,
    size: Number(sizeExact),
    sizeExact,
    complementSize: 1,
    stabilizer: { kind: 'runs', run },
  };
}

/** Row length of model outputs y for n rows (a whole number of values per row). */
function checkRows(y: ArrayLike<number>, n: number): number {
  if (y.length % n !== 0 || y.length === 0) throw optionRangeError(`outputs must have n = ${n} rows of equal length, got ${y.length} values`);
  return y.length / n;
}

function productFrame(G: PermutationGroup, base: Group, x: Float64Array | Float32Array, shape: { n: number; d: number }, options: PermutationOptions): PermutationFrameData {
  const b = checkSingle(base, x, shape);
  const { n } = shape;
  const d = base.d;
  const tol = options.tol;
  // the G-invariants: Gram entries of the (centred) rows, in the group's metric
  const rows = Float64Array.from(b.data);
  if (base.translations) {
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += rows[r * d + a];
      for (let r = 0; r < n; r++) rows[r * d + a] -= s / n;
    }
  }
  // ⟨x_i, x_j⟩ in the group's metric: η = diag(1, −1, …, −1) for the Lorentz groups
  const sign = Float64Array.from({ length: d }, (_, a) => (base.family === 'lorentz' && a > 0 ? -1 : 1));
  const diag = new Float64Array(n);
  const pairs = new Float64Array((n * (n - 1)) / 2);
  for (let i = 0, p = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let v = 0;
      for (let a = 0; a < d; a++) v += sign[a] * rows[i * d + a] * rows[j * d + a];
      if (j === i) diag[i] = v;
      else pairs[p++] = v;
    }
  }
  const colors = clusterIds(diag, tol);
  const pairIds = clusterIds(pairs, tol);
  const edges = new Int32Array(n * n);
  for (let i = 0, p = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, p++) edges[i * n + j] = edges[j * n + i] = pairIds[p];
  }
  const labeling = canonicalLabeling(edges, { n, colors });
  const inverse = new Int32Array(n);
  labeling.labeling.forEach((v, i) => (inverse[v] = i));
  // automorphisms in canonical labels: a(i) = π⁻¹(g(π(i)))
  const cap = options.cap ?? DEFAULT_ELEMENT_CAP;
  const gens = labeling.generators.map((g) => Int32Array.from({ length: n }, (_, i) => inverse[g[labeling.labeling[i]]]));
  const autos = enumerate(n, gens, labeling.sizeExact, cap);

  /** The G-frame of the rows in the order `perm`. */
  const frameOf = (perm: Int32Array) => {
    const permuted = new Float64Array(n * d);
    for (let i = 0; i < n; i++) permuted.set(b.data.subarray(perm[i] * d, perm[i] * d + d), i * d);
    return computeFrame(base, checkSingle(base, permuted, shape), tol);
  };
  /**
   * Each automorphism a with the map T_a(y)_i = y_{a(i)}·M_a on the span's r
   * coordinates, M_a = pinv(C[a])·C (C = c's first r columns), which fixes c.
   */
  const stabilizerOf = (c: Float64Array, r: number) => {
    const C = (a: Int32Array | null) => {
      const m = new Float64Array(n * r);
      for (let i = 0; i < n; i++) for (let k = 0; k < r; k++) m[i * r + k] = c[(a ? a[i] : i) * d + k];
      return m;
    };
    const C0 = C(null);
    return autos.map((a) => {
      const m = pinvTimes(C(a), C0, n, r);
      return { a, m, sign: determinant(m, r) < 0 ? -1 : 1 };
    });
  };

  let perm = labeling.labeling;
  let f = frameOf(perm);
  let r = f.ranks[0];
  let stab = stabilizerOf(f.canonical, r);
  if (base.special && r === d) {
    // Aut may hold reflections, which SO groups lack: then the labelings π∘a split
    // into two classes whose G-canonical forms are mirror images. Take the class
    // whose form comes first (the same for every input of the orbit), and keep the
    // automorphisms that act as rotations.
    const mirror = stab.find((e) => e.sign < 0);
    if (mirror) {
      const other = Int32Array.from(perm, (_, i) => perm[mirror.a[i]]);
      const g = frameOf(other);
      if (compareWithTolerance(g.canonical, f.canonical, tol) < 0) {
        perm = other;
        f = g;
        stab = stabilizerOf(f.canonical, r);
      }
    }
    stab = stab.filter((e) => e.sign > 0);
  }
  const c = f.canonical;
  const completed = base.special && r === d - 1; // the last column is fixed by det = +1
  return {
    group: G.spec,
    n,
    d,
    canonical: c,
    permutation: perm,
    matrix: f.matrices,
    shift: f.shifts,
    rank: r,
    size: stab.length,
    sizeExact: BigInt(stab.length),
    complementSize: f.sizes[0],
    stabilizer: {
      kind: 'elements',
      count: stab.length,
      autos: Int32Array.from(stab.flatMap((e) => Array.from(e.a))),
      maps: Float64Array.from(stab.flatMap((e) => Array.from(e.m))),
      signs: Int8Array.from(stab, (e) => e.sign),
      completed,
      frame: f,
    },
  };
}

/** Lexicographic order of two arrays, entries within tol·max|v| counted as equal. */
function compareWithTolerance(p: Float64Array, q: Float64Array, tol: number): number {
  let scale = 0;
  for (let i = 0; i < p.length; i++) scale = Math.max(scale, Math.abs(p[i]), Math.abs(q[i]));
  for (let i = 0; i < p.length; i++) if (Math.abs(p[i] - q[i]) > tol * scale) return p[i] - q[i];
  return 0;
}

/** pinv(A)·B for n×r A of full column rank and n×r B: (AᵀA)⁻¹·AᵀB, r×r. */
function pinvTimes(A: Float64Array, B: Float64Array, n: number, r: number): Float64Array {
  const ata = new Float64Array(r * r);
  const atb = new Float64Array(r * r);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < r; p++) {
      for (let q = 0; q < r; q++) {
        ata[p * r + q] += A[i * r + p] * A[i * r + q];
        atb[p * r + q] += A[i * r + p] * B[i * r + q];
      }
    }
  }
  // solve ata·X = atb by Gaussian elimination with partial pivoting
  for (let k = 0; k < r; k++) {
    let piv = k;
    for (let i = k + 1; i < r; i++) if (Math.abs(ata[i * r + k]) > Math.abs(ata[piv * r + k])) piv = i;
    for (let j = 0; j < r; j++) {
      [ata[k * r + j], ata[piv * r + j]] = [ata[piv * r + j], ata[k * r + j]];
      [atb[k * r + j], atb[piv * r + j]] = [atb[piv * r + j], atb[k * r + j]];
    }
    for (let i = k + 1; i < r; i++) {
      const l = ata[i * r + k] / ata[k * r + k];
      for (let j = 0; j < r; j++) {
        ata[i * r + j] -= l * ata[k * r + j];
        atb[i * r + j] -= l * atb[k * r + j];
      }
    }
  }
  for (let k = r - 1; k >= 0; k--) {
    for (let j = 0; j < r; j++) {
      let s = atb[k * r + j];
      for (let q = k + 1; q < r; q++) s -= ata[k * r + q] * atb[q * r + j];
      atb[k * r + j] = s / ata[k * r + k];
    }
  }
  return atb;
}

/** Determinant of an r×r matrix by elimination (r is small: the rank of a point set). */
function determinant(m: Float64Array, r: number): number {
  const a = m.slice();
  let det = 1;
  for (let k = 0; k < r; k++) {
    let piv = k;
    for (let i = k + 1; i < r; i++) if (Math.abs(a[i * r + k]) > Math.abs(a[piv * r + k])) piv = i;
    if (a[piv * r + k] === 0) return 0;
    if (piv !== k) {
      for (let j = 0; j < r; j++) [a[k * r + j], a[piv * r + j]] = [a[piv * r + j], a[k * r + j]];
      det = -det;
    }
    det *= a[k * r + k];
    for (let i = k + 1; i < r; i++) {
      const l = a[i * r + k] / a[k * r + k];
      for (let j = k; j < r; j++) a[i * r + j] -= l * a[k * r + j];
    }
  }
  return det;
}
