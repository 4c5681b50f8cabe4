/**
 * S(n) and S(n) x G on point sets (docs/architecture.md): G ∈ O(d), SO(d), E(d), SE(d),
 * O(1,d−1), SO(1,d−1); S(n) permutes the rows. Frames are computed for a whole
 * batch at once (the engine's tasks and the single-input API share this code).
 *
 * S(n): rows sorted lexicographically, each column's values clustered with the
 * relative tolerance first (so the order is a true total order on cluster ids);
 * rows with equal ids tie, the stabilizer permutes each tie group, and an output
 * row is averaged over its tie group — in closed form, with no enumeration.
 *
 * S(n) x G: the complete graph of G-invariants — vertex colour from ⟨x_i, x_i⟩, edge
 * colour from ⟨x_i, x_j⟩ (after centering for E/SE; η for Lorentz), both clustered
 * with the tolerance (assembly/frames/permutation.ts) — is labeled canonically; the
 * rows in canonical order then get their G-frame, giving c = h⁻¹·X[π]. When the
 * vertex colours are all distinct (generic inputs) that colouring is already the
 * canonical labeling and the automorphism group is trivial, so no edge colours are
 * formed and no search runs; otherwise the edge colours go to the labeling engine
 * (src/graphs/canon.ts). Stab(c) is the automorphism group of the coloured graph,
 * each automorphism a coming with the G-element g_a that maps c_i to c_{a(i)} on the
 * span of c (for SO groups only those with det g_a = +1). The model runs once, on
 * c; its output rows are averaged over the stabilizer and mapped back through h and π.
 */
import type { Group, PermutationGroup } from '../groups.js';
import { checkCap, checkSingle, firstNonFinite, nonFiniteRule, DEFAULT_ELEMENT_CAP, type CheckedBatch } from '../batch.js';
import { clusterIds, enumerate } from './graph.js';
import { canonicalLabelings } from '../graphs/canon.js';
import { computeFrames } from './families.js';
import type { OutputKind } from './index.js';
import { restoreRows } from './orthogonal.js';
import { fromFailure, inputRangeError, optionRangeError, toFailure, type InputFailure } from '../errors.js';
import { kernels, withArena, type Arena, type Kernels } from '../wasm/module.js';

/** The frame of one point set (canonicalize). */
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
  /**
   * The frame's row permutations: for each element s of Stab(c), canonical row k is
   * input row p[k] (the identity's first, `permutation` itself); a RangeError past `cap`.
   */
  elements(cap?: number): Int32Array[];
  /** Always null: these frames carry no accuracy warnings (the field every single result has). */
  warning: null;
}

/**
 * What averaging needs of a stabilizer that is not trivial, as plain (cloneable)
 * data, so that frames computed on a worker average on the calling thread exactly
 * as where they were computed.
 * - 'runs' (S(n)): run[k] = the first canonical row of canonical row k's tie group.
 * - 'elements' (S(n) x G): the automorphisms a_j (`autos`, j·n + k ↦ a_j(k), in
 *   canonical labels), their r×r maps M_j on the span (`maps`, r = the rank), the
 *   signs of det M_j, and whether the last column is completed by det = +1 (SO
 *   groups at rank d−1).
 */
export type Stabilizer =
  | { kind: 'runs'; run: Int32Array }
  | { kind: 'elements'; count: number; autos: Int32Array; maps: Float64Array; signs: Int8Array; completed: boolean };

/**
 * The frames of a batch of point sets (rows laid out by `offsets`), all plain data.
 * X_i[permutation_i] = c_i·M_iᵀ + t_i, with M_i, t_i the G part (identity and zero
 * for S(n)). An input without a frame has NaN values, −1 in its permutation and
 * rank, '' in `sizesExact`, and its rule in `failures` — unless it was kept out
 * before (b.skip), whose error the caller holds.
 */
export interface PermutationFrames {
  group: string;
  dim: number;
  count: number;
  offsets: Int32Array;
  canonical: Float64Array;
  /** Canonical row k of input i is its input row permutations[offsets[i] + k]. */
  permutations: Int32Array;
  matrices: Float64Array;
  shifts: Float64Array;
  ranks: Int32Array;
  /** |frame| (PermutationFrame.size) and, exactly, in decimal. */
  sizes: Float64Array;
  sizesExact: string[];
  complementSizes: Float64Array;
  failures: (InputFailure | null)[];
  /** The inputs whose stabilizer is not trivial; every other input averages as the identity. */
  stabilizers: Map<number, Stabilizer>;
}

