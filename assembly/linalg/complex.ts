/**
 * Complex vectors and matrices: the kernels of U(d) and SU(d).
 *
 * Layout: a complex value is two f64, (re, im), interleaved; a complex d-vector is
 * 2d f64 and a complex row-major d×d matrix 2d² f64. One complex value fills one
 * v128, so the SIMD path computes both parts of a product at once:
 *   a·b = splat(a.re)·[b.re, b.im] + splat(a.im)·[−b.im, b.re].
 * The scalar path performs the same multiplications and additions in the same order
 * (negation is exact), so both builds give identical bits.
 */
import { dot, scaleTo, copy, zero } from './vec';

/** [−v.im, v.re] for v = [v.re, v.im]: multiplying by it multiplies by i·v. */
// @ts-ignore: decorator
@inline function rot(v: v128): v128 {
  return f64x2.mul(v128.shuffle<f64>(v, v, 1, 0), f64x2(-1.0, 1.0));
}

/**
 * z = Σ conj(a_i)·b_i, i < n (the Hermitian product, conjugate-linear in a), written
 * to z[0] (re) and z[1] (im). Four partial sums, in index order:
 *   re = Σ a.re·b.re + Σ a.im·b.im,  im = Σ a.re·b.im − Σ a.im·b.re.
 */
// @ts-ignore: decorator
@inline export function cdot(a: usize, b: usize, n: i32, z: usize): void {
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let p = f64x2.splat(0);
    let q = f64x2.splat(0);
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 4;
      const av = v128.load(a + o);
      const bv = v128.load(b + o);
      p = f64x2.add(p, f64x2.mul(av, bv));
      q = f64x2.add(q, f64x2.mul(av, v128.shuffle<f64>(bv, bv, 1, 0)));
    }
    s0 = f64x2.extract_lane(p, 0);
    s1 = f64x2.extract_lane(p, 1);
    s2 = f64x2.extract_lane(q, 0);
    s3 = f64x2.extract_lane(q, 1);
  } else {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 4;
      const ar = load<f64>(a + o), ai = load<f64>(a + o + 8);
      const br = load<f64>(b + o), bi = load<f64>(b + o + 8);
      s0 += ar * br;
      s1 += ai * bi;
      s2 += ar * bi;
      s3 += ai * br;
    }
  }
  store<f64>(z, s0 + s1);
  store<f64>(z + 8, s2 - s3);
}

/** y_i −= c·x_i, i < n (c = cr + i·ci). */
// @ts-ignore: decorator
@inline export function caxmy(y: usize, cr: f64, ci: f64, x: usize, n: i32): void {
  if (ASC_FEATURE_SIMD) {
    const vr = f64x2.splat(cr);
    const vi = f64x2.splat(ci);
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 4;
      const xv = v128.load(x + o);
      v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.add(f64x2.mul(vr, xv), f64x2.mul(vi, rot(xv)))));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 4;
      const xr = load<f64>(x + o), xi = load<f64>(x + o + 8);
      const tr = cr * xr + ci * -xi;
      const ti = cr * xi + ci * xr;
      store<f64>(y + o, load<f64>(y + o) - tr);
      store<f64>(y + o + 8, load<f64>(y + o + 8) - ti);
    }
  }
}

/** y_i = c·x_i, i < n (y may equal x). */
// @ts-ignore: decorator
@inline export function cscale(y: usize, cr: f64, ci: f64, x: usize, n: i32): void {
  if (ASC_FEATURE_SIMD) {
    const vr = f64x2.splat(cr);
    const vi = f64x2.splat(ci);
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 4;
      const xv = v128.load(x + o);
      v128.store(y + o, f64x2.add(f64x2.mul(vr, xv), f64x2.mul(vi, rot(xv))));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 4;
      const xr = load<f64>(x + o), xi = load<f64>(x + o + 8);
      store<f64>(y + o, cr * xr + ci * -xi);
      store<f64>(y + o + 8, cr * xi + ci * xr);
    }
  }
}

