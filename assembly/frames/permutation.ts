/**
 * The G-invariants of S(n) x G on point sets (docs/architecture.md), G ∈ O(d), SO(d), E(d),
 * SE(d), O(1,d−1), SO(1,d−1): the complete graph on the rows with vertex colour
 * ⟨x_i, x_i⟩ and edge colour ⟨x_i, x_j⟩ (rows centred first for E/SE; the Minkowski
 * product for Lorentz groups), each clustered into integer ids with the relative
 * tolerance. The labeling, the G-frame and the stabilizer are computed from these
 * (src/frames/permutation.ts). Edge colours are formed only for pairs with a row
 * whose vertex colour ties (perm_edges): n times the tied rows, never n².
 *
 * Values are clustered into ids by cluster.ts, as everywhere else.
 *
 * The products are vec.ts's dot and dotEta, whose summation order is the same in
 * both builds; the rest is scalar code (a sort), so the builds' results are identical.
 */
import { centroid } from '../linalg/apply';
import { dot, dotEta } from '../linalg/vec';
import { inScale, constantRows } from '../linalg/scale';
import { cluster, clusterBytes } from './cluster';

/** Flag bits of perm_colours and perm_edges. */
export const PERM_CENTER: i32 = 1; // E / SE: subtract the centroid first
export const PERM_LORENTZ: i32 = 2; // ⟨x, y⟩ = x_0·y_0 − x_1·y_1 − … (η = diag(1, −1, …, −1))
export const PERM_SCALED: i32 = 4; // perm_colours: the caller scaled the sets already, mark none

/** Bits of perm_colours' `discrete`: the ids are all distinct; the set's scale is out of range. */
export const PERM_DISCRETE: i32 = 1;
export const PERM_RESCALE: i32 = 2;

/**
 * Bytes of scratch for sets of at most n rows in dimension d that cluster at most
 * `values` values (n for perm_colours, the largest set's pair count for perm_edges):
 * the centred rows, the centroid, a list of rows (perm_edges), and per value
 * its f64, its u64 sort key and two i32 indices, plus the radix sort's counters.
 */
export function perm_work(n: i32, d: i32, values: i32): usize {
  return sortAt(n, d) + clusterBytes(values);
}

/**
 * Vertex colours of every set: for set i (batch layout of linalg_apply), colour[r]
 * (i32, one per row, same layout as the rows) is the cluster id of −⟨x_r, x_r⟩ (after
 * centring with PERM_CENTER) among the set's rows, so the longest rows have the
 * smallest ids; order[r0 + k] is the row (index within the set) of the k-th largest
 * ⟨x_r, x_r⟩, ties in row order; discrete[i] has
 * PERM_DISCRETE when the ids are all distinct. A discrete colouring is already the
 * canonical labeling of the complete graph — vertices in increasing colour, trivial
 * automorphism group — so such sets need no edge colours and no search.
 * `work` holds perm_work(max rows, d, max rows) bytes. Sets of zero rows are discrete.
 *
 * Scale (assembly/linalg/scale.ts): a set whose largest |⟨x_r, x_r⟩| lies outside
 * [SCALE2_MIN, SCALE2_MAX] (other than a zero set, or with PERM_CENTER one point
 * repeated) also gets PERM_RESCALE, unless `flags` has PERM_SCALED: its products
 * may have over- or underflowed, and the caller computes it again scaled by a
 * power of two (which leaves every id as it is). Returns the number of such sets.
 */
export function perm_colours(
  x: usize, offsets: usize, count: i32, d: i32, flags: i32, tol: f64,
  work: usize, colour: usize, order: usize, discrete: usize,
): i32 {
  let marked = 0;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const n = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    const xi = x + (<usize>r0 * <usize>d << 3);
    const rows = centred(xi, n, d, flags, work);
    const keys = sortScratch(work, n, d);
    let scale: f64 = 0;
    // keyed by −⟨x_r, x_r⟩, so the canonical order starts at the longest rows and the
    // G-frame is built from them: a row near the centre (methane's carbon) would give
    // it an axis whose direction round-off decides
    for (let r = 0; r < n; r++) {
      const p = rows + (<usize>r * <usize>d << 3);
      const v = product(p, p, d, flags);
      store<f64>(keys + (<usize>r << 3), -v);
      scale = max(scale, abs(v));
    }
    const idx = keys + (<usize>n << 3);
    const ids = cluster(keys, n, tol * scale, idx);
    // cluster left the sorted indices in idx and each position's id in ids
    for (let k = 0; k < n; k++) {
      const r = load<i32>(idx + (<usize>k << 2));
      store<i32>(order + (<usize>(r0 + k) << 2), r);
      store<i32>(colour + (<usize>(r0 + r) << 2), load<i32>(ids + (<usize>k << 2)));
    }
    let bits = n == 0 || load<i32>(ids + (<usize>(n - 1) << 2)) == n ? PERM_DISCRETE : 0;
    if ((flags & PERM_SCALED) == 0 && n > 0 && !inScale(scale) && !(scale == 0 && constantRows(xi, n, d, (flags & PERM_CENTER) != 0))) {
      bits |= PERM_RESCALE;
      marked++;
    }
    store<i32>(discrete + (<usize>i << 2), bits);
  }
  return marked;
}

