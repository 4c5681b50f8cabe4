/**
 * LU factorization with partial pivoting (Golub & Van Loan, Alg. 3.4.1) and what is
 * built on it: determinant, solve, inverse and the 1-norm condition number.
 */
import { copy, dot, zero } from './vec';

/**
 * Factor the d×d row-major matrix at `a` in place into P·A = L·U (unit L below
 * the diagonal, U on and above it). Pivot rows are written to piv[0..d-1] (i32).
 * Returns the permutation's sign (±1), or 0 when a pivot column is exactly zero
 * (the factorization then stops: the matrix is singular).
 */
export function luFactor(a: usize, d: i32, piv: usize): i32 {
  const rowBytes = <usize>d << 3;
  let sign = 1;
  for (let k = 0; k < d; k++) {
    let p = k;
    let best = abs<f64>(load<f64>(a + <usize>k * rowBytes + (<usize>k << 3)));
    for (let r = k + 1; r < d; r++) {
      const v = abs<f64>(load<f64>(a + <usize>r * rowBytes + (<usize>k << 3)));
      if (v > best) { best = v; p = r; }
    }
    store<i32>(piv + (<usize>k << 2), p);
    if (best == 0) return 0;
    if (p != k) {
      sign = -sign;
      const rk = a + <usize>k * rowBytes;
      const rp = a + <usize>p * rowBytes;
      for (let j = 0; j < d; j++) {
        const o = <usize>j << 3;
        const t = load<f64>(rk + o);
        store<f64>(rk + o, load<f64>(rp + o));
        store<f64>(rp + o, t);
      }
    }
    const rk = a + <usize>k * rowBytes;
    const pivot = load<f64>(rk + (<usize>k << 3));
    for (let r = k + 1; r < d; r++) {
      const rr = a + <usize>r * rowBytes;
      const l = load<f64>(rr + (<usize>k << 3)) / pivot;
      store<f64>(rr + (<usize>k << 3), l);
      for (let j = k + 1; j < d; j++) {
        const o = <usize>j << 3;
        store<f64>(rr + o, load<f64>(rr + o) - l * load<f64>(rk + o));
      }
    }
  }
  return sign;
}

/**
 * det of the d×d row-major matrix at `a`; `work` holds d² f64 + d i32 (a is not
 * modified). d <= 3 use the cofactor formulas: frames take a determinant per input,
 * and for small d the elimination's bookkeeping would dominate.
 */
export function det(a: usize, d: i32, work: usize): f64 {
  if (d == 1) return load<f64>(a);
  if (d == 2) return load<f64>(a) * load<f64>(a + 24) - load<f64>(a + 8) * load<f64>(a + 16);
  if (d == 3) {
    const a00 = load<f64>(a), a01 = load<f64>(a + 8), a02 = load<f64>(a + 16);
    const a10 = load<f64>(a + 24), a11 = load<f64>(a + 32), a12 = load<f64>(a + 40);
    const a20 = load<f64>(a + 48), a21 = load<f64>(a + 56), a22 = load<f64>(a + 64);
    return a00 * (a11 * a22 - a12 * a21) - a01 * (a10 * a22 - a12 * a20) + a02 * (a10 * a21 - a11 * a20);
  }
  const bytes = (<usize>d * <usize>d) << 3;
  copy(work, a, d * d);
  const sign = luFactor(work, d, work + bytes);
  if (sign == 0) return 0;
  let p: f64 = <f64>sign;
  const step = (<usize>d + 1) << 3;
  for (let k = 0; k < d; k++) p *= load<f64>(work + <usize>k * step);
  return p;
}

/**
 * |v|^{1/d} for a normal f64 v ≠ 0, exactly homogeneous: with |v| = m·2^e (m in
 * [1, 2)) and e = d·q + r (0 <= r < d), the root is (m·2^r)^{1/d}·2^q, so v·2^{d·k}
 * has exactly the root times 2^k (Math.pow(|v|, 1/d) rounds differently at each
 * scale, and frames are to scale exactly by powers of two).
 */
