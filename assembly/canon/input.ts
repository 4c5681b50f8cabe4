/**
 * Checks of canon_label's inputs as given, on their copies in memory: the TypeScript
 * side copies an input in as it is and, when a kernel here says some entry breaks a
 * rule, finds the first in the input itself and reports the rule (src/graphs/canon.ts);
 * a valid input costs one pass here, with no branch per entry where it can.
 *
 * - canon_from_f64: a dense adjacency given as floats (Float64Array, or Float32Array
 *   widened by the caller) to the i32 edge-colour matrix canon_csr takes: every entry
 *   must be a 32-bit integer (0 = no edge, else a colour id);
 * - canon_check_csr: a CSR graph must list each undirected edge in both directions
 *   with one colour, once each, with no loops and no colour 0.
 */
import { ld, st, zeroWords } from './partition';

/**
 * `count` f64 at src to i32 at dst (dst may equal src: each i32 lands before the
 * f64 it came from is passed). Returns 0 when every value is an i32 exactly (−0
 * becomes 0), else 1 (NaN, ±∞, a fraction, out of range), dst then undefined.
 */
export function canon_from_f64(src: usize, count: i32, dst: usize): i32 {
  let i = 0;
  let bad = 0;
  if (ASC_FEATURE_SIMD) {
    // truncate, widen back, compare: lanes that differ are collected, tested once
    let diff = i32x4.splat(0);
    for (; i + 4 <= count; i += 4) {
      const x0 = v128.load(src + (<usize>i << 3));
      const x1 = v128.load(src + (<usize>i << 3) + 16);
      const t0 = i32x4.trunc_sat_f64x2_s_zero(x0);
      const t1 = i32x4.trunc_sat_f64x2_s_zero(x1);
      diff = v128.or(diff, v128.or(v128.not(f64x2.eq(f64x2.convert_low_i32x4_s(t0), x0)), v128.not(f64x2.eq(f64x2.convert_low_i32x4_s(t1), x1))));
      v128.store(dst + (<usize>i << 2), v128.shuffle<i32>(t0, t1, 0, 1, 4, 5));
    }
    bad = i32(v128.any_true(diff));
  }
  for (; i < count; i++) {
    const x = load<f64>(src + (<usize>i << 3));
    // (x − x: NaN for ±∞ and NaN, so the range test fails for them too)
    const fits = x - x == 0 && x >= -2147483648.0 && x <= 2147483647.0;
    const t = fits ? <i32>x : 0;
    bad |= i32(!fits || <f64>t != x);
    store<i32>(dst + (<usize>i << 2), t);
  }
  return bad;
}

/** Scratch bytes of canon_check_csr for n vertices and `entries` CSR entries. */
export function canon_check_work(n: i32, entries: i32): usize {
  return (<usize>(4 * n + 1) + 2 * <usize>entries) << 2;
}

/**
 * Returns 0 when the CSR graph (rowPtr: n + 1 non-decreasing i32, entry indices
 * into col and ecol) has only entries (i, j, c) with 0 <= j < n, j != i, c != 0,
 * no j twice in a row, and (j, i, c) listed for each; else 1. O(n + entries), with
 * `work` of canon_check_work bytes. Rows sorted by neighbour (the usual CSR) take
 * one pass (sortedValid); others, or a graph that fails it, the general check.
 */
export function canon_check_csr(n: i32, rowPtr: usize, col: usize, ecol: usize, work: usize): i32 {
  return sortedValid(n, rowPtr, col, ecol, work) || generalValid(n, rowPtr, col, ecol, work) ? 0 : 1;
}

/**
 * Whether a CSR graph is valid with every row strictly increasing: row i's entries
 * below i were matched, in order, by the rows before it, so a cursor per row
 * (`ptr`, n words) past them names the next entry the next smaller row must find
 * there; the entries after it must rise above i and each find its reverse at its
 * row's cursor. False for valid graphs with unsorted rows too.
 */
function sortedValid(n: i32, rowPtr: usize, col: usize, ecol: usize, ptr: usize): bool {
  for (let v = 0; v < n; v++) st(ptr, v, ld(rowPtr, v));
  for (let i = 0; i < n; i++) {
    let last = i;
    const end = ld(rowPtr, i + 1);
    for (let e = ld(ptr, i); e < end; e++) {
      const j = ld(col, e);
      // (rising above i: no loop, no repeat, no vertex below 0)
      if (j <= last || j >= n) return false;
      last = j;
      const p = ld(ptr, j);
      const c = ld(ecol, e);
      if (p >= ld(rowPtr, j + 1) || ld(col, p) != i || ld(ecol, p) != c || c == 0) return false;
      st(ptr, j, p + 1);
    }
  }
  // (every entry was matched by a smaller row or passed here: an entry below i
  // that no smaller row matched is where row i starts here, and fails the rise)
  return true;
}

/** Whether a CSR graph is valid: the entries pointing to each vertex gathered by a counting sort, then row j against those pointing to j. */
function generalValid(n: i32, rowPtr: usize, col: usize, ecol: usize, work: usize): bool {
  const e0 = ld(rowPtr, 0);
  const m = ld(rowPtr, n) - e0;
  const start = work; // n + 1: where the entries pointing to j begin
  const fill = start + (<usize>(n + 1) << 2); // n
  const stamp = fill + (<usize>n << 2); // n: 1 + the row that last listed j
  const mark = stamp + (<usize>n << 2); // n: its colour there
  const from = mark + (<usize>n << 2); // m
  const colour = from + (<usize>m << 2); // m
  zeroWords(start, n + 1);
  zeroWords(stamp, n);
  for (let e = e0; e < e0 + m; e++) {
    const j = ld(col, e);
    if (<u32>j >= <u32>n || ld(ecol, e) == 0) return false;
    st(start, j + 1, ld(start, j + 1) + 1);
  }
  for (let j = 0; j < n; j++) {
    // as many entries point to j as j lists
    if (ld(start, j + 1) != ld(rowPtr, j + 1) - ld(rowPtr, j)) return false;
    st(start, j + 1, ld(start, j + 1) + ld(start, j));
    st(fill, j, ld(start, j));
  }
  for (let i = 0; i < n; i++) {
    for (let e = ld(rowPtr, i); e < ld(rowPtr, i + 1); e++) {
      const j = ld(col, e);
      const k = ld(fill, j);
      st(fill, j, k + 1);
      st(from, k, i);
      st(colour, k, ld(ecol, e));
    }
  }
  for (let j = 0; j < n; j++) {
    for (let e = ld(rowPtr, j); e < ld(rowPtr, j + 1); e++) {
      const i = ld(col, e);
      if (i == j || ld(stamp, i) == j + 1) return false;
      st(stamp, i, j + 1);
      st(mark, i, ld(ecol, e));
    }
    for (let k = ld(start, j); k < ld(start, j + 1); k++) {
      const i = ld(from, k);
      if (ld(stamp, i) != j + 1 || ld(mark, i) != ld(colour, k)) return false;
    }
  }
  return true;
}
