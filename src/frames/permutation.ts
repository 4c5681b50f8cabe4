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
 * formed and no search runs; otherwise only the rows whose colours tie, and their
 * edges to all rows, go to the labeling engine (src/graphs/canon.ts; see
 * productFrames), so memory grows with n times the tied rows, never n². Stab(c) is
 * the automorphism group of the coloured graph, each automorphism a coming with the
 * G-element g_a that maps c_i to c_{a(i)} on the span of c (for SO groups only those
 * with det g_a = +1). The model runs once, on c; its output rows are averaged over
 * the stabilizer and mapped back through h and π. Frames are scale-equivariant over
 * the whole float64 range (scaling by powers of two where products would over- or
 * underflow, as the G-frames do: src/frames/index.ts runFrames).
 */
import type { Group, PermutationGroup } from '../groups.js';
import { checkCap, checkSingle, firstNonFinite, nonFiniteRule, DEFAULT_ELEMENT_CAP, type CheckedBatch } from '../batch.js';
import { enumerate } from './graph.js';
import { clusterColumns } from './cluster.js';
import { canonicalLabelings } from '../graphs/canon.js';
import { computeFrames } from './families.js';
import { maxAbs, exponentOf, scaleValues, subnormalRule, MIN_NORMAL, type OutputKind } from './index.js';
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
const PERM_SCALED = 4;
/** Bits of perm_colours' per-set flags: the vertex colours are distinct; the set's scale is out of range. */
const PERM_DISCRETE = 1;
const PERM_RESCALE = 2;

/**
 * Most pairs of rows whose edge colours one input may need: rows whose vertex colour
 * ties with another row's, times all rows, each pair once (T·(n − T) + T(T − 1)/2
 * for T tied rows of n). At the limit the clustering takes about 400 MiB of WASM
 * memory (24 bytes a pair) and the ids 4·T·n bytes; a set whose rows all tie
 * reaches it at n = 5793, a set of 100,000 rows at 168 tied rows.
 */
export const MAX_EDGE_PAIRS = 2 ** 24;

/**
 * Most values (elements × rows) of an input's listed stabilizer: each element is a
 * permutation of the n rows, and listing and averaging hold all of them at once.
 */