export interface PermutationOptions {
  tol: number;
  /** Largest stabilizer S(n) x G enumerates (the default is DEFAULT_ELEMENT_CAP). */
  cap?: number;
}

/** Kernel flags of perm_colours / perm_edges (assembly/frames/permutation.ts). */
const PERM_CENTER = 1;
const PERM_LORENTZ = 2;

/**
 * Frames of every input of a checked batch whose shape is valid (b.skip marks the
 * others); values are checked here (unless b.checked), input by input, so the
 * engine's workers do it in parallel.
 */
export function permutationFrames(G: PermutationGroup, b: CheckedBatch, options: PermutationOptions, k: Kernels = kernels()): PermutationFrames {
  const { count, offsets, dim: d } = b;
  const f = emptyFrames(G.spec, d, offsets);
  const valid = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    if (b.skip[i]) continue;
    const from = offsets[i] * d;
    const at = b.checked ? -1 : firstNonFinite(b.data, from, offsets[i + 1] * d);
    if (at >= 0) f.failures[i] = { failed: 'range', rule: nonFiniteRule(b.data, from, at, d) };
    else valid[i] = 1;
  }
  // both clear `valid` for the inputs they find no frame for
  if (G.base) productFrames(G.base, b, valid, options, k, f);
  else sortFrames(b, valid, options.tol, f);
  for (let i = 0; i < count; i++) if (!valid[i]) clear(f, i);
  return f;
}

/**
 * PermutationFrames for inputs laid out by `offsets`, zero (or, with `failed`, the
 * values of inputs without a frame) and without failures or stabilizers. The
 * numeric arrays are views into one buffer: one allocation instead of seven, which
 * is most of the cost of a small batch's results.
 */
export function emptyFrames(group: string, d: number, offsets: Int32Array, failed = false): PermutationFrames {
  const count = offsets.length - 1;
  const rows = offsets[count];
  const f64 = [rows * d, count * d * d, count * d, count, count];
  const i32 = [rows, count];
  const buffer = new ArrayBuffer(8 * f64.reduce((s, v) => s + v, 0) + 4 * (i32[0] + i32[1]));
  let at = 0;
  const take = <T extends Float64Array | Int32Array>(Type: new (b: ArrayBuffer, at: number, n: number) => T, n: number): T => {
    const view = new Type(buffer, at, n);
    at += n * Type.prototype.BYTES_PER_ELEMENT;
    return view;
  };
  const [canonical, matrices, shifts, sizes, complementSizes] = f64.map((n) => take(Float64Array, n));
  const [permutations, ranks] = i32.map((n) => take(Int32Array, n));
  if (failed) {
    for (const a of [canonical, matrices, shifts, sizes, complementSizes]) a.fill(NaN);
    permutations.fill(-1);
    ranks.fill(-1);
  }
  return {
    group, dim: d, count, offsets, canonical, permutations, matrices, shifts, ranks, sizes,
    sizesExact: new Array<string>(count).fill(''), complementSizes,
    failures: new Array<InputFailure | null>(count).fill(null), stabilizers: new Map(),
  };
}

/** The frames of one point set (x, { n, d }) as a batch of one; throws its error. */
export function singleFrames(G: PermutationGroup, x: unknown, shape: { n: number; d: number }, options: PermutationOptions, k: Kernels = kernels()): PermutationFrames {
  const d = shape?.d;
  if (!G.base && (!Number.isSafeInteger(d) || d < 1)) throw inputRangeError(0, `d must be a whole number >= 1, got ${String(d)}`);
  const b = checkSingle(rowGroup(G, d), x, shape);
  const f = permutationFrames(G, b, options, k);
  if (f.failures[0]) throw fromFailure(0, f.failures[0]);
  return f;
}

