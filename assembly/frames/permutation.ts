/**
 * The G-invariants of S(n) x G on point sets (docs/architecture.md), G ∈ O(d), SO(d), E(d),
 * SE(d), O(1,d−1), SO(1,d−1): the complete graph on the rows with vertex colour
 * ⟨x_i, x_i⟩ and edge colour ⟨x_i, x_j⟩ (rows centred first for E/SE; the Minkowski
 * product for Lorentz groups), each clustered into integer ids with the relative
 * tolerance. The labeling, the G-frame and the stabilizer are computed from these
 * (src/frames/permutation.ts). Edge colours are formed only for pairs with a row
 * whose vertex colour ties (perm_edges): n times the tied rows, never n².
 *
 * Clustering (shared by both kernels): sort the values, start a new cluster wherever
 * the gap to the previous value exceeds tol·max|v| (single linkage: a chain of close
 * values is one cluster), and number the clusters 1, 2, … in increasing value. The
 * ids depend only on the multiset of values, so any permutation of the rows gets
 * the same ids on the same rows.
 *
 * The products are vec.ts's dot and dotEta, whose summation order is the same in
 * both builds; the rest is scalar code (a sort), so the builds' results are identical.
 */
import { centroid } from '../linalg/apply';
import { dot, dotEta } from '../linalg/vec';
import { inScale, constantRows } from '../linalg/scale';

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
  return sortAt(n, d) + <usize>values * 24 + COUNTERS;
}

/**
 * Vertex colours of every set: for set i (batch layout of linalg_apply), colour[r]
 * (i32, one per row, same layout as the rows) is the cluster id of ⟨x_r, x_r⟩ (after
 * centring with PERM_CENTER) among the set's rows; order[r0 + k] is the row (index
 * within the set) of the k-th smallest value, ties in row order; discrete[i] has
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
    for (let r = 0; r < n; r++) {
      const p = rows + (<usize>r * <usize>d << 3);
      const v = product(p, p, d, flags);
      store<f64>(keys + (<usize>r << 3), v);
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

/**
 * Cluster m values at `keys` (f64), starting a new cluster at each gap above eps
 * (tol·max|v|, which the caller has): writes the indices sorted by value (ties in
 * index order) to idx (m i32) and the cluster id of each sorted position to the m
 * i32 after idx (the sort's scratch before that), and returns where the ids are.
 * The values at `keys` do not survive (see sortIndices).
 */
function cluster(keys: usize, m: i32, eps: f64, idx: usize): usize {
  const ids = idx + (<usize>m << 2);
  const sorted = sortIndices(keys, m, idx, ids);
  let id = 0;
  let prev: f64 = 0;
  for (let s = 0; s < m; s++) {
    const v = sorted == 0 ? load<f64>(keys + (<usize>load<i32>(idx + (<usize>s << 2)) << 3)) : fromKey(load<u64>(sorted + (<usize>s << 3)));
    if (s == 0 || v - prev > eps) id++;
    store<i32>(ids + (<usize>s << 2), id);
    prev = v;
  }
  return ids;
}

/** Runs sorted by insertion before merging: short enough that insertion is fastest. */
const RUN = 16;
/** Longest sort done by comparisons: past it, the radix sort's fixed cost (its counters) pays off. */
const COMPARISON_MAX = 64;
/** Bytes of the radix sort's counters: 256 per byte of the key. */
const COUNTERS: usize = 8 * 256 * 4;

/**
 * Stable sort of the indices 0..m−1 by keys[index] (f64, ascending) into idx, with
 * `tmp` (m i32) as scratch and, for m > COMPARISON_MAX, the m u64 and the counters
 * after tmp: merge sort for short arrays, radix sort for long ones (the edge
 * colours of a set are up to millions of values, where comparisons mispredict most
 * of the time). Returns 0 when the values at `keys` are left as they were, else
 * where the radix sort left the keys' u64 images in sorted order (`keys` or the
 * scratch after tmp: the values at `keys` are then overwritten).
 */
function sortIndices(keys: usize, m: i32, idx: usize, tmp: usize): usize {
  if (m <= COMPARISON_MAX) {
    mergeSort(keys, m, idx, tmp);
    return 0;
  }
  return radixSort(keys, m, idx, tmp, tmp + (<usize>m << 2));
}

/** Keys past which the radix sort moves them with their indices (their images no longer fit in cache: 512 KiB). */
const MOVE_MIN = 1 << 16;

/** The f64 an order-preserving u64 image (radixSort) stands for. */
// @ts-ignore: decorator
@inline function fromKey(key: u64): f64 {
  return reinterpret<f64>((key >> 63) != 0 ? key & 0x7fffffffffffffff : ~key);
}

/**
 * LSD radix sort of the indices by keys (f64) in eight byte-wide passes over
 * order-preserving u64 images of the keys (sign bit flipped for positive values,
 * every bit for negative ones; −0 counts as +0). Each pass is stable, so ties stay
 * in index order; a pass whose byte is the same for every key is skipped. `u` holds
 * m u64 and then the COUNTERS bytes. Up to MOVE_MIN keys the images go to `u` and
 * each pass reads them through the indices (in cache, that costs less than moving
 * them); past it they are written over the keys and move with their indices, read
 * and written in order (a read through the permuted indices would miss the cache
 * on every value). Returns where the sorted images are then (keys or u), else 0.
 */