export const MAX_STABILIZER_VALUES = 2 ** 24;

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
  else sortFrames(b, valid, options.tol, f, k);
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
function sortFrames(b: CheckedBatch, valid: Uint8Array, tol: number, f: PermutationFrames, k: Kernels): void {
  const d = b.dim;
  // every column of every set clustered in one kernel call (bad inputs' ids are not read)
  const ids = clusterColumns(b.data, b.offsets, b.count, d, tol, k);
  for (let i = 0; i < b.count; i++) {
    if (!valid[i]) continue;
    const o = b.offsets[i];
    const n = b.offsets[i + 1] - o;
    const cmp = (p: number, q: number) => {
      for (let a = 0, u = (o + p) * d, v = (o + q) * d; a < d; a++) if (ids[u + a] !== ids[v + a]) return ids[u + a] - ids[v + a];
      return 0;
    };
    const order = Array.from({ length: n }, (_, r) => r).sort((p, q) => cmp(p, q) || p - q);
    for (let s = 0; s < n; s++) {
      f.permutations[o + s] = order[s];
      for (let a = 0; a < d; a++) f.canonical[(o + s) * d + a] = b.data[(o + order[s]) * d + a];
    }
    // tie groups: runs of equal ids in canonical order; |Stab| = Π (run length)!
    const run = new Int32Array(n);
    let size = 1n;
    for (let e = 0, start = 0; e <= n; e++) {
      if (e === n || (e > start && cmp(order[e], order[start]) !== 0)) {
        for (let j = start; j < e; j++) run[j] = start;
        for (let m = 2n; m <= BigInt(e - start); m++) size *= m;
        start = e;
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

/**
 * S(n) x G: colours in WASM, a labeling search where they tie, then the G-frames of
 * the permuted rows.
 *
 * Ties: rows of distinct vertex colour are fixed by every automorphism, and so are
 * the edges between two of them; only the T rows whose colour ties can move. So
 * edge colours are formed for the pairs with a tied row (perm_edges: T times n, not
 * n²), each tied row gets a refined colour — its colour, then its edge colours to
 * the untied rows in their canonical order, ranked lexicographically — and the
 * labeling search runs on the T tied rows alone with their edge colours among
 * themselves (reducedGraph). Its automorphisms, identity on the untied rows, are
 * those of the complete coloured graph, and its labeling fills the tied cells of
 * the canonical order (fullLabeling). When every row ties, this is the complete
 * graph itself.
 *
 * Scale: perm_colours marks sets whose products may have over- or underflowed;
 * their rows are scaled by a power of two (which leaves every colour id as it is)
 * for the colours and edge colours, and the G-frames (computeFrames) scale on their own.
 */
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
  let scales: Float64Array | null = null; // the power of two each input's rows are scaled by, once one is
  withArena(k, 'perm_colours', (a) => {
    const x = a.alloc(rows * d * 8);
    const off = a.putI32(offsets);
    const single = a.alloc(8); // offsets of one set, for computing it again scaled
    const work = a.alloc(k.exports.perm_work(maxN, d, maxN));
    const col = a.alloc(rows * 4);
    const ord = a.alloc(rows * 4);
    const disc = a.alloc(count * 4);
    const xs = a.f64(x, rows * d);
    xs.set(b.data);
    // inputs without a frame reach the kernel as zeros, never as invalid values
    for (let i = 0; i < count; i++) if (!valid[i]) xs.fill(0, offsets[i] * d, offsets[i + 1] * d);
    if (k.exports.perm_colours(x, off, count, d, flags, options.tol, work, col, ord, disc) > 0) {
      const marks = a.i32(disc, count);
      const one = a.i32(single, 2);
      for (let i = 0; i < count; i++) {
        if (!(marks[i] & PERM_RESCALE)) continue;
        const [from, to] = [offsets[i] * d, offsets[i + 1] * d];
        const top = maxAbs(xs, from, to);
        if (top < MIN_NORMAL) {
          f.failures[i] = { failed: 'range', rule: subnormalRule(top) };
          valid[i] = 0;
          continue;
        }
        scales ??= new Float64Array(count).fill(1);
        scales[i] = 2 ** -exponentOf(top);
        scaleValues(xs, from, to, scales[i]);
        one[0] = 0;
        one[1] = offsets[i + 1] - offsets[i];
        k.exports.perm_colours(x + from * 8, single, 1, d, flags | PERM_SCALED, options.tol, work, col + offsets[i] * 4, ord + offsets[i] * 4, disc + i * 4);
      }
    }
    colours.set(a.i32(col, rows));
    f.permutations.set(a.i32(ord, rows));
    discrete.set(a.i32(disc, count));
  });

  // the others: edge colours into their tied rows, then the labeling search on those rows
  const searched: Tied[] = [];
  let sizes: Int32Array | null = null; // tiedRows' scratch, once an input ties
  let tiedAll: Int32Array | null = null; // every input's tied rows, at its own rows
  for (let i = 0; i < count; i++) {
    if (!valid[i] || discrete[i] & PERM_DISCRETE) continue;
    const n = offsets[i + 1] - offsets[i];
    sizes ??= new Int32Array(maxN + 1);
    tiedAll ??= new Int32Array(rows);
    const tied = tiedRows(colours.subarray(offsets[i], offsets[i + 1]), sizes, tiedAll.subarray(offsets[i], offsets[i + 1]));
    const t = tied.length;
    const pairs = t * (n - t) + (t * (t - 1)) / 2;
    if (pairs > MAX_EDGE_PAIRS) {
      f.failures[i] = { failed: 'range', rule: `S(n) x ${base.spec} needs edge colours for ${pairs} pairs of rows (its ${t} rows whose invariant ⟨x, x⟩ ties with another row's, times all ${n} rows), more than the limit of ${MAX_EDGE_PAIRS} (2^24)` };
      valid[i] = 0;
      continue;
    }
    searched.push({ input: i, tied, pairs });
  }
  const groups = new Map<number, Int32Array[]>();
  if (searched.length > 0) {
    const ids = tiedEdgeColours(k, b, searched, d, flags, options.tol, scales);
    const set = (a: Int32Array, i: number) => a.subarray(offsets[i], offsets[i + 1]);
    const labelings = canonicalLabelings(searched.map((s, j) => reducedGraph(s.tied, ids[j], set(colours, s.input), set(f.permutations, s.input))), k);
    searched.forEach(({ input: i, tied }, j) => {
      const l = labelings[j];
      const labeling = set(f.permutations, i);
      fullLabeling(labeling, set(colours, i), tied, l.labeling);
      if (l.size === 1) return;
      const n = labeling.length;
      const cap = options.cap ?? DEFAULT_ELEMENT_CAP;
      if (l.sizeExact > BigInt(cap)) {
        f.failures[i] = { failed: 'range', rule: `its stabilizer under S(n) x ${base.spec} has ${l.sizeExact} elements, more than the cap of ${cap}` };
        valid[i] = 0;
        return;
      }
      if (l.size * n > MAX_STABILIZER_VALUES) {
        f.failures[i] = { failed: 'range', rule: `its stabilizer under S(n) x ${base.spec} has ${l.sizeExact} elements of ${n} rows each, ${l.size * n} values to list, more than the limit of ${MAX_STABILIZER_VALUES} (2^24)` };
        valid[i] = 0;
        return;
      }
      const inverse = new Int32Array(n);
      labeling.forEach((v, p) => (inverse[v] = p));
      // the tied rows' automorphism g, identity elsewhere, in canonical labels: a(p) = π⁻¹(g(π(p)))
      const gens = l.generators.map((g) => {
        const full = Int32Array.from({ length: n }, (_, v) => v);
        tied.forEach((v, a) => (full[v] = tied[g[a]]));
        return Int32Array.from({ length: n }, (_, p) => inverse[full[labeling[p]]]);
      });
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

/** An input whose vertex colours tie: its tied rows (indices within the set, increasing) and their pair count. */
interface Tied {
  input: number;
  tied: Int32Array;
  pairs: number;
}

/**
 * The rows of a set (its colour ids, 1 … n) whose colour another row shares, in row
 * order: a prefix of `out` (n values). `size` is scratch for n + 1 counts (left zero).
 */
function tiedRows(colour: Int32Array, size: Int32Array, out: Int32Array): Int32Array {
  const n = colour.length;
  for (let r = 0; r < n; r++) size[colour[r]]++;
  let t = 0;
  for (let r = 0; r < n; r++) if (size[colour[r]] > 1) out[t++] = r;
  for (let r = 0; r < n; r++) size[colour[r]] = 0;
  return out.subarray(0, t);
}

/**
 * The labeling problem of a set's tied rows (see productFrames): vertices are the T
 * tied rows, coloured by rank of (colour, edge colours to the untied rows in
 * canonical order), and edges their T×T edge colours. `ids` is perm_edges' T×n
 * matrix, `order` the set's rows by vertex colour (perm_colours), whose untied rows
 * are in canonical order.
 */
function reducedGraph(tied: Int32Array, ids: Int32Array, colour: Int32Array, order: Int32Array): { adjacency: Int32Array; n: number; colors: ArrayLike<number> } {
  const n = colour.length;
  const t = tied.length;
  // every row ties (tied = 0 … n−1): the complete graph itself, with its own colours
  if (t === n) return { adjacency: ids, n, colors: colour };
  const isTied = new Uint8Array(n);
  for (const v of tied) isTied[v] = 1;
  const untied = order.filter((v) => !isTied[v]);
  const compare = (a: number, b: number) => {
    const c = colour[tied[a]] - colour[tied[b]];
    if (c !== 0) return c;
    for (const u of untied) {
      const e = ids[a * n + u] - ids[b * n + u];
      if (e !== 0) return e;
    }
    return 0;
  };
  const sorted = Array.from({ length: t }, (_, a) => a).sort(compare);
  const colors = new Int32Array(t);
  for (let j = 1; j < t; j++) colors[sorted[j]] = colors[sorted[j - 1]] + (compare(sorted[j - 1], sorted[j]) !== 0 ? 1 : 0);
  const adjacency = new Int32Array(t * t);
  for (let a = 0; a < t; a++) for (let b = 0; b < t; b++) adjacency[a * t + b] = ids[a * n + tied[b]];
  return { adjacency, n: t, colors };
}

/**
 * The set's canonical labeling, in place of `labeling` (which holds the rows by
 * vertex colour, perm_colours' order): untied rows keep their places, and each tied
 * colour's run of places takes that colour's rows in the order of the tied rows'
 * canonical labeling `reduced` (indices into `tied`).
 */
function fullLabeling(labeling: Int32Array, colour: Int32Array, tied: Int32Array, reduced: Int32Array): void {
  if (tied.length === labeling.length) {
    labeling.set(reduced); // every row ties: the complete graph's labeling (reducedGraph)
    return;
  }
  const next = new Int32Array(labeling.length + 1); // where a colour's run continues
  for (let p = labeling.length - 1; p >= 0; p--) next[colour[labeling[p]]] = p;
  for (const a of reduced) {
    const v = tied[a];
    labeling[next[colour[v]]++] = v;
  }
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

/**
 * perm_edges' T×n edge-colour matrix of each input of `which` (its rows scaled by
 * `scales`, where given), in calls of at most MAX_EDGE_PAIRS pairs (or one input).
 */
function tiedEdgeColours(k: Kernels, b: CheckedBatch, which: Tied[], d: number, flags: number, tol: number, scales: Float64Array | null): Int32Array[] {
  const out: Int32Array[] = [];
  for (let j0 = 0; j0 < which.length; ) {
    let j1 = j0 + 1;
    let pairs = which[j0].pairs;
    while (j1 < which.length && pairs + which[j1].pairs <= MAX_EDGE_PAIRS) pairs += which[j1++].pairs;
    out.push(...edgeCall(k, b, which.slice(j0, j1), d, flags, tol, scales));
    j0 = j1;
  }
  return out;
}

/** One perm_edges call over the inputs `which`. */
function edgeCall(k: Kernels, b: CheckedBatch, which: Tied[], d: number, flags: number, tol: number, scales: Float64Array | null): Int32Array[] {
  const m = which.length;
  const offsets = new Int32Array(m + 1);
  const tiedOffsets = new Int32Array(m + 1);
  const entries = new Int32Array(m + 1);
  let maxN = 0;
  let maxPairs = 0;
  which.forEach(({ input: i, tied, pairs }, j) => {
    const n = b.offsets[i + 1] - b.offsets[i];
    offsets[j + 1] = offsets[j] + n;
    tiedOffsets[j + 1] = tiedOffsets[j] + tied.length;
    entries[j + 1] = entries[j] + tied.length * n;
    maxN = Math.max(maxN, n);
    maxPairs = Math.max(maxPairs, pairs);
  });
  return withArena(k, 'perm_edges', (a) => {
    const x = a.alloc(offsets[m] * d * 8);
    const off = a.putI32(offsets);
    const tiedAt = a.alloc(tiedOffsets[m] * 4);
    const tOff = a.putI32(tiedOffsets);
    const work = a.alloc(k.exports.perm_work(maxN, d, maxPairs));
    const ids = a.alloc(entries[m] * 4);
    const xs = a.f64(x, offsets[m] * d);
    const ts = a.i32(tiedAt, tiedOffsets[m]);
    which.forEach(({ input: i, tied }, j) => {
      xs.set(b.data.subarray(b.offsets[i] * d, b.offsets[i + 1] * d), offsets[j] * d);
      if (scales !== null && scales[i] !== 1) scaleValues(xs, offsets[j] * d, offsets[j + 1] * d, scales[i]);
      ts.set(tied, tiedOffsets[j]);
    });
    k.exports.perm_edges(x, off, m, d, flags, tol, tiedAt, tOff, work, ids);
    const all = a.i32(ids, entries[m]);
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
  let stab = stabilizerOf(k, unitScaled(c), n, d, r, autos);
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
        stab = stabilizerOf(k, unitScaled(c), n, d, r, autos);
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

/**
 * c scaled by the power of two that brings its largest magnitude into [1, 2): the
 * maps M_a = pinv(C[a])·C are scale-invariant, but their products of c's entries
 * over- or underflow at the ends of float64's range; powers of two change no other bit.
 */
function unitScaled(c: Float64Array): Float64Array {
  const top = maxAbs(c, 0, c.length);
  const scaled = c.slice();
  // (a subnormal top, as centring may leave, goes as far as 2^1022 takes it)
  if (top > 0) scaleValues(scaled, 0, c.length, 2 ** -exponentOf(Math.max(top, MIN_NORMAL)));
  return scaled;
}

/** Lexicographic order of two arrays, entries within tol·max|v| counted as equal. */
function compareWithTolerance(p: Float64Array, q: Float64Array, tol: number): number {
  let scale = 0;
  for (let i = 0; i < p.length; i++) scale = Math.max(scale, Math.abs(p[i]), Math.abs(q[i]));
  for (let i = 0; i < p.length; i++) if (Math.abs(p[i] - q[i]) > tol * scale) return p[i] - q[i];
  return 0;
}