export function rootAbs(v: f64, d: i32): f64 {
  const bits = reinterpret<u64>(v);
  const e = <i32>((bits >> 52) & 0x7ff) - 1023;
  const q = e >= 0 ? e / d : -((d - 1 - e) / d); // ⌊e/d⌋
  const m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000) * pow2(e - q * d);
  return Math.pow(m, 1.0 / <f64>d) * pow2(q);
}

/** 2^k for −1022 <= k <= 1023. */
// @ts-ignore: decorator
@inline function pow2(k: i32): f64 {
  return reinterpret<f64>(<u64>(k + 1023) << 52);
}

/**
 * sign(det A)·|det A|^{1/d} from luFactor's output (`sign`: its return value, ±1),
 * through the pivots' logarithms: for large d their product over- or underflows
 * long before its d-th root, the geometric mean of the pivots, would.
 */
export function luRootDet(lu: usize, d: i32, sign: i32): f64 {
  const step = (<usize>d + 1) << 3;
  let logs: f64 = 0;
  let negative = sign < 0;
  for (let k = 0; k < d; k++) {
    const p = load<f64>(lu + <usize>k * step);
    logs += Math.log(abs<f64>(p));
    if (p < 0) negative = !negative;
  }
  const root = Math.exp(logs / <f64>d);
  return negative ? -root : root;
}

/** Batched determinant: out[i] = det of the i-th d×d matrix at a (count·d² f64). */
export function linalg_det(a: usize, count: i32, d: i32, work: usize, out: usize): void {
  const bytes = (<usize>d * <usize>d) << 3;
  for (let i = 0; i < count; i++) store<f64>(out + (<usize>i << 3), det(a + <usize>i * bytes, d, work));
}

/**
 * Solve A·z = b in place (b: d f64, overwritten by z) from luFactor's output: the
 * row swaps in order, then forward substitution with unit L and back substitution
 * with U, each as a dot product over a contiguous row segment (so it uses SIMD).
 * A must be non-singular (every U_kk ≠ 0).
 */
export function luSolve(lu: usize, piv: usize, d: i32, b: usize): void {
  const rowBytes = <usize>d << 3;
  for (let k = 0; k < d; k++) {
    const p = load<i32>(piv + (<usize>k << 2));
    if (p != k) {
      const t = load<f64>(b + (<usize>k << 3));
      store<f64>(b + (<usize>k << 3), load<f64>(b + (<usize>p << 3)));
      store<f64>(b + (<usize>p << 3), t);
    }
  }
  for (let i = 1; i < d; i++) {
    const o = <usize>i << 3;
    store<f64>(b + o, load<f64>(b + o) - dot(lu + <usize>i * rowBytes, b, i));
  }
  for (let i = d - 1; i >= 0; i--) {
    const o = <usize>i << 3;
    const ri = lu + <usize>i * rowBytes;
    const s = load<f64>(b + o) - dot(ri + o + 8, b + o + 8, d - 1 - i);
    store<f64>(b + o, s / load<f64>(ri + o));
  }
}

/**
 * A⁻¹ (d×d row-major, to `out`) from luFactor's output, one column e_j at a time
 * through luSolve; `col` is scratch for d f64.
 */
export function luInverse(lu: usize, piv: usize, d: i32, out: usize, col: usize): void {
  const rowBytes = <usize>d << 3;
  for (let j = 0; j < d; j++) {
    zero(col, d);
    store<f64>(col + (<usize>j << 3), 1.0);
    luSolve(lu, piv, d, col);
    for (let a = 0; a < d; a++) store<f64>(out + <usize>a * rowBytes + (<usize>j << 3), load<f64>(col + (<usize>a << 3)));
  }
}

/**
 * A⁻¹ for d <= 3 by the adjugate, A⁻¹ = adj(A)/det A, to `out` (d×d row-major);
 * returns det A (0: singular, `out` untouched). For these sizes the elimination's
 * pivoting and loop bookkeeping cost more than the arithmetic (as for `det`).
 */