/** y_i = conj(x_i), i < n (y may equal x). */
// @ts-ignore: decorator
@inline export function conjTo(y: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 4;
    store<f64>(y + o, load<f64>(x + o));
    store<f64>(y + o + 8, -load<f64>(x + o + 8));
  }
}

/**
 * Orthogonalize the complex d-vector w against orthonormal u_0..u_{k-1} (rows of
 * 2d f64) in place: w −= ⟨u_i, w⟩·u_i, one modified Gram–Schmidt pass and a second
 * when the first removed more than three quarters of ‖w‖² (the criterion of qr.ts's
 * orthogonalize). Returns ‖w‖². If `rcol` != 0 the coefficients (passes summed)
 * are written to rcol[0..k-1] (complex). `z` is scratch for one complex value.
 */
// @ts-ignore: decorator
@inline export function corthogonalize(u: usize, k: i32, w: usize, d: i32, rcol: usize, z: usize): f64 {
  if (rcol != 0) zero(rcol, 2 * k);
  const before = dot(w, w, 2 * d);
  if (k == 0) return before;
  cproject(u, k, w, d, rcol, z);
  let n2 = dot(w, w, 2 * d);
  if (n2 < 0.25 * before) {
    cproject(u, k, w, d, rcol, z);
    n2 = dot(w, w, 2 * d);
  }
  return n2;
}

/** One complex MGS pass: w −= ⟨u_i, w⟩·u_i for i < k, adding the coefficients to rcol. */
// @ts-ignore: decorator
@inline function cproject(u: usize, k: i32, w: usize, d: i32, rcol: usize, z: usize): void {
  const rowBytes = <usize>d << 4;
  for (let i = 0; i < k; i++) {
    const ui = u + <usize>i * rowBytes;
    cdot(ui, w, d, z);
    const cr = load<f64>(z), ci = load<f64>(z + 8);
    caxmy(w, cr, ci, ui, d);
    if (rcol != 0) {
      const o = rcol + (<usize>i << 4);
      store<f64>(o, load<f64>(o) + cr);
      store<f64>(o + 8, load<f64>(o + 8) + ci);
    }
  }
}

/**
 * rot[a][j] = i·M[a][j] stored as [−im, re], for a d×d complex matrix: computed
 * once per matrix so that applying it to many rows needs no shuffles.
 */
function rotate(m: usize, d: i32, out: usize): void {
  const n = d * d;
  for (let e = 0; e < n; e++) {
    const o = <usize>e << 4;
    store<f64>(out + o, -load<f64>(m + o + 8));
    store<f64>(out + o + 8, load<f64>(m + o));
  }
}

/**
 * out_r = x_r·M for `rows` complex rows (d complex each): out_r[j] = Σ_a x_r[a]·M[a][j],
 * summed over a in order. `mrot` is rotate(M). out must not overlap x.
 */
// @ts-ignore: decorator
@inline export function capplyRows(x: usize, rows: i32, d: i32, m: usize, mrot: usize, out: usize): void {
  if (ASC_FEATURE_SIMD && d == 3) {
    capplyRows3(x, rows, m, mrot, out);
    return;
  }
  const rowBytes = <usize>d << 4;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = out + <usize>r * rowBytes;
    for (let j = 0; j < d; j++) {
      const oj = <usize>j << 4;
      if (ASC_FEATURE_SIMD) {
        let acc = f64x2.splat(0);
        for (let a = 0; a < d; a++) {
          const oa = <usize>a << 4;
          const e = <usize>a * rowBytes + oj;
          acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(xr + oa)), v128.load(m + e)));
          acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(xr + oa + 8)), v128.load(mrot + e)));
        }
        v128.store(yr + oj, acc);
      } else {
        let re: f64 = 0, im: f64 = 0;
        for (let a = 0; a < d; a++) {
          const oa = <usize>a << 4;
          const e = <usize>a * rowBytes + oj;
          const xre = load<f64>(xr + oa), xim = load<f64>(xr + oa + 8);
          re += xre * load<f64>(m + e);
          im += xre * load<f64>(m + e + 8);
          re += xim * load<f64>(mrot + e);
          im += xim * load<f64>(mrot + e + 8);
        }
        store<f64>(yr + oj, re);
        store<f64>(yr + oj + 8, im);
      }
    }
  }
}