/** The frame of one point set under S(n) or S(n) x G. */
export function permutationFrame(G: PermutationGroup, x: Float64Array | Float32Array, shape: { n: number; d: number }, options: PermutationOptions): PermutationFrame {
  const k = kernels();
  const f = singleFrames(G, x, shape, options, k);
  const { n, d } = shape;
  return {
    group: G.spec,
    n,
    d,
    canonical: f.canonical,
    permutation: f.permutations,
    matrix: f.matrices,
    shift: f.shifts,
    rank: f.ranks[0],
    size: f.sizes[0],
    sizeExact: BigInt(f.sizesExact[0]),
    complementSize: f.complementSizes[0],
    averageRows(y, kind = 'vectors') {
      if (G.base && y.length !== n * d) throw optionRangeError(`outputs must be n×d = ${n * d} values, got ${y.length}`);
      if (y.length % n !== 0 || y.length === 0) throw optionRangeError(`outputs must have n = ${n} rows of equal length, got ${y.length} values`);
      return restorePermutationOutputs(G, f, y instanceof Float64Array ? y : Float64Array.from(y), kind, k, y.length / n);
    },
    elements(cap = DEFAULT_ELEMENT_CAP) {
      checkCap(cap, BigInt(f.sizesExact[0]), `the ${G.spec} frame`);
      return stabilizerPermutations(f.stabilizers.get(0), f.permutations);
    },
    warning: null,
  };
}

/** The input-row permutations π∘s of a frame with stabilizer `s` (undefined: trivial) and labeling π. */
function stabilizerPermutations(s: Stabilizer | undefined, perm: Int32Array): Int32Array[] {
  const n = perm.length;
  if (!s) return [perm.slice()];
  if (s.kind === 'elements') return Array.from({ length: s.count }, (_, e) => Int32Array.from({ length: n }, (_, k) => perm[s.autos[e * n + k]]));
  // runs: every arrangement of each tie group, in lexicographic order of the arrangements
  const out: Int32Array[] = [];
  const p = Int32Array.from({ length: n }, (_, k) => k);
  const next = (k: number): void => {
    if (k === n) {
      out.push(Int32Array.from(p, (v) => perm[v]));
      return;
    }
    for (let j = k; j < n && s.run[j] === s.run[k]; j++) {
      [p[k], p[j]] = [p[j], p[k]];
      next(k + 1);
      [p[k], p[j]] = [p[j], p[k]];
    }
  };
  next(0);
  return out;
}

/**
 * Outputs of the model on the canonical forms (canonical row order, `rowLen` values
 * per row, laid out by f.offsets; rowLen = d for S(n) x G) averaged over each
 * input's stabilizer and mapped back through its frame: the G part and the
 * permutation. Inputs without a frame give NaN. The result goes to `out` when given
 * (y's length; it may be y itself). One arena for the whole batch, three kernel
 * calls: the S(n) x G stabilizer means (avg_elements), the G part (orthogonal.ts's
 * restoreRows: the base of S(n) x G is an orthogonal or a Lorentz group, whose
 * families restore alike), then the S(n) tie-group means and the permutation back to
 * input row order together (avg_orbits).
 */
export function restorePermutationOutputs(G: PermutationGroup, f: PermutationFrames, y: Float64Array, kind: OutputKind, k: Kernels = kernels(), rowLen = f.dim, out?: Float64Array): Float64Array {
  const { offsets, count } = f;
  const rows = offsets[count];
  const values = rows * rowLen;
  const result = out ?? new Float64Array(values);
  withArena(k, 'avg_orbits', (a) => {
    let maxN = 0;
    for (let i = 0; i < count; i++) maxN = Math.max(maxN, offsets[i + 1] - offsets[i]);
    const yp = a.putF64(y);
    const off = a.putI32(offsets);
    const work = a.alloc(k.exports.avg_work(maxN, rowLen));
    averageElements(k, a, f, yp, off, rowLen, work);
    let zp = yp;
    if (G.base) {
      zp = a.alloc(values * 8);
      restoreRows(k, a, G.base, f, off, yp, zp, kind);
    }
    const ids = runIds(a, f);
    const perm = a.putI32(f.permutations);
    const sizes = a.putF64(f.sizes);
    const outp = a.alloc(values * 8);
    k.exports.avg_orbits(zp, off, count, rowLen, AVG_CANONICAL_IDS, perm, ids, sizes, outp, work);
    result.set(a.f64(outp, values));
  });
  return result;
}

