/**
 * Minimal frames for U(d) and SU(d) (docs/architecture.md), complex rows (re, im) interleaved.
 *
 * For each input X (n×d complex rows): the first maximal set of independent rows,
 * in row order, is taken conjugated (the columns of Xᴴ) and orthonormalized by
 * Gram–Schmidt into u_0..u_{k-1}: the QR of those columns of Xᴴ with R's diagonal
 * real and positive. Q = [u_0 … u_{d-1}] (columns) and c = X·Q. g·X = X·W (W
 * unitary) maps Q to Wᴴ·Q and leaves c unchanged. The frame element is stored as
 * M = conj(Q), so that X = c·Mᵀ (the same formula as the real groups).
 *
 * SU(d), rank d: Q is divided by the principal d-th root of det Q (det Q/root^d = 1).
 * SU(d), rank d−1: u_{d-1} is the unique unit vector orthogonal to the span with
 * det Q = 1, found deterministically (the reference appends random rows instead).
 * Any other rank k < d: u_k.. are zero, the closed-form Haar average over the
 * stabilizer U(d−k) / SU(d−k) (the reference zeroes the span's columns instead).
 */
import { meanSquare, selectionHolds } from '../linalg/qr';
import { markScale } from '../linalg/scale';
import { dot, scaleTo, zero } from '../linalg/vec';
import { conjTo, corthogonalize, cscale, capplyRows, cdet } from '../linalg/complex';

/** Flag bits of unitary_frames. */
export const UNITARY_SPECIAL: i32 = 1; // SU: det Q = 1

/** Bytes of scratch unitary_frames needs for dimension d. */
export function unitary_work(d: i32): i32 {
  return (8 * d * d + 2 * d + 4) * 8;
}

/**
 * Batched frames. Inputs in the batch layout of linalg_apply with rows of d complex
 * values (2d f64); for input i writes m[i·2d²..] (M = conj(Q), d×d complex row-major),
 * rank[i] (i32) and its rows of canonical (layout of x; must not overlap x); with the
 * ABI every family_frames shares, `shift` is not used (no translations), and
 * status[2i..2i+1] is left as the caller set it (every input has a frame) unless
 * the input's scale is out of range (linalg/scale.ts: then it is marked, to be made
 * again scaled); returns the number marked. tol is the relative rank tolerance
 * (residual² > tol²·mean |x_r|²). `work` holds unitary_work(d) bytes.
 *
 * As in ortho_frames, the rows are selected with a provisional threshold from the
 * first row, mapped, and the mean square is summed from cache after; the frame is
 * made again when the real threshold selects other rows.
 */
export function unitary_frames(
  x: usize, offsets: usize, count: i32, d: i32, flags: i32, tol: f64,
  work: usize, m: usize, shift: usize, rank: usize, status: usize, canonical: usize,
): i32 {
  const rowBytes = <usize>d << 4;
  const matBytes = <usize>d * rowBytes;
  const u = work;
  const q = u + matBytes;
  const qrot = q + matBytes;
  const scratch = qrot + matBytes; // cdet's copy
  const w = scratch + matBytes;
  const z = w + rowBytes;
  const bounds = z + 16;
  let marked = 0;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const rows = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    const xi = x + <usize>r0 * rowBytes;
    const ci = canonical + <usize>r0 * rowBytes;
    const mi = m + <usize>i * matBytes;
    const ri = rank + (<usize>i << 2);
    // a complex row's squared modulus is that of its 2d reals
    const first = rows == 0 ? 0 : dot(xi, xi, 2 * d);
    frameU(xi, rows, d, flags, tol * tol * first, bounds, u, q, qrot, scratch, w, z, mi, ri);
    capplyRows(xi, rows, d, q, qrot, ci);
    const s2 = meanSquare(xi, rows, 2 * d);
    marked += markScale(s2, flags, status, i, xi, rows, 2 * d, false);
    const thr2 = tol * tol * s2;
    if (!selectionHolds(bounds, thr2)) {
      frameU(xi, rows, d, flags, thr2, 0, u, q, qrot, scratch, w, z, mi, ri);
      capplyRows(xi, rows, d, q, qrot, ci);
    }
  }
  return marked;
}