/**
 * capplyRows for d = 3 with M and rot(M) held in registers (the U(3) case; as
 * applyRows3 in apply.ts, loop control and reloading M cost more than the arithmetic
 * otherwise). Same operation order as the general path: per output j, acc = 0, then
 * + x_a.re·M[a][j] and + x_a.im·rot[a][j] for a = 0, 1, 2.
 */
// @ts-ignore: decorator
@inline function capplyRows3(x: usize, rows: i32, m: usize, mrot: usize, out: usize): void {
  const m00 = v128.load(m), m01 = v128.load(m + 16), m02 = v128.load(m + 32);
  const m10 = v128.load(m + 48), m11 = v128.load(m + 64), m12 = v128.load(m + 80);
  const m20 = v128.load(m + 96), m21 = v128.load(m + 112), m22 = v128.load(m + 128);
  const r00 = v128.load(mrot), r01 = v128.load(mrot + 16), r02 = v128.load(mrot + 32);
  const r10 = v128.load(mrot + 48), r11 = v128.load(mrot + 64), r12 = v128.load(mrot + 80);
  const r20 = v128.load(mrot + 96), r21 = v128.load(mrot + 112), r22 = v128.load(mrot + 128);
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * 48;
    const x0 = v128.load(x + o), x1 = v128.load(x + o + 16), x2 = v128.load(x + o + 32);
    const a0 = v128.shuffle<f64>(x0, x0, 0, 0), b0 = v128.shuffle<f64>(x0, x0, 1, 1);
    const a1 = v128.shuffle<f64>(x1, x1, 0, 0), b1 = v128.shuffle<f64>(x1, x1, 1, 1);
    const a2 = v128.shuffle<f64>(x2, x2, 0, 0), b2 = v128.shuffle<f64>(x2, x2, 1, 1);
    const z0 = f64x2.splat(0);
    let y0 = f64x2.add(f64x2.add(z0, f64x2.mul(a0, m00)), f64x2.mul(b0, r00));
    let y1 = f64x2.add(f64x2.add(z0, f64x2.mul(a0, m01)), f64x2.mul(b0, r01));
    let y2 = f64x2.add(f64x2.add(z0, f64x2.mul(a0, m02)), f64x2.mul(b0, r02));
    y0 = f64x2.add(f64x2.add(y0, f64x2.mul(a1, m10)), f64x2.mul(b1, r10));
    y1 = f64x2.add(f64x2.add(y1, f64x2.mul(a1, m11)), f64x2.mul(b1, r11));
    y2 = f64x2.add(f64x2.add(y2, f64x2.mul(a1, m12)), f64x2.mul(b1, r12));
    y0 = f64x2.add(f64x2.add(y0, f64x2.mul(a2, m20)), f64x2.mul(b2, r20));
    y1 = f64x2.add(f64x2.add(y1, f64x2.mul(a2, m21)), f64x2.mul(b2, r21));
    y2 = f64x2.add(f64x2.add(y2, f64x2.mul(a2, m22)), f64x2.mul(b2, r22));
    v128.store(out + o, y0);
    v128.store(out + o + 16, y1);
    v128.store(out + o + 32, y2);
  }
}

/**
 * Batched complex row map: out_r = x_r·M_i for every row r of every input i (batch
 * layout of linalg_apply, rows of d complex values). M_i is d×d complex row-major at
 * `m + i·mStride` (in complex elements; mStride = 0 applies one fixed matrix to every
 * input, the U(d) benchmark floor). out must not overlap x. `work` holds 2d² f64.
 */