function radixSort(keys: usize, m: i32, idx: usize, tmp: usize, u: usize): usize {
  const count = u + (<usize>m << 3);
  const move = m >= MOVE_MIN;
  const images = move ? keys : u;
  memory.fill(count, 0, COUNTERS);
  for (let k = 0; k < m; k++) {
    const b = reinterpret<u64>(load<f64>(keys + (<usize>k << 3)) + 0.0);
    const key = (b >> 63) != 0 ? ~b : b | 0x8000000000000000;
    store<u64>(images + (<usize>k << 3), key);
    for (let p = 0; p < 8; p++) {
      const c = count + ((<usize>p << 10) | (<usize>((key >> (<u64>p << 3)) & 0xff) << 2));
      store<i32>(c, load<i32>(c) + 1);
    }
    store<i32>(idx + (<usize>k << 2), k);
  }
  if (move) return radixPasses(keys, m, idx, tmp, u, count, true);
  radixPasses(u, m, idx, tmp, 0, count, false);
  return 0;
}

/**
 * radixSort's passes over the images at `images` (with `move`, a constant at each
 * call: moved between there and `spare`); returns where the sorted images end up.
 */
// @ts-ignore: decorator
@inline function radixPasses(images: usize, m: i32, idx: usize, tmp: usize, spare: usize, count: usize, move: bool): usize {
  let sk = images, si = idx;
  let dk = spare, di = tmp;
  for (let p = 0; p < 8; p++) {
    const c = count + (<usize>p << 10);
    const first = (<u32>(load<u64>(sk) >> (<u64>p << 3))) & 0xff;
    if (load<i32>(c + (<usize>first << 2)) == m) continue; // one value of this byte: nothing moves
    // counts to start positions
    let at = 0;
    for (let v = 0; v < 256; v++) {
      const cv = c + (<usize>v << 2);
      const t = load<i32>(cv);
      store<i32>(cv, at);
      at += t;
    }
    const shift = <u64>p << 3;
    for (let k = 0; k < m; k++) {
      const j = load<i32>(si + (<usize>k << 2));
      const key = load<u64>(move ? sk + (<usize>k << 3) : images + (<usize>j << 3));
      const cv = c + (<usize>((key >> shift) & 0xff) << 2);
      const pos = load<i32>(cv);
      store<i32>(cv, pos + 1);
      if (move) store<u64>(dk + (<usize>pos << 3), key);
      store<i32>(di + (<usize>pos << 2), j);
    }
    if (move) {
      const tk = sk;
      sk = dk;
      dk = tk;
    }
    const ti = si;
    si = di;
    di = ti;
  }
  if (si != idx) memory.copy(idx, si, <usize>m << 2);
  return sk;
}

/**
 * Stable merge sort of the indices by keys (f64) into idx, with `tmp` (m i32) as
 * scratch: insertion sort of runs of RUN, then bottom-up merges alternating between
 * the two buffers. O(m log m), no recursion.
 */
function mergeSort(keys: usize, m: i32, idx: usize, tmp: usize): void {
  for (let k = 0; k < m; k++) store<i32>(idx + (<usize>k << 2), k);
  for (let a = 0; a < m; a += RUN) {
    const b = min(a + RUN, m);
    for (let i = a + 1; i < b; i++) {
      const v = load<i32>(idx + (<usize>i << 2));
      const kv = load<f64>(keys + (<usize>v << 3));
      let j = i - 1;
      while (j >= a) {
        const u = load<i32>(idx + (<usize>j << 2));
        if (load<f64>(keys + (<usize>u << 3)) <= kv) break;
        store<i32>(idx + (<usize>(j + 1) << 2), u);
        j--;
      }
      store<i32>(idx + (<usize>(j + 1) << 2), v);
    }
  }
  let src = idx;
  let dst = tmp;
  for (let w = RUN; w < m; w <<= 1) {
    for (let a = 0; a < m; a += 2 * w) {
      const mid = min(a + w, m);
      const end = min(a + 2 * w, m);
      let p = a, q = mid, o = a;
      while (p < mid && q < end) {
        const u = load<i32>(src + (<usize>p << 2));
        const v = load<i32>(src + (<usize>q << 2));
        // take from the right run only when strictly smaller: stable
        if (load<f64>(keys + (<usize>v << 3)) < load<f64>(keys + (<usize>u << 3))) {
          store<i32>(dst + (<usize>o << 2), v);
          q++;
        } else {
          store<i32>(dst + (<usize>o << 2), u);
          p++;
        }
        o++;
      }
      for (; p < mid; p++, o++) store<i32>(dst + (<usize>o << 2), load<i32>(src + (<usize>p << 2)));
      for (; q < end; q++, o++) store<i32>(dst + (<usize>o << 2), load<i32>(src + (<usize>q << 2)));
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != idx) memory.copy(idx, src, <usize>m << 2);
}