/** avg_orbits' flag: the run ids are indexed by canonical row (assembly/frames/average.ts). */
const AVG_CANONICAL_IDS = 2;

/**
 * The 'runs' stabilizers of f as avg_orbits' orbit ids (canonical row k ↦ the first
 * row of its tie group; −1, alone, for the rows of the other inputs), in the arena;
 * 0 when there are none.
 */
function runIds(a: Arena, f: PermutationFrames): number {
  let any = false;
  for (const s of f.stabilizers.values()) any ||= s.kind === 'runs';
  if (!any) return 0;
  const rows = f.offsets[f.count];
  const ids = a.alloc(rows * 4);
  const view = a.i32(ids, rows);
  view.fill(-1);
  for (const [i, s] of f.stabilizers) if (s.kind === 'runs') view.set(s.run, f.offsets[i]);
  return ids;
}

/**
 * The means of y's rows (at yp, in the arena) over f's 'elements' stabilizers, in
 * place, in one avg_elements call: T_a(y)_k = y_{a(k)}·M_a on the span's r
 * coordinates, ±y_{a(k)} on a completed last column, y_{a(k)} on the rest.
 */
function averageElements(k: Kernels, a: Arena, f: PermutationFrames, yp: number, off: number, d: number, work: number): void {
  const listed: [number, Extract<Stabilizer, { kind: 'elements' }>][] = [];
  let autos = 0;
  let maps = 0;
  let signs = 0;
  for (const [i, s] of f.stabilizers) {
    if (s.kind !== 'elements') continue;
    listed.push([i, s]);
    autos += s.autos.length;
    maps += s.maps.length;
    signs += s.count;
  }
  if (listed.length === 0) return;
  const lp = a.alloc(listed.length * 16);
  const ap = a.alloc(autos * 4);
  const mp = a.alloc(maps * 8);
  const sp = a.alloc(signs * 4);
  const [L, A, M, S] = [a.i32(lp, 4 * listed.length), a.i32(ap, autos), a.f64(mp, maps), a.i32(sp, signs)];
  let [at, mt, st] = [0, 0, 0];
  listed.forEach(([i, s], j) => {
    L.set([i, s.count, f.ranks[i], s.completed ? 1 : 0], 4 * j);
    A.set(s.autos, at);
    M.set(s.maps, mt);
    S.set(s.signs, st);
    [at, mt, st] = [at + s.autos.length, mt + s.maps.length, st + s.count];
  });
  k.exports.avg_elements(yp, off, d, lp, listed.length, ap, mp, sp, yp, work);
}

/**
 * The group whose shape and value checks apply to the rows: G of S(n) x G, or a
 * stand-in of dimension d for S(n), which takes any d.
 */
export function rowGroup(G: PermutationGroup, d: number): Group {
  return G.base ?? { spec: `S(n) on d = ${d}`, name: 'S', family: 'orthogonal', d, width: 1, special: false, translations: false, method: 'mfa' };
}

/** S(n): each valid input's rows sorted by their columns' cluster ids. */
function sortFrames(b: CheckedBatch, valid: Uint8Array, tol: number, f: PermutationFrames): void {
  const d = b.dim;
  for (let i = 0; i < b.count; i++) {
    if (!valid[i]) continue;
    const o = b.offsets[i];
    const n = b.offsets[i + 1] - o;
    const ids = new Int32Array(n * d);
    for (let a = 0; a < d; a++) {
      const col = Float64Array.from({ length: n }, (_, r) => b.data[(o + r) * d + a]);
      clusterIds(col, tol).forEach((id, r) => (ids[r * d + a] = id));
    }
    const cmp = (p: number, q: number) => {
      for (let a = 0; a < d; a++) if (ids[p * d + a] !== ids[q * d + a]) return ids[p * d + a] - ids[q * d + a];
      return 0;
    };
    const order = Array.from({ length: n }, (_, r) => r).sort((p, q) => cmp(p, q) || p - q);
    for (let k = 0; k < n; k++) {
      f.permutations[o + k] = order[k];
      for (let a = 0; a < d; a++) f.canonical[(o + k) * d + a] = b.data[(o + order[k]) * d + a];
    }
    // tie groups: runs of equal ids in canonical order; |Stab| = Π (run length)!
    const run = new Int32Array(n);
    let size = 1n;
    for (let k = 0, start = 0; k <= n; k++) {
      if (k === n || (k > start && cmp(order[k], order[start]) !== 0)) {
        for (let j = start; j < k; j++) run[j] = start;
        for (let m = 2n; m <= BigInt(k - start); m++) size *= m;
        start = k;
      }
    }
    f.matrices.fill(0, i * d * d, (i + 1) * d * d);
    for (let a = 0; a < d; a++) f.matrices[i * d * d + a * d + a] = 1;
    f.shifts.fill(0, i * d, (i + 1) * d);
    f.ranks[i] = d;
    f.sizes[i] = Number(size);
    f.sizesExact[i] = size.toString();
    f.complementSizes[i] = 1;
    if (size > 1n) f.stabilizers.set(i, { kind: 'runs', run });
  }
}