export function cplx_apply(x: usize, offsets: usize, count: i32, d: i32, m: usize, mStride: i32, out: usize, work: usize): void {
  capplyBatch(x, offsets, count, d, m, mStride, out, work, false);
}

/**
 * cplx_apply with the transposes (not conjugated): out_r = x_r·M_iᵀ, M_i as there
 * (the frame matrices h with X = c·hᵀ, applied as stored). Each M_i is transposed
 * into `work` (a copy, so the bits are cplx_apply's on the transposed matrices);
 * `work` holds 4d² f64.
 */
export function cplx_apply_t(x: usize, offsets: usize, count: i32, d: i32, m: usize, mStride: i32, out: usize, work: usize): void {
  capplyBatch(x, offsets, count, d, m, mStride, out, work, true);
}

/** cplx_apply (M_i) and cplx_apply_t (M_iᵀ, to work, rot after it), `transpose` known when compiled. */
// @ts-ignore: decorator
@inline function capplyBatch(x: usize, offsets: usize, count: i32, d: i32, m: usize, mStride: i32, out: usize, work: usize, transpose: bool): void {
  const rowBytes = <usize>d << 4;
  const mrot = transpose ? work + ((<usize>d * <usize>d) << 4) : work;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const r1 = load<i32>(offsets + (<usize>(i + 1) << 2));
    let mi = m + ((<usize>i * <usize>mStride) << 4);
    if (transpose) {
      if (i == 0 || mStride != 0) ctransposeTo(work, mi, d);
      mi = work;
    }
    if (i == 0 || mStride != 0) rotate(mi, d, mrot);
    capplyRows(x + <usize>r0 * rowBytes, r1 - r0, d, mi, mrot, out + <usize>r0 * rowBytes);
  }
}

/** dst = srcᵀ (not conjugated) for d×d complex row-major matrices that do not overlap: a copy, one v128 per value. */
// @ts-ignore: decorator
@inline function ctransposeTo(dst: usize, src: usize, d: i32): void {
  const rowBytes = <usize>d << 4;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      const s = src + <usize>a * rowBytes + (<usize>b << 4);
      const t = dst + <usize>b * rowBytes + (<usize>a << 4);
      if (ASC_FEATURE_SIMD) v128.store(t, v128.load(s));
      else {
        store<f64>(t, load<f64>(s));
        store<f64>(t + 8, load<f64>(s + 8));
      }
    }
  }
}

/**
 * Complex Gram matrices: for input i with n_i rows, G_rs = ⟨x_s, x_r⟩ = Σ_a x_r[a]·conj(x_s[a])
 * (n_i×n_i complex, row-major; inputs back to back, input i starting at Σ_{j<i} n_j²
 * complex values). G is Hermitian by construction (G_sr = conj(G_rs)).
 */
export function cplx_gram(x: usize, offsets: usize, count: i32, d: i32, out: usize): void {
  const rowBytes = <usize>d << 4;
  let o = out;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const n = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    const xi = x + <usize>r0 * rowBytes;
    const nb = <usize>n << 4;
    for (let r = 0; r < n; r++) {
      for (let s = r; s < n; s++) {
        const rs = o + <usize>r * nb + (<usize>s << 4);
        const sr = o + <usize>s * nb + (<usize>r << 4);
        cdot(xi + <usize>s * rowBytes, xi + <usize>r * rowBytes, d, rs);
        if (s == r) continue; // the diagonal is real: its two imaginary partial sums cancel exactly
        store<f64>(sr, load<f64>(rs));
        store<f64>(sr + 8, -load<f64>(rs + 8));
      }
    }
    o += <usize>n * nb;
  }
}

