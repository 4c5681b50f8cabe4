/**
 * The maps of row permutations on the span of a point set, by the pseudo-inverse:
 * for a permutation a of the n rows and C the rows' first r columns (full column
 * rank), M_a = pinv(C[a])·C = (C[a]ᵀC[a])⁻¹·C[a]ᵀC, the r×r map with C[a]·M_a = C
 * whenever one exists (the stabilizer elements of S(n) x G, src/frames/permutation.ts).
 *
 * C[a]ᵀC[a] = CᵀC for every permutation a (a sum over the same rows), so the Gram
 * matrix is formed and factored once (gram.ts, lu.ts) and each map costs the r²
 * products C[a]ᵀC and r solves. Every sum is vec.ts's `dot` or the scalar code of
 * lu.ts, so both builds give identical bits.
 */
import { gram } from './gram';
import { det, luFactor, luSolve } from './lu';
import { dot } from './vec';

/**
 * Bytes of scratch for linalg_pinv on n rows of rank r: Cᵀ and C[a]ᵀ (r×n each),
 * the LU factors of CᵀC (r×r) and their pivots, a column, and det's scratch.
 */
export function linalg_pinv_work(n: i32, r: i32): usize {
  const rr = <usize>r;
  return (2 * rr * <usize>n + 2 * rr * rr + 3 * rr) << 3;
}

/**
 * For each of `count` permutations a (autos: count×n i32, canonical row k ↦ a(k)) of
 * the n rows at c (d f64 each; the first r columns are C), the r×r row-major map
 * M_a to maps[a·r²..] and sign(det M_a) to signs[a] (i32: −1 when det < 0, else +1).
 * The identity gets the identity map exactly. A Gram matrix CᵀC with an exactly zero
 * pivot (C not of full column rank) gives NaN maps for the other permutations.
 * `work` holds linalg_pinv_work(n, r) bytes.
 */
export function linalg_pinv(c: usize, n: i32, d: i32, r: i32, autos: usize, count: i32, work: usize, maps: usize, signs: usize): void {
  const rowBytes = <usize>d << 3;
  const colBytes = <usize>n << 3; // a row of Cᵀ
  const rr = <usize>r * <usize>r;
  const ct = work;
  const cat = ct + <usize>r * colBytes;
  const lu = cat + <usize>r * colBytes;
  const piv = lu + (rr << 3);
  const col = piv + (<usize>r << 3);
  const scratch = col + (<usize>r << 3);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < r; q++) store<f64>(ct + <usize>q * colBytes + (<usize>p << 3), load<f64>(c + <usize>p * rowBytes + (<usize>q << 3)));
  }
  gram(ct, r, n, 0, lu);
  const regular = luFactor(lu, r, piv) != 0;
  for (let e = 0; e < count; e++) {
    const a = autos + ((<usize>e * <usize>n) << 2);
    const m = maps + ((<usize>e * rr) << 3);
    let identity = true;
    for (let p = 0; p < n && identity; p++) identity = load<i32>(a + (<usize>p << 2)) == p;
    if (identity || !regular) {
      for (let j = 0; j < <i32>rr; j++) store<f64>(m + (<usize>j << 3), identity ? (j % (r + 1) == 0 ? 1.0 : 0.0) : NaN);
      store<i32>(signs + (<usize>e << 2), 1);
      continue;
    }
    // C[a]ᵀ: row q holds column q of the permuted rows
    for (let q = 0; q < r; q++) {
      const src = ct + <usize>q * colBytes;
      const dst = cat + <usize>q * colBytes;
      for (let p = 0; p < n; p++) store<f64>(dst + (<usize>p << 3), load<f64>(src + (<usize>load<i32>(a + (<usize>p << 2)) << 3)));
    }
    // column j of M_a solves CᵀC·x = (C[a]ᵀC)[:, j]
    for (let j = 0; j < r; j++) {
      const cj = ct + <usize>j * colBytes;
      for (let l = 0; l < r; l++) store<f64>(col + (<usize>l << 3), dot(cat + <usize>l * colBytes, cj, n));
      luSolve(lu, piv, r, col);
      for (let l = 0; l < r; l++) store<f64>(m + ((<usize>l * <usize>r + <usize>j) << 3), load<f64>(col + (<usize>l << 3)));
    }
    store<i32>(signs + (<usize>e << 2), det(m, r, scratch) < 0 ? -1 : 1);
  }
}