/** S(n) x G: colours in WASM, a labeling search where they tie, then the G-frames of the permuted rows. */
function productFrames(base: Group, b: CheckedBatch, valid: Uint8Array, options: PermutationOptions, k: Kernels, f: PermutationFrames): void {
  const { count, offsets } = b;
  const d = base.d;
  const rows = offsets[count];
  const flags = (base.translations ? PERM_CENTER : 0) | (base.family === 'lorentz' ? PERM_LORENTZ : 0);
  let maxN = 0;
  for (let i = 0; i < count; i++) maxN = Math.max(maxN, offsets[i + 1] - offsets[i]);

  // vertex colours, and the canonical labeling of every input whose colours are distinct
  const colours = new Int32Array(rows);
  const discrete = new Int32Array(count);
  withArena(k, 'perm_colours', (a) => {
    const x = a.alloc(rows * d * 8);
    const off = a.putI32(offsets);
    const work = a.alloc(k.exports.perm_work(maxN, d, 0));
    const col = a.alloc(rows * 4);
    const ord = a.alloc(rows * 4);
    const disc = a.alloc(count * 4);
    const xs = a.f64(x, rows * d);
    xs.set(b.data);
    // inputs without a frame reach the kernel as zeros, never as invalid values
    for (let i = 0; i < count; i++) if (!valid[i]) xs.fill(0, offsets[i] * d, offsets[i + 1] * d);
    k.exports.perm_colours(x, off, count, d, flags, options.tol, work, col, ord, disc);
    colours.set(a.i32(col, rows));
    f.permutations.set(a.i32(ord, rows));
    discrete.set(a.i32(disc, count));
  });

  // the others: edge colours, then the labeling search (automorphisms in canonical labels)
  const searched: number[] = [];
  for (let i = 0; i < count; i++) if (valid[i] && !discrete[i]) searched.push(i);
  const groups = new Map<number, Int32Array[]>();
  if (searched.length > 0) {
    const edges = edgeColours(k, b, searched, d, flags, options.tol);
    const labelings = canonicalLabelings(searched.map((i, j) => ({ adjacency: edges[j], n: offsets[i + 1] - offsets[i], colors: colours.subarray(offsets[i], offsets[i + 1]) })), k);
    searched.forEach((i, j) => {
      const l = labelings[j];
      f.permutations.set(l.labeling, offsets[i]);
      if (l.size === 1) return;
      const n = l.n;
      const inverse = new Int32Array(n);
      l.labeling.forEach((v, p) => (inverse[v] = p));
      // a(p) = π⁻¹(g(π(p)))
      const gens = l.generators.map((g) => Int32Array.from({ length: n }, (_, p) => inverse[g[l.labeling[p]]]));
      const cap = options.cap ?? DEFAULT_ELEMENT_CAP;
      if (l.sizeExact > BigInt(cap)) {
        f.failures[i] = { failed: 'range', rule: `its stabilizer under S(n) x ${base.spec} has ${l.sizeExact} elements, more than the cap of ${cap}` };
        valid[i] = 0;
        return;
      }
      groups.set(i, enumerate(n, gens, l.sizeExact, cap));
    });
  }

  // the G-frames of the rows in canonical order, written into f's arrays
  const permuted = gatherRows(b, f.permutations, valid, d);
  const skip = new Uint8Array(count);
  let bad = 0;
  for (let i = 0; i < count; i++) bad += skip[i] = 1 - valid[i];
  const pb: CheckedBatch = { data: permuted, dim: d, count, offsets, errors: new Array(count).fill(null), skip, bad, checked: true };
  computeFrames(base, pb, options.tol, k, { canonical: f.canonical, matrices: f.matrices, shifts: f.shifts, ranks: f.ranks, sizes: f.complementSizes });
  for (let i = 0; i < count; i++) {
    if (valid[i] && pb.errors[i]) {
      f.failures[i] = toFailure(pb.errors[i]);
      valid[i] = 0;
    }
    if (!valid[i]) continue;
    f.sizes[i] = 1;
    f.sizesExact[i] = '1';
  }
  for (const [i, autos] of groups) if (valid[i] && !stabilize(base, b, i, autos, options.tol, k, f)) valid[i] = 0;
}