/**
 * One input's frame for threshold thr2: rank to ri, M to mi, and Q and its rotation
 * rot(Q) (for capplyRows) to q and qrot; `bounds` as for selectBasis (or 0).
 */
function frameU(
  xi: usize, rows: i32, d: i32, flags: i32, thr2: f64, bounds: usize,
  u: usize, q: usize, qrot: usize, scratch: usize, w: usize, z: usize, mi: usize, ri: usize,
): void {
  const rowBytes = <usize>d << 4;
  const special = (flags & UNITARY_SPECIAL) != 0;
  zero(u, 2 * d * d);
  let k = 0;
  let taken = Infinity, passed = -Infinity;
  for (let r = 0; r < rows && k < d; r++) {
    conjTo(w, xi + <usize>r * rowBytes, d);
    const n2 = corthogonalize(u, k, w, d, 0, z);
    if (n2 > thr2) {
      scaleTo(u + <usize>k * rowBytes, 1.0 / sqrt<f64>(n2), w, 2 * d);
      k++;
      taken = min(taken, n2);
    } else {
      passed = max(passed, n2);
    }
  }
  if (bounds != 0) {
    store<f64>(bounds, taken);
    store<f64>(bounds + 8, passed);
  }
  store<i32>(ri, k);
  if (special && k == d - 1) {
    completeLast(u, d, w, z);
    // det is linear in the last row: dividing it by det Q makes det Q = 1
    cdet(u, d, scratch, z);
    const dr = load<f64>(z), di = load<f64>(z + 8);
    const s = dr * dr + di * di;
    const last = u + <usize>(d - 1) * rowBytes;
    cscale(last, dr / s, -di / s, last, d);
  } else if (special && k == d) {
    cdet(u, d, scratch, z);
    const dr = load<f64>(z), di = load<f64>(z + 8);
    // 1 / det^{1/d} on the principal branch: |det|^{-1/d}·e^{−iθ/d}, θ ∈ (−π, π]
    const inv = <f64>1 / <f64>d;
    const rho = Math.pow(Math.sqrt(dr * dr + di * di), -inv);
    const phi = -Math.atan2(di, dr) * inv;
    cscale(u, rho * Math.cos(phi), rho * Math.sin(phi), u, d * d);
  }
  // Q = Uᵀ (the rows u_j become columns); M = conj(Q)
  for (let a = 0; a < d; a++) {
    for (let j = 0; j < d; j++) {
      const src = u + <usize>j * rowBytes + (<usize>a << 4);
      const qa = <usize>a * rowBytes + (<usize>j << 4);
      const re = load<f64>(src), im = load<f64>(src + 8);
      store<f64>(q + qa, re);
      store<f64>(q + qa + 8, im);
      store<f64>(qrot + qa, -im);
      store<f64>(qrot + qa + 8, re);
      store<f64>(mi + qa, re);
      store<f64>(mi + qa + 8, -im);
    }
  }
}

/**
 * u_0..u_{d-2} orthonormal: set u_{d-1} to a unit vector orthogonal to them (its
 * phase is fixed afterwards by det Q = 1). e_j with the largest residual
 * (1 − Σ_i |u_i[j]|² >= 1/d) is orthogonalized; the result is unique up to phase.
 */
function completeLast(u: usize, d: i32, w: usize, z: usize): void {
  const rowBytes = <usize>d << 4;
  let best = -1.0;
  let jb = 0;
  for (let j = 0; j < d; j++) {
    let s: f64 = 1;
    for (let i = 0; i < d - 1; i++) {
      const e = u + <usize>i * rowBytes + (<usize>j << 4);
      const re = load<f64>(e), im = load<f64>(e + 8);
      s -= re * re + im * im;
    }
    if (s > best) { best = s; jb = j; }
  }
  zero(w, 2 * d);
  store<f64>(w + (<usize>jb << 4), 1.0);
  const n2 = corthogonalize(u, d - 1, w, d, 0, z);
  scaleTo(u + <usize>(d - 1) * rowBytes, 1.0 / sqrt<f64>(n2), w, 2 * d);
}
