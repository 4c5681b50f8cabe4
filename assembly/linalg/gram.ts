/**
 * Gram matrices of point sets: G = X·η·Xᵀ, the complete table of pairwise inner
 * products that orthogonal and Lorentz invariants are built from.
 */
import { dot, dotEta } from './vec';

/**
 * For each input i (batch layout of linalg_apply) with n_i rows, write the n_i×n_i
 * row-major matrix G_rs = ⟨x_r, x_s⟩ to out, inputs back to back (input i starts
 * at Σ_{j<i} n_j²). metric 0: Euclidean; metric 1: Minkowski η = diag(1, −1, …, −1).
 * G is symmetric by construction (each pair is computed once and mirrored).
 */
export function linalg_gram(x: usize, offsets: usize, count: i32, d: i32, metric: i32, out: usize): void {
  const rowBytes = <usize>d << 3;
  let o = out;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const n = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    gram(x + <usize>r0 * rowBytes, n, d, metric, o);
    o += (<usize>n * <usize>n) << 3;
  }
}

/** The n×n Gram matrix of the n rows (d f64 each) at x, to out: one input of linalg_gram. */
// @ts-ignore: decorator
@inline export function gram(x: usize, n: i32, d: i32, metric: i32, out: usize): void {
  const rowBytes = <usize>d << 3;
  const nb = <usize>n << 3;
  for (let r = 0; r < n; r++) {
    const xr = x + <usize>r * rowBytes;
    for (let s = r; s < n; s++) {
      const xs = x + <usize>s * rowBytes;
      const g = metric == 1 ? dotEta(xr, xs, d) : dot(xr, xs, d);
      store<f64>(out + <usize>r * nb + (<usize>s << 3), g);
      store<f64>(out + <usize>s * nb + (<usize>r << 3), g);
    }
  }
}