/** Input i has no frame: its results take the values PermutationFrames documents for that. */
function clear(f: PermutationFrames, i: number): void {
  const d = f.dim;
  const [o, end] = [f.offsets[i], f.offsets[i + 1]];
  f.canonical.fill(NaN, o * d, end * d);
  f.permutations.fill(-1, o, end);
  f.matrices.fill(NaN, i * d * d, (i + 1) * d * d);
  f.shifts.fill(NaN, i * d, (i + 1) * d);
  f.ranks[i] = -1;
  f.sizes[i] = NaN;
  f.sizesExact[i] = '';
  f.complementSizes[i] = NaN;
  f.stabilizers.delete(i);
}

/** Dense n×n edge-colour matrices of the inputs `which` (perm_edges), one Int32Array each. */
function edgeColours(k: Kernels, b: CheckedBatch, which: number[], d: number, flags: number, tol: number): Int32Array[] {
  const offsets = new Int32Array(which.length + 1);
  const entries = new Int32Array(which.length + 1);
  which.forEach((i, j) => {
    const n = b.offsets[i + 1] - b.offsets[i];
    offsets[j + 1] = offsets[j] + n;
    entries[j + 1] = entries[j] + n * n;
  });
  const rows = offsets[which.length];
  return withArena(k, 'perm_edges', (a) => {
    let maxN = 0;
    for (let j = 0; j < which.length; j++) maxN = Math.max(maxN, offsets[j + 1] - offsets[j]);
    const x = a.alloc(rows * d * 8);
    const off = a.putI32(offsets);
    const work = a.alloc(k.exports.perm_work(maxN, d, 1));
    const out = a.alloc(entries[which.length] * 4);
    const xs = a.f64(x, rows * d);
    which.forEach((i, j) => xs.set(b.data.subarray(b.offsets[i] * d, b.offsets[i + 1] * d), offsets[j] * d));
    k.exports.perm_edges(x, off, which.length, d, flags, tol, work, out);
    const all = a.i32(out, entries[which.length]);
    return which.map((_, j) => all.slice(entries[j], entries[j + 1]));
  });
}

/** The rows of every valid input in its canonical order (perm: canonical row → input row). */
function gatherRows(b: CheckedBatch, perm: Int32Array, valid: Uint8Array, d: number): Float64Array {
  const out = new Float64Array(b.offsets[b.count] * d);
  for (let i = 0; i < b.count; i++) {
    if (!valid[i]) continue;
    const o = b.offsets[i];
    const end = b.offsets[i + 1];
    for (let r = o; r < end; r++) {
      const src = (o + perm[r]) * d;
      const dst = r * d;
      for (let a = 0; a < d; a++) out[dst + a] = b.data[src + a];
    }
  }
  return out;
}

/**
 * Input i's stabilizer from its automorphisms (canonical labels): each with its map
 * on the span. SO groups keep the automorphisms acting as rotations, after choosing
 * between the two mirror-image labelings when Aut holds a reflection (below).
 * Returns false (with the failure recorded) when the input turns out to have no frame.
 */
