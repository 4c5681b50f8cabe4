/**
 * Clustering of real values into integer ids, the one implementation behind every
 * tie decision that compares reals: S(n)'s column values (src/frames/permutation.ts),
 * a weighted graph's edge weights (src/frames/graph.ts) and the invariants of
 * S(n) x G (permutation.ts here).
 *
 * The rule: sort the values, start a new cluster wherever the gap to the previous
 * value exceeds eps = tol·max|v| (single linkage: a chain of close values is one
 * cluster), and number the clusters 1, 2, … in increasing value. The ids depend only
 * on the multiset of values, so any permutation of them gets the same ids on the
 * same values. Sorting is stable (ties in index order), by merge sort for short
 * arrays and an LSD radix sort on order-preserving u64 images for long ones.
 */

/** Bytes of scratch cluster_values needs for m values (at most; cluster_columns: m = the largest set's rows). */
export function cluster_work(m: i32): usize {
  return indexBytes(m) + clusterBytes(m);
}

/**
 * The cluster ids of m f64 values at `values` (left as they are) into ids (m i32).
 * With zero = 1, values with |v| ≤ eps get id 0 ("no edge") and take no part in the
 * clustering. `work` holds cluster_work(m) bytes.
 */
export function cluster_values(values: usize, m: i32, tol: f64, zero: i32, work: usize, ids: usize): void {
  clusterStrided(values, 1, m, tol, zero != 0, work, ids);
}

/**
 * Per set i of a batch (rows by `offsets`, d f64 per row) and per column a, the
 * cluster ids of the column's n values among themselves (eps from that column's
 * largest |v|) to ids[(r0 + r)·d + a] (i32, the layout of the rows). `work` holds
 * cluster_work(largest n) bytes.
 */
export function cluster_columns(x: usize, offsets: usize, count: i32, d: i32, tol: f64, work: usize, ids: usize): void {
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const n = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    for (let a = 0; a < d; a++) {
      const at = <usize>r0 * <usize>d + <usize>a;
      clusterStrided(x + (at << 3), d, n, tol, false, work, ids + (at << 2));
    }
  }
}

/** Bytes of the kept values' indices in clusterStrided's scratch (8-byte aligned, for the f64 keys after them). */
// @ts-ignore: decorator
@inline function indexBytes(m: i32): usize {
  return ((<usize>m << 2) + 7) & ~7;
}

/** cluster_values on m values `stride` f64 apart, their ids written `stride` i32 apart. */
// @ts-ignore: decorator
@inline function clusterStrided(values: usize, stride: i32, m: i32, tol: f64, zero: bool, work: usize, ids: usize): void {
  const step = <usize>stride;
  let scale: f64 = 0;
  for (let k = 0; k < m; k++) scale = max(scale, abs(load<f64>(values + ((<usize>k * step) << 3))));
  const eps = tol * scale;
  // the kept values as keys (cluster overwrites them), with their indices in `where`
  const where = work;
  const keys = work + indexBytes(m);
  let kept = 0;
  for (let k = 0; k < m; k++) {
    const v = load<f64>(values + ((<usize>k * step) << 3));
    if (zero && abs(v) <= eps) {
      store<i32>(ids + ((<usize>k * step) << 2), 0);
      continue;
    }
    store<f64>(keys + (<usize>kept << 3), v);
    store<i32>(where + (<usize>kept << 2), k);
    kept++;
  }
  const idx = keys + (<usize>kept << 3);
  const cid = cluster(keys, kept, eps, idx);
  for (let s = 0; s < kept; s++) {
    const k = load<i32>(where + (<usize>load<i32>(idx + (<usize>s << 2)) << 2));
    store<i32>(ids + ((<usize>k * step) << 2), load<i32>(cid + (<usize>s << 2)));
  }
}

/**
 * Cluster m values at `keys` (f64), starting a new cluster at each gap above eps
 * (tol·max|v|, which the caller has): writes the indices sorted by value (ties in
 * index order) to idx (m i32) and the cluster id of each sorted position to the m
 * i32 after idx (the sort's scratch before that), and returns where the ids are.
 * The values at `keys` do not survive (see sortIndices).
 */
export function cluster(keys: usize, m: i32, eps: f64, idx: usize): usize {
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

/** Bytes at `keys` that cluster uses for m values: the keys, idx, the ids (the sort's scratch), the radix sort's u64 images and counters. */
// @ts-ignore: decorator
@inline export function clusterBytes(m: i32): usize {
  return <usize>m * 24 + COUNTERS;
}

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