export function inverseSmall(a: usize, d: i32, out: usize): f64 {
  if (d == 1) {
    const v = load<f64>(a);
    if (v != 0) store<f64>(out, 1.0 / v);
    return v;
  }
  if (d == 2) {
    const a00 = load<f64>(a), a01 = load<f64>(a + 8), a10 = load<f64>(a + 16), a11 = load<f64>(a + 24);
    const det = a00 * a11 - a01 * a10;
    if (det != 0) {
      const r = 1.0 / det;
      store<f64>(out, a11 * r);
      store<f64>(out + 8, -a01 * r);
      store<f64>(out + 16, -a10 * r);
      store<f64>(out + 24, a00 * r);
    }
    return det;
  }
  const a00 = load<f64>(a), a01 = load<f64>(a + 8), a02 = load<f64>(a + 16);
  const a10 = load<f64>(a + 24), a11 = load<f64>(a + 32), a12 = load<f64>(a + 40);
  const a20 = load<f64>(a + 48), a21 = load<f64>(a + 56), a22 = load<f64>(a + 64);
  const c00 = a11 * a22 - a12 * a21, c01 = a12 * a20 - a10 * a22, c02 = a10 * a21 - a11 * a20;
  const det = a00 * c00 + a01 * c01 + a02 * c02;
  if (det != 0) {
    // adj(A) is the transpose of the cofactor matrix; one division, nine products
    const r = 1.0 / det;
    store<f64>(out, c00 * r);
    store<f64>(out + 8, (a02 * a21 - a01 * a22) * r);
    store<f64>(out + 16, (a01 * a12 - a02 * a11) * r);
    store<f64>(out + 24, c01 * r);
    store<f64>(out + 32, (a00 * a22 - a02 * a20) * r);
    store<f64>(out + 40, (a02 * a10 - a00 * a12) * r);
    store<f64>(out + 48, c02 * r);
    store<f64>(out + 56, (a01 * a20 - a00 * a21) * r);
    store<f64>(out + 64, (a00 * a11 - a01 * a10) * r);
  }
  return det;
}

/**
 * ‖A‖₁ = max over columns of Σ_i |A_ij| (d×d row-major). Each column's sum runs
 * down the rows in order: the SIMD build sums column pairs as f64x2 lanes, the
 * scalar build (and the SIMD build's odd last column) one column at a time — the
 * same sums, so the bits agree.
 */
export function norm1(a: usize, d: i32): f64 {
  const rowBytes = <usize>d << 3;
  let best: f64 = 0;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 2 <= d; j += 2) {
      let s = f64x2.splat(0);
      for (let i = 0; i < d; i++) s = f64x2.add(s, f64x2.abs(v128.load(a + <usize>i * rowBytes + (<usize>j << 3))));
      const s0 = f64x2.extract_lane(s, 0), s1 = f64x2.extract_lane(s, 1);
      if (s0 > best) best = s0;
      if (s1 > best) best = s1;
    }
  }
  for (; j < d; j++) {
    let s: f64 = 0;
    for (let i = 0; i < d; i++) s += abs<f64>(load<f64>(a + <usize>i * rowBytes + (<usize>j << 3)));
    if (s > best) best = s;
  }
  return best;
}

/**
 * Batched inverse: for each of `count` d×d row-major matrices at a, its inverse
 * to out (same layout) and cond[i] = ‖A‖₁·‖A⁻¹‖₁ (exact, since the inverse is at
 * hand). A singular matrix (an exactly zero pivot column) gives NaN entries and
 * cond = Infinity. `work` holds d² + d f64 + d i32.
 */
export function linalg_inverse(a: usize, count: i32, d: i32, work: usize, out: usize, cond: usize): void {
  const bytes = (<usize>d * <usize>d) << 3;
  const col = work + bytes;
  const piv = col + (<usize>d << 3);
  for (let i = 0; i < count; i++) {
    const ai = a + <usize>i * bytes;
    const oi = out + <usize>i * bytes;
    copy(work, ai, d * d);
    if (luFactor(work, d, piv) == 0) {
      for (let j = 0; j < d * d; j++) store<f64>(oi + (<usize>j << 3), NaN);
      store<f64>(cond + (<usize>i << 3), Infinity);
      continue;
    }
    luInverse(work, piv, d, oi, col);
    store<f64>(cond + (<usize>i << 3), norm1(ai, d) * norm1(oi, d));
  }
}