function stabilize(base: Group, b: CheckedBatch, i: number, elements: Int32Array[], tol: number, k: Kernels, f: PermutationFrames): boolean {
  const d = base.d;
  const o = b.offsets[i];
  const n = b.offsets[i + 1] - o;
  const r = f.ranks[i];
  const autos = new Int32Array(elements.length * n);
  elements.forEach((e, j) => autos.set(e, j * n));
  let c = f.canonical.subarray(o * d, (o + n) * d);
  let stab = stabilizerOf(k, c, n, d, r, autos);
  if (base.special && r === d) {
    // Aut may hold reflections, which SO groups lack: then the labelings π∘a split
    // into two classes whose G-canonical forms are mirror images. Take the class
    // whose form comes first (the same for every input of the orbit), and keep the
    // automorphisms that act as rotations.
    const mirror = stab.signs.indexOf(-1);
    if (mirror >= 0) {
      const perm = f.permutations.slice(o, o + n);
      const other = Int32Array.from(perm, (_, p) => perm[autos[mirror * n + p]]);
      const rows = Float64Array.from({ length: n * d }, (_, j) => b.data[(o + other[Math.floor(j / d)]) * d + (j % d)]);
      const one = checkSingle(base, rows, { n, d });
      const g = computeFrames(base, one, tol, k);
      if (one.errors[0]) {
        // the mirror-image labeling has no frame: neither is canonical then
        f.failures[i] = toFailure(one.errors[0]);
        return false;
      }
      if (compareWithTolerance(g.canonical, c, tol) < 0) {
        f.permutations.set(other, o);
        f.canonical.set(g.canonical, o * d);
        f.matrices.set(g.matrices, i * d * d);
        f.shifts.set(g.shifts, i * d);
        c = f.canonical.subarray(o * d, (o + n) * d);
        stab = stabilizerOf(k, c, n, d, r, autos);
      }
    }
    stab = rotations(stab, n, r);
  }
  f.sizes[i] = stab.count;
  f.sizesExact[i] = String(stab.count);
  if (stab.count > 1) f.stabilizers.set(i, { kind: 'elements', ...stab, completed: base.special && r === d - 1 }); // the last column is fixed by det = +1
  return true;
}

/** Stabilizer elements, flat: count automorphisms (n labels each), their r×r maps and det signs. */
type Elements = Omit<Extract<Stabilizer, { kind: 'elements' }>, 'kind' | 'completed'>;

/**
 * Each automorphism a (autos: count×n labels) with the map T_a(y)_k = y_{a(k)}·M_a on
 * the span's r coordinates, M_a = pinv(C[a])·C (C = c's first r columns), which
 * fixes c, and sign(det M_a), in one linalg_pinv call (assembly/linalg/pinv.ts); the
 * identity's map is the identity exactly.
 */
function stabilizerOf(k: Kernels, c: Float64Array, n: number, d: number, r: number, autos: Int32Array): Elements {
  const count = autos.length / n;
  return withArena(k, 'linalg_pinv', (a) => {
    const cp = a.putF64(c);
    const ap = a.putI32(autos);
    const work = a.alloc(k.exports.linalg_pinv_work(n, r));
    const mp = a.alloc(count * r * r * 8);
    const sp = a.alloc(count * 4);
    k.exports.linalg_pinv(cp, n, d, r, ap, count, work, mp, sp);
    return { count, autos, maps: a.f64(mp, count * r * r).slice(), signs: Int8Array.from(a.i32(sp, count)) };
  });
}

/** The elements of s acting as rotations (det M_a > 0), in order. */
function rotations(s: Elements, n: number, r: number): Elements {
  const kept: number[] = [];
  for (let e = 0; e < s.count; e++) if (s.signs[e] > 0) kept.push(e);
  if (kept.length === s.count) return s;
  const autos = new Int32Array(kept.length * n);
  const maps = new Float64Array(kept.length * r * r);
  kept.forEach((e, j) => {
    autos.set(s.autos.subarray(e * n, (e + 1) * n), j * n);
    maps.set(s.maps.subarray(e * r * r, (e + 1) * r * r), j * r * r);
  });
  return { count: kept.length, autos, maps, signs: new Int8Array(kept.length).fill(1) };
}

/** Lexicographic order of two arrays, entries within tol·max|v| counted as equal. */
function compareWithTolerance(p: Float64Array, q: Float64Array, tol: number): number {
  let scale = 0;
  for (let i = 0; i < p.length; i++) scale = Math.max(scale, Math.abs(p[i]), Math.abs(q[i]));
  for (let i = 0; i < p.length; i++) if (Math.abs(p[i] - q[i]) > tol * scale) return p[i] - q[i];
  return 0;
}
