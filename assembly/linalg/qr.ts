/**
 * Gram–Schmidt orthogonalization and greedy selection of independent rows.
 *
 * Vectors are rows: a basis u_0..u_{k-1} is k rows of d f64 (row-major, stride d).
 * Orthogonalization is modified Gram–Schmidt applied twice ("twice is enough":
 * Giraud, Langou, Rozložník 2005), which keeps the basis orthonormal to round-off
 * even for nearly dependent rows.
 */
import { dot, dotEta, axmy, scaleTo, subTo } from './vec';

/**
 * Orthogonalize w (d f64) against u_0..u_{k-1} in place, twice; return ‖w‖².
 * If `rcol` != 0, the projection coefficients (summed over both passes) are
 * written to rcol[0..k-1] — column k of R in v = U^T R.
 *
 * With `eps` != 0 the metric is Minkowski (η = diag(1, −1, …, −1)): u_i are
 * η-orthonormal with ⟨u_i, u_i⟩_η = eps[i] ∈ {+1, −1} (f64; 0 marks a zero row,
 * which projects nothing), the projection is w −= eps[i]·⟨u_i, w⟩_η·u_i, and
 * ⟨w, w⟩_η is returned (the generalized Gram–Schmidt of Lin et al. 2024, Alg. 1,
 * here applied twice like the Euclidean one).
 */
// @ts-ignore: decorator
@inline export function orthogonalize(u: usize, k: i32, w: usize, d: i32, rcol: usize, eps: usize = 0): f64 {
  const rowBytes = <usize>d << 3;
  if (rcol != 0) memory.fill(rcol, 0, <usize>k << 3);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < k; i++) {
      const ui = u + <usize>i * rowBytes;
      const c = eps == 0 ? dot(ui, w, d) : load<f64>(eps + (<usize>i << 3)) * dotEta(ui, w, d);
      axmy(w, c, ui, d);
      if (rcol != 0) store<f64>(rcol + (<usize>i << 3), load<f64>(rcol + (<usize>i << 3)) + c);
    }
  }
  return eps == 0 ? dot(w, w, d) : dotEta(w, w, d);
}

/**
 * Greedy basis of the first linearly independent rows, in row order.
 *
 * Row r (minus t, if t != 0) is taken when its residual after projection onto
 * the rows already taken has squared norm > thr2; its normalized residual becomes
 * u_k. Greedy selection in row order yields the lexicographically first basis.
 * Stops after d rows. If `picked` != 0 the chosen row indices are written there.
 * `w` is scratch for d f64. Returns the rank k; u_k..u_{d-1} are left untouched.
 */
export function selectBasis(x: usize, rows: i32, d: i32, t: usize, thr2: f64, u: usize, w: usize, picked: usize): i32 {
  const rowBytes = <usize>d << 3;
  let k = 0;
  for (let r = 0; r < rows && k < d; r++) {
    subTo(w, x + <usize>r * rowBytes, t, d);
    const n2 = orthogonalize(u, k, w, d, 0);
    if (n2 > thr2) {
      scaleTo(u + <usize>k * rowBytes, 1.0 / sqrt<f64>(n2), w, d);
      if (picked != 0) store<i32>(picked + (<usize>k << 2), r);
      k++;
    }
  }
  return k;
}

/**
 * Squared tolerance for rank decisions: (tol·s)² with s² the mean squared norm
 * of the rows (minus t). s is invariant under the groups acting on the rows,
 * so the same rows are chosen for X and g·X.
 */
export function rankThreshold(x: usize, rows: i32, d: i32, t: usize, tol: f64, w: usize): f64 {
  if (rows == 0) return 0;
  const rowBytes = <usize>d << 3;
  let s: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    if (t == 0) {
      s += dot(xr, xr, d);
    } else {
      subTo(w, xr, t, d);
      s += dot(w, w, d);
    }
  }
  return tol * tol * (s / <f64>rows);
}

/**
 * Batched greedy selection: for input i (batch layout of linalg_apply), write the
 * indices of its first independent rows (relative tolerance tol, as rankThreshold)
 * to picked[i·d ..], −1 padded, and its rank to rank[i]. `work` holds d² + d f64.
 */
export function linalg_select(x: usize, offsets: usize, count: i32, d: i32, tol: f64, work: usize, picked: usize, rank: usize): void {
  const rowBytes = <usize>d << 3;
  const w = work + <usize>d * rowBytes;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const r1 = load<i32>(offsets + (<usize>(i + 1) << 2));
    const xi = x + <usize>r0 * rowBytes;
    const pi = picked + ((<usize>i * <usize>d) << 2);
    for (let j = 0; j < d; j++) store<i32>(pi + (<usize>j << 2), -1);
    const thr2 = rankThreshold(xi, r1 - r0, d, 0, tol, w);
    store<i32>(rank + (<usize>i << 2), selectBasis(xi, r1 - r0, d, 0, thr2, work, w, pi));
  }
}

/**
 * Batched thin QR of k row vectors in R^d (k <= d): for each of `count` inputs,
 * a (k×d, row-major) = R^T·U with U (k×d) orthonormal rows and R (k×k) upper
 * triangular with a non-negative diagonal; a column dependent on the previous
 * ones (residual exactly 0) gives R_jj = 0 and a zero row in U.
 * Outputs u (count·k·d) and r (count·k·k), row-major.
 */
export function linalg_qr(a: usize, count: i32, k: i32, d: i32, u: usize, r: usize): void {
  const rowBytes = <usize>d << 3;
  for (let i = 0; i < count; i++) {
    const ai = a + <usize>i * <usize>k * rowBytes;
    const ui = u + <usize>i * <usize>k * rowBytes;
    const ri = r + ((<usize>i * <usize>k * <usize>k) << 3);
    memory.fill(ri, 0, (<usize>k * <usize>k) << 3);
    for (let j = 0; j < k; j++) {
      const w = ui + <usize>j * rowBytes;
      memory.copy(w, ai + <usize>j * rowBytes, rowBytes);
      const col = ri + ((<usize>j * <usize>k) << 3); // row j of R^T, transposed below
      const n2 = orthogonalize(ui, j, w, d, col);
      const nrm = sqrt<f64>(n2);
      store<f64>(col + (<usize>j << 3), nrm);
      if (nrm > 0) scaleTo(w, 1.0 / nrm, w, d);
      else memory.fill(w, 0, rowBytes);
    }
    // the loop wrote R^T (row j = column j of R); transpose in place
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const pq = ri + ((<usize>p * <usize>k + <usize>q) << 3);
        const qp = ri + ((<usize>q * <usize>k + <usize>p) << 3);
        const tmp = load<f64>(pq);
        store<f64>(pq, load<f64>(qp));
        store<f64>(qp, tmp);
      }
    }
  }
}
