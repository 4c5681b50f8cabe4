/**
 * Minimal frames for O(d), SO(d), E(d) and SE(d) (docs/architecture.md).
 *
 * For each input X (n×d rows): t = centroid (E, SE) or 0; the first maximal set of
 * independent rows of X − t, in row order, is orthonormalized by Gram–Schmidt into
 * u_0..u_{k-1} (this is the QR of those rows taken as columns, with R's diagonal
 * positive), Q = [u_0 … u_{d-1}] (columns), and the canonical form is c = (X − t)·Q.
 * The frame element is h = (Q, t): X = c·Qᵀ + t.
 *
 * Rank k < d: for O(d), and for SO(d) when k <= d−2, u_k.. are zero, which is the
 * closed-form Haar average over the stabilizer O(d−k) / SO(d−k) (components outside
 * the span average to zero). SO(d), k = d−1: u_{d-1} is the unique unit vector
 * orthogonal to the span with det Q = +1, found deterministically. SO(d), k = d:
 * u_{d-1} is negated when det Q < 0.
 */
import { selectBasis, selectionHolds, invariantScale2, meanSquare, orthogonalize } from '../linalg/qr';
import { markScale } from '../linalg/scale';
import { applyRows } from '../linalg/apply';
import { det } from '../linalg/lu';
import { dot, scaleTo, transposeTo, zero } from '../linalg/vec';

/** Flag bits of ortho_frames. */
export const ORTHO_SPECIAL: i32 = 1; // SO / SE: det Q = +1
export const ORTHO_CENTER: i32 = 2; // E / SE: translate by the centroid
export const ORTHO_COMPLETE: i32 = 4; // also complete rank d−1 for O(d) (to list frame elements)

/** Bytes of scratch ortho_frames needs for dimension d. */
export function ortho_work(d: i32): i32 {
  return (3 * d * d + 2 * d + 2) * 8 + d * 4;
}

/**
 * Batched frames, with the ABI every family_frames shares. Inputs in the batch
 * layout of linalg_apply; for input i writes q[i·d²..] (Q, d×d row-major:
 * Q[a][j] = u_j[a]), shift[i·d..] (t), rank[i] (i32), and its rows of canonical
 * (layout of x; must not overlap x); status[2i..2i+1] is left as the caller set
 * it (every input has a frame) unless the input's scale is out of range
 * (linalg/scale.ts: then it is marked, and its results are to be made again
 * scaled). Returns the number of inputs marked. tol is the relative rank
 * tolerance (relative to the invariant scale below). `work` holds ortho_work(d) bytes.
 *
 * Without centring, the scale (the mean squared norm) needs every row, and a pass
 * over them ahead of the arithmetic would wait on memory for large batches. So the
 * rows are selected with a provisional threshold from the first row and mapped
 * (which streams them in at the pace of the arithmetic), the scale is summed from
 * cache after, and selectionHolds checks that it selects the same rows (it does
 * unless a residual lies between the two thresholds); otherwise the frame is made
 * again. The result is always the real threshold's. With centring, the centroid
 * pass yields the scale first.
 */
export function ortho_frames(
  x: usize, offsets: usize, count: i32, d: i32, flags: i32, tol: f64,
  work: usize, q: usize, shift: usize, rank: usize, status: usize, canonical: usize,
): i32 {
  const rowBytes = <usize>d << 3;
  const matBytes = <usize>d * rowBytes;
  const u = work;
  const w = u + matBytes; // d² + 2d f64: selectBasis's scratch (a row first)
  const bounds = w + <usize>(d + 2) * rowBytes; // 2 f64, from selectBasis
  const scratch = bounds + 16; // d² f64 + d i32, for det
  const center = (flags & ORTHO_CENTER) != 0;
  let marked = 0;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const rows = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    const xi = x + <usize>r0 * rowBytes;
    const ci = canonical + <usize>r0 * rowBytes;
    const qi = q + <usize>i * matBytes;
    const ri = rank + (<usize>i << 2);
    const t = shift + <usize>i * rowBytes;
    if (center) {
      const s2 = invariantScale2(xi, rows, d, true, t);
      marked += markScale(s2, flags, status, i, xi, rows, d, true);
      frameOf(xi, rows, d, flags, t, tol * tol * s2, u, w, 0, scratch, qi, ri);
      applyRows(xi, rows, d, qi, t, 0, ci, 0);
      continue;
    }
    zero(t, d);
    const first = rows == 0 ? 0 : dot(xi, xi, d);
    frameOf(xi, rows, d, flags, 0, tol * tol * first, u, w, bounds, scratch, qi, ri);
    applyRows(xi, rows, d, qi, 0, 0, ci, 0);
    const s2 = meanSquare(xi, rows, d); // the rows are in cache now
    marked += markScale(s2, flags, status, i, xi, rows, d, false);
    const thr2 = tol * tol * s2;
    if (!selectionHolds(bounds, thr2)) {
      frameOf(xi, rows, d, flags, 0, thr2, u, w, 0, scratch, qi, ri);
      applyRows(xi, rows, d, qi, 0, 0, ci, 0);
    }
  }
  return marked;
}

/**
 * One input's Q (to qi) and rank (to ri) for the rows of X − t (t = 0: none)
 * selected with threshold thr2; `bounds` as for selectBasis.
 */
function frameOf(xi: usize, rows: i32, d: i32, flags: i32, t: usize, thr2: f64, u: usize, w: usize, bounds: usize, scratch: usize, qi: usize, ri: usize): void {
  const rowBytes = <usize>d << 3;
  const special = (flags & ORTHO_SPECIAL) != 0;
  const k = selectBasis(xi, rows, d, t, thr2, u, w, 0, bounds);
  store<i32>(ri, k);
  if (k < d) zero(u + <usize>k * rowBytes, (d - k) * d); // the complement, until completed
  if (k == d - 1 && (special || (flags & ORTHO_COMPLETE) != 0)) completeLast(u, d, w);
  if (special && k >= d - 1 && det(u, d, scratch) < 0) {
    const last = u + <usize>(d - 1) * rowBytes;
    scaleTo(last, -1.0, last, d);
  }
  transposeTo(qi, u, d); // Q = Uᵀ
}

/**
 * u_0..u_{d-2} orthonormal: set u_{d-1} to a unit vector orthogonal to them (its
 * sign is fixed afterwards by det Q = +1). The standard basis vector with the
 * largest residual (squared residual of e_j is 1 − Σ_i u_i[j]² >= 1/d) is
 * orthogonalized; the result is unique up to sign, so the choice of j does not
 * affect the frame beyond round-off.
 */
function completeLast(u: usize, d: i32, w: usize): void {
  const rowBytes = <usize>d << 3;
  let best = -1.0;
  let jb = 0;
  for (let j = 0; j < d; j++) {
    let s: f64 = 1;
    for (let i = 0; i < d - 1; i++) {
      const v = load<f64>(u + <usize>i * rowBytes + (<usize>j << 3));
      s -= v * v;
    }
    if (s > best) { best = s; jb = j; }
  }
  zero(w, d);
  store<f64>(w + (<usize>jb << 3), 1.0);
  const n2 = orthogonalize(u, d - 1, w, d, 0);
  scaleTo(u + <usize>(d - 1) * rowBytes, 1.0 / sqrt<f64>(n2), w, d);
}