/**
 * Batched complex thin QR of k row vectors in C^d (k <= d), as linalg_qr: a (k×d) =
 * Rᵀ·U with U's rows orthonormal (Hermitian product) and R (k×k, complex, upper
 * triangular) with a real non-negative diagonal, R_ij = ⟨u_i, a_j⟩; a row dependent
 * on the previous ones gives R_jj = 0 and a zero row of U. `work` holds 2 f64.
 */
export function cplx_qr(a: usize, count: i32, k: i32, d: i32, work: usize, u: usize, r: usize): void {
  const rowBytes = <usize>d << 4;
  const kk = <usize>k * <usize>k;
  for (let i = 0; i < count; i++) {
    const ai = a + <usize>i * <usize>k * rowBytes;
    const ui = u + <usize>i * <usize>k * rowBytes;
    const ri = r + ((<usize>i * kk) << 4);
    zero(ri, 2 * <i32>kk);
    for (let j = 0; j < k; j++) {
      const w = ui + <usize>j * rowBytes;
      copy(w, ai + <usize>j * rowBytes, 2 * d);
      const col = ri + ((<usize>j * <usize>k) << 4); // row j of Rᵀ, transposed below
      const nrm = sqrt<f64>(corthogonalize(ui, j, w, d, col, work));
      store<f64>(col + (<usize>j << 4), nrm);
      if (nrm > 0) scaleTo(w, 1.0 / nrm, w, 2 * d);
      else zero(w, 2 * d);
    }
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const pq = ri + ((<usize>p * <usize>k + <usize>q) << 4);
        const qp = ri + ((<usize>q * <usize>k + <usize>p) << 4);
        const tr = load<f64>(pq), ti = load<f64>(pq + 8);
        store<f64>(pq, load<f64>(qp));
        store<f64>(pq + 8, load<f64>(qp + 8));
        store<f64>(qp, tr);
        store<f64>(qp + 8, ti);
      }
    }
  }
}

/**
 * det of the d×d complex matrix at a, to z (complex): LU with partial pivoting
 * (largest |re| + |im| in the column), Golub & Van Loan Alg. 3.4.1 over C. `work`
 * holds 2d² f64 (a is not modified). A zero pivot column gives det = 0.
 */
export function cdet(a: usize, d: i32, work: usize, z: usize): void {
  const rowBytes = <usize>d << 4;
  copy(work, a, 2 * d * d);
  let pr: f64 = 1, pi: f64 = 0;
  for (let k = 0; k < d; k++) {
    const ok = <usize>k << 4;
    let p = k;
    let best: f64 = -1;
    for (let r = k; r < d; r++) {
      const e = work + <usize>r * rowBytes + ok;
      const v = abs<f64>(load<f64>(e)) + abs<f64>(load<f64>(e + 8));
      if (v > best) { best = v; p = r; }
    }
    if (best == 0) {
      store<f64>(z, 0);
      store<f64>(z + 8, 0);
      return;
    }
    const rk = work + <usize>k * rowBytes;
    if (p != k) {
      const rp = work + <usize>p * rowBytes;
      for (let j = 0; j < 2 * d; j++) {
        const o = <usize>j << 3;
        const t = load<f64>(rk + o);
        store<f64>(rk + o, load<f64>(rp + o));
        store<f64>(rp + o, t);
      }
      pr = -pr;
      pi = -pi;
    }
    const vr = load<f64>(rk + ok), vi = load<f64>(rk + ok + 8);
    const nr = pr * vr - pi * vi;
    pi = pr * vi + pi * vr;
    pr = nr;
    const den = vr * vr + vi * vi;
    for (let r = k + 1; r < d; r++) {
      const rr = work + <usize>r * rowBytes;
      const er = load<f64>(rr + ok), ei = load<f64>(rr + ok + 8);
      // l = a_rk / pivot
      const lr = (er * vr + ei * vi) / den;
      const li = (ei * vr - er * vi) / den;
      caxmy(rr + ok + 16, lr, li, rk + ok + 16, d - k - 1);
    }
  }
  store<f64>(z, pr);
  store<f64>(z + 8, pi);
}