/**
 * Edge colours where a set's vertex colours tie: for set i with n rows, the T tied
 * rows tied[tiedOffsets[i] ..] (indices within the set, increasing; T =
 * tiedOffsets[i+1] − tiedOffsets[i]) and every row: the T×n i32 matrix at ids + Σ_{j<i} T_j·n_j
 * (row-major) holds at [a][q] the cluster id of ⟨x_p, x_q⟩, p = tied[a] (centred
 * with PERM_CENTER), among the set's pairs {p, q} with a tied p — T·(n − T) +
 * T(T − 1)/2 values, each pair clustered once — and 0 at q = p. Only these edges
 * can refine the colouring: untied rows have distinct colours, so every isomorphism
 * fixes them and the edges between two of them. The ids depend only on the multiset
 * of these values, which any permutation of the rows leaves as it is. `work`
 * holds perm_work(max rows, d, max pairs) bytes.
 */
export function perm_edges(
  x: usize, offsets: usize, count: i32, d: i32, flags: i32, tol: f64,
  tied: usize, tiedOffsets: usize, work: usize, ids: usize,
): void {
  let out = ids;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const n = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    const t0 = load<i32>(tiedOffsets + (<usize>i << 2));
    const tc = load<i32>(tiedOffsets + (<usize>(i + 1) << 2)) - t0;
    const ti = tied + (<usize>t0 << 2);
    const rows = centred(x + (<usize>r0 * <usize>d << 3), n, d, flags, work);
    // the untied rows, in row order (a tied row a pairs with the tied rows after it and these)
    const untied = work + positions(n, d);
    let un = 0;
    for (let q = 0, a = 0; q < n; q++) {
      if (a < tc && load<i32>(ti + (<usize>a << 2)) == q) a++;
      else store<i32>(untied + (<usize>(un++) << 2), q);
    }
    const keys = sortScratch(work, n, d);
    let m = 0;
    let scale: f64 = 0;
    for (let a = 0; a < tc; a++) {
      const xp = rows + (<usize>load<i32>(ti + (<usize>a << 2)) * <usize>d << 3);
      for (let b = a + 1; b < tc; b++) {
        const v = product(xp, rows + (<usize>load<i32>(ti + (<usize>b << 2)) * <usize>d << 3), d, flags);
        store<f64>(keys + (<usize>(m++) << 3), v);
        scale = max(scale, abs(v));
      }
      for (let j = 0; j < un; j++) {
        const v = product(xp, rows + (<usize>load<i32>(untied + (<usize>j << 2)) * <usize>d << 3), d, flags);
        store<f64>(keys + (<usize>(m++) << 3), v);
        scale = max(scale, abs(v));
      }
    }
    const idx = keys + (<usize>m << 3);
    const cid = cluster(keys, m, tol * scale, idx);
    // pair index → id, through the sorted order (cid is by sorted position)
    const byPair = keys; // the values are no longer needed: reuse their space (i32 ≤ f64)
    for (let s = 0; s < m; s++) store<i32>(byPair + (<usize>load<i32>(idx + (<usize>s << 2)) << 2), load<i32>(cid + (<usize>s << 2)));
    // the pairs again, in the same order: each id to [a][q], and to [b][p] for q = tied[b]
    let k = 0;
    for (let a = 0; a < tc; a++) {
      const p = load<i32>(ti + (<usize>a << 2));
      const row = out + (<usize>a * <usize>n << 2);
      store<i32>(row + (<usize>p << 2), 0);
      for (let b = a + 1; b < tc; b++) {
        const id = load<i32>(byPair + (<usize>(k++) << 2));
        store<i32>(row + (<usize>load<i32>(ti + (<usize>b << 2)) << 2), id);
        store<i32>(out + ((<usize>b * <usize>n + <usize>p) << 2), id);
      }
      for (let j = 0; j < un; j++) store<i32>(row + (<usize>load<i32>(untied + (<usize>j << 2)) << 2), load<i32>(byPair + (<usize>(k++) << 2)));
    }
    out += <usize>tc * <usize>n << 2;
  }
}

/**
 * The set's rows as the invariants see them: `x` itself, or (PERM_CENTER) the rows
 * minus their centroid, written to work + d f64 (the centroid goes to `work`).
 */
function centred(x: usize, n: i32, d: i32, flags: i32, work: usize): usize {
  if ((flags & PERM_CENTER) == 0 || n == 0) return x;
  const rows = work + (<usize>d << 3);
  centroid(x, n, d, work);
  for (let r = 0; r < n; r++) {
    for (let a = 0; a < d; a++) {
      const o = (<usize>r * <usize>d + <usize>a) << 3;
      store<f64>(rows + o, load<f64>(x + o) - load<f64>(work + (<usize>a << 3)));
    }
  }
  return rows;
}

/** Where perm_edges' list of untied rows starts in `work` for sets of n rows: after the centroid and the centred rows. */
// @ts-ignore: decorator
@inline function positions(n: i32, d: i32): usize {
  return (<usize>n * <usize>d + <usize>d) << 3;
}

/** Where the sort's scratch starts in `work` (8-byte aligned): after the untied rows. */
// @ts-ignore: decorator
@inline function sortAt(n: i32, d: i32): usize {
  return positions(n, d) + (((<usize>n << 2) + 7) & ~7);
}

// @ts-ignore: decorator
@inline function sortScratch(work: usize, n: i32, d: i32): usize {
  return work + sortAt(n, d);
}

/** ⟨a, b⟩ over d values, Euclidean or (PERM_LORENTZ) Minkowski. */
// @ts-ignore: decorator
@inline function product(a: usize, b: usize, d: i32, flags: i32): f64 {
  return (flags & PERM_LORENTZ) != 0 ? dotEta(a, b, d) : dot(a, b, d);
}
