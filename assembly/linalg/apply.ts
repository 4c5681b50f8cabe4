/**
 * Row-wise affine maps and row means over batches of point sets.
 *
 * Batch layout (shared by every batched kernel): `x` holds all rows of all inputs
 * back to back, each row `d` f64 values; `offsets` is an i32 array of count+1 row
 * indices, input i owning rows offsets[i] .. offsets[i+1]-1. An input may have zero rows.
 */
import { transposeTo, zero } from './vec';

/**
 * out_r = (x_r − pre_i) · M_i + post_i for every row r of every input i.
 *
 * M_i is d×d row-major at `m + i·mStride` (in f64 elements; mStride = 0 applies one
 * fixed matrix to every input, the benchmark floor). `pre`/`post` are d-vectors per
 * input at stride preStride/postStride elements, or 0 for none. `out` has the layout
 * of `x` and must not overlap it.
 *
 * SIMD: output columns are computed two at a time, y[j..j+1] += x[a]·M[a][j..j+1],
 * summed over a in order; an odd last column uses the scalar path with the same
 * order, so both builds give identical bits.
 */
export function linalg_apply(
  x: usize, offsets: usize, count: i32, d: i32,
  m: usize, mStride: i32, pre: usize, preStride: i32, post: usize, postStride: i32,
  out: usize, work: usize,
): void {
  applyBatch(x, offsets, count, d, m, mStride, pre, preStride, post, postStride, out, work, false);
}

/**
 * linalg_apply with the transposes: out_r = (x_r − pre_i) · M_iᵀ + post_i, M_i as
 * there (row-major: the frame matrices h with X = c·hᵀ + t, applied as stored).
 * Each M_i is transposed into `work` (d² f64) and applied as by linalg_apply (a
 * copy, so the bits are linalg_apply's on the transposed matrices); mStride = 0
 * transposes the one matrix once.
 */
export function linalg_apply_t(
  x: usize, offsets: usize, count: i32, d: i32,
  m: usize, mStride: i32, pre: usize, preStride: i32, post: usize, postStride: i32,
  out: usize, work: usize,
): void {
  applyBatch(x, offsets, count, d, m, mStride, pre, preStride, post, postStride, out, work, true);
}

/** linalg_apply (M_i) and linalg_apply_t (M_iᵀ, through work), `transpose` known when compiled. */
// @ts-ignore: decorator
@inline function applyBatch(
  x: usize, offsets: usize, count: i32, d: i32,
  m: usize, mStride: i32, pre: usize, preStride: i32, post: usize, postStride: i32,
  out: usize, work: usize, transpose: bool,
): void {
  const rowBytes = <usize>d << 3;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const r1 = load<i32>(offsets + (<usize>(i + 1) << 2));
    let mi = m + ((<usize>i * <usize>mStride) << 3);
    if (transpose) {
      if (i == 0 || mStride != 0) transposeTo(work, mi, d);
      mi = work;
    }
    const pi: usize = pre == 0 ? 0 : pre + ((<usize>i * <usize>preStride) << 3);
    const qi: usize = post == 0 ? 0 : post + ((<usize>i * <usize>postStride) << 3);
    applyRows(x + <usize>r0 * rowBytes, r1 - r0, d, mi, pi, qi, out + <usize>r0 * rowBytes, work);
  }
}

/**
 * The single-input body of linalg_apply: `rows` rows at x → out. `work` is not
 * used (kept for the callers' ABI): the centred value x_a − pre_a is formed where
 * it is used, which gives the same bits as centring the row first.
 *
 * Every path computes out[r][j] = (post_j or 0) + Σ_a (x_a − pre_a)·M[a][j], the
 * terms added in order a = 0, 1, …, so the bits do not depend on the path or build.
 */
// @ts-ignore: decorator
@inline export function applyRows(x: usize, rows: i32, d: i32, m: usize, pre: usize, post: usize, out: usize, work: usize): void {
  if (ASC_FEATURE_SIMD && d == 3) {
    applyRows3(x, rows, m, pre, post, out);
    return;
  }
  if (ASC_FEATURE_SIMD && d == 4) {
    applyRows4(x, rows, m, pre, post, out);
    return;
  }
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    applyColumnPairs(x, rows, d, m, pre, post, out);
    j = d & ~1;
  }
  // the scalar build, and the odd last column of the SIMD build
  const rowBytes = <usize>d << 3;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = out + <usize>r * rowBytes;
    for (let jj = j; jj < d; jj++) {
      let acc: f64 = post == 0 ? 0 : load<f64>(post + (<usize>jj << 3));
      let mp = m + (<usize>jj << 3);
      for (let a = 0; a < d; a++) {
        const o = <usize>a << 3;
        const xa = pre == 0 ? load<f64>(xr + o) : load<f64>(xr + o) - load<f64>(pre + o);
        acc += xa * load<f64>(mp);
        mp += rowBytes;
      }
      store<f64>(yr + (<usize>jj << 3), acc);
    }
  }
}

/**
 * SIMD applyRows for columns 0 .. 2·⌊d/2⌋−1 and any d: blocks of up to eight
 * columns (np <= 4 f64x2 accumulators per row), each a copy of `columnBlock` with
 * its width and whether there is a `pre` known when compiled, so that its loop
 * carries no tests of either.
 */
// @ts-ignore: decorator
@inline function applyColumnPairs(x: usize, rows: i32, d: i32, m: usize, pre: usize, post: usize, out: usize): void {
  let j0 = 0;
  for (; j0 + 8 <= d; j0 += 8) {
    if (pre == 0) columnBlock(x, rows, d, m, 0, post, out, j0, 4);
    else columnBlock(x, rows, d, m, pre, post, out, j0, 4);
  }
  const np = (d - j0) >> 1;
  if (pre == 0) {
    if (np == 3) columnBlock(x, rows, d, m, 0, post, out, j0, 3);
    else if (np == 2) columnBlock(x, rows, d, m, 0, post, out, j0, 2);
    else if (np == 1) columnBlock(x, rows, d, m, 0, post, out, j0, 1);
  } else {
    if (np == 3) columnBlock(x, rows, d, m, pre, post, out, j0, 3);
    else if (np == 2) columnBlock(x, rows, d, m, pre, post, out, j0, 2);
    else if (np == 1) columnBlock(x, rows, d, m, pre, post, out, j0, 1);
  }
}

/**
 * Columns j0 .. j0+2·np−1 of applyRows (np <= 4 column pairs, a constant at every
 * call). Several rows per iteration, so that each load of M[a][j..j+1] serves all
 * of them and their independent addition chains hide the latency: three while their
 * accumulators fit in registers (np <= 3), else two. Rows past the end repeat the
 * last row (computed and stored again, the same values). x_a is splat straight from
 * memory (one load; splat(x_a) − splat(pre_a) has the bits of x_a − pre_a); terms
 * are added in order a = 0, 1, ….
 */
// @ts-ignore: decorator
@inline function columnBlock(x: usize, rows: i32, d: i32, m: usize, pre: usize, post: usize, out: usize, j0: i32, np: i32): void {
  const rowBytes = <usize>d << 3;
  const z = f64x2.splat(0);
  const jb = <usize>j0 << 3;
  const p0 = post == 0 ? z : v128.load(post + jb);
  const p1 = post == 0 || np < 2 ? z : v128.load(post + jb + 16);
  const p2 = post == 0 || np < 3 ? z : v128.load(post + jb + 32);
  const p3 = post == 0 || np < 4 ? z : v128.load(post + jb + 48);
  const nr = np < 4 ? 3 : 2;
  for (let r = 0; r < rows; r += nr) {
    const xr = x + <usize>r * rowBytes;
    const xs = r + 1 < rows ? xr + rowBytes : xr;
    const xt = nr > 2 && r + 2 < rows ? xs + rowBytes : xs;
    let a0 = p0, a1 = p1, a2 = p2, a3 = p3;
    let b0 = p0, b1 = p1, b2 = p2, b3 = p3;
    let c0 = p0, c1 = p1, c2 = p2;
    let mp = m + jb;
    for (let a = 0; a < d; a++) {
      const o = <usize>a << 3;
      let su = v128.load64_splat(xr + o), sv = v128.load64_splat(xs + o);
      let sw = nr > 2 ? v128.load64_splat(xt + o) : z;
      if (pre != 0) {
        const t = v128.load64_splat(pre + o);
        su = f64x2.sub(su, t);
        sv = f64x2.sub(sv, t);
        if (nr > 2) sw = f64x2.sub(sw, t);
      }
      let mv = v128.load(mp);
      a0 = f64x2.add(a0, f64x2.mul(su, mv));
      b0 = f64x2.add(b0, f64x2.mul(sv, mv));
      if (nr > 2) c0 = f64x2.add(c0, f64x2.mul(sw, mv));
      if (np > 1) {
        mv = v128.load(mp + 16);
        a1 = f64x2.add(a1, f64x2.mul(su, mv));
        b1 = f64x2.add(b1, f64x2.mul(sv, mv));
        if (nr > 2) c1 = f64x2.add(c1, f64x2.mul(sw, mv));
      }
      if (np > 2) {
        mv = v128.load(mp + 32);
        a2 = f64x2.add(a2, f64x2.mul(su, mv));
        b2 = f64x2.add(b2, f64x2.mul(sv, mv));
        if (nr > 2) c2 = f64x2.add(c2, f64x2.mul(sw, mv));
      }
      if (np > 3) {
        mv = v128.load(mp + 48);
        a3 = f64x2.add(a3, f64x2.mul(su, mv));
        b3 = f64x2.add(b3, f64x2.mul(sv, mv));
      }
      mp += rowBytes;
    }
    const yr = out + <usize>r * rowBytes + jb;
    const ys = out + (xs - x) + jb;
    const yt = out + (xt - x) + jb;
    v128.store(yr, a0);
    v128.store(ys, b0);
    if (nr > 2) v128.store(yt, c0);
    if (np > 1) {
      v128.store(yr + 16, a1);
      v128.store(ys + 16, b1);
      if (nr > 2) v128.store(yt + 16, c1);
    }
    if (np > 2) {
      v128.store(yr + 32, a2);
      v128.store(ys + 32, b2);
      if (nr > 2) v128.store(yt + 32, c2);
    }
    if (np > 3) {
      v128.store(yr + 48, a3);
      v128.store(ys + 48, b3);
    }
  }
}

/**
 * applyRows for d = 3 with M held in registers: point clouds in 3-D are the common
 * case, and the general loop spends more on loop control and reloading M than on
 * arithmetic there. Same operation order as the general path (acc = post or 0,
 * then + x_a·M[a][j] for a = 0, 1, 2), so the bits do not depend on the path.
 */
// @ts-ignore: decorator
@inline function applyRows3(x: usize, rows: i32, m: usize, pre: usize, post: usize, out: usize): void {
  const m0 = v128.load(m), m1 = v128.load(m + 24), m2 = v128.load(m + 48);
  const m02 = load<f64>(m + 16), m12 = load<f64>(m + 40), m22 = load<f64>(m + 64);
  const p01 = post == 0 ? f64x2.splat(0) : v128.load(post);
  const p2: f64 = post == 0 ? 0 : load<f64>(post + 16);
  const t0: f64 = pre == 0 ? 0 : load<f64>(pre);
  const t1: f64 = pre == 0 ? 0 : load<f64>(pre + 8);
  const t2: f64 = pre == 0 ? 0 : load<f64>(pre + 16);
  const t0v = f64x2.splat(t0), t1v = f64x2.splat(t1), t2v = f64x2.splat(t2);
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * 24;
    // each value splat straight from memory; its lane 0 is the scalar
    let s0 = v128.load64_splat(x + o), s1 = v128.load64_splat(x + o + 8), s2 = v128.load64_splat(x + o + 16);
    if (pre != 0) {
      s0 = f64x2.sub(s0, t0v);
      s1 = f64x2.sub(s1, t1v);
      s2 = f64x2.sub(s2, t2v);
    }
    const x0 = f64x2.extract_lane(s0, 0), x1 = f64x2.extract_lane(s1, 0), x2 = f64x2.extract_lane(s2, 0);
    let acc = f64x2.add(p01, f64x2.mul(s0, m0));
    acc = f64x2.add(acc, f64x2.mul(s1, m1));
    acc = f64x2.add(acc, f64x2.mul(s2, m2));
    v128.store(out + o, acc);
    store<f64>(out + o + 16, p2 + x0 * m02 + x1 * m12 + x2 * m22);
  }
}

/**
 * applyRows for d = 4 with M held in registers (eight f64x2), for the same reason
 * as applyRows3: space-time events (the Lorentz groups) and O(4). Same operation
 * order as the general path: per column pair, acc = post or 0, then + x_a·M[a][j..j+1]
 * for a = 0..3.
 */
// @ts-ignore: decorator
@inline function applyRows4(x: usize, rows: i32, m: usize, pre: usize, post: usize, out: usize): void {
  const m00 = v128.load(m), m02 = v128.load(m + 16);
  const m10 = v128.load(m + 32), m12 = v128.load(m + 48);
  const m20 = v128.load(m + 64), m22 = v128.load(m + 80);
  const m30 = v128.load(m + 96), m32 = v128.load(m + 112);
  const p01 = post == 0 ? f64x2.splat(0) : v128.load(post);
  const p23 = post == 0 ? f64x2.splat(0) : v128.load(post + 16);
  const t01 = pre == 0 ? f64x2.splat(0) : v128.load(pre);
  const t23 = pre == 0 ? f64x2.splat(0) : v128.load(pre + 16);
  for (let r = 0; r < rows; r++) {
    const o = <usize>r << 5;
    let x01 = v128.load(x + o), x23 = v128.load(x + o + 16);
    if (pre != 0) {
      x01 = f64x2.sub(x01, t01);
      x23 = f64x2.sub(x23, t23);
    }
    const x0 = v128.shuffle<f64>(x01, x01, 0, 0), x1 = v128.shuffle<f64>(x01, x01, 1, 1);
    const x2 = v128.shuffle<f64>(x23, x23, 0, 0), x3 = v128.shuffle<f64>(x23, x23, 1, 1);
    let a = f64x2.add(p01, f64x2.mul(x0, m00));
    let b = f64x2.add(p23, f64x2.mul(x0, m02));
    a = f64x2.add(a, f64x2.mul(x1, m10));
    b = f64x2.add(b, f64x2.mul(x1, m12));
    a = f64x2.add(a, f64x2.mul(x2, m20));
    b = f64x2.add(b, f64x2.mul(x2, m22));
    a = f64x2.add(a, f64x2.mul(x3, m30));
    b = f64x2.add(b, f64x2.mul(x3, m32));
    v128.store(out + o, a);
    v128.store(out + o + 16, b);
  }
}

/**
 * out_i = mean of the rows of input i (d f64 per input; zero rows give 0),
 * computed as x_0 + mean(x_r − x_0) — see `centroid`.
 */
export function linalg_centroid(x: usize, offsets: usize, count: i32, d: i32, out: usize): void {
  const rowBytes = <usize>d << 3;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const r1 = load<i32>(offsets + (<usize>(i + 1) << 2));
    centroid(x + <usize>r0 * rowBytes, r1 - r0, d, out + <usize>i * rowBytes);
  }
}

/**
 * Mean of `rows` rows at x into t (d f64), accumulated relative to the first row
 * (x_0 + mean(x_r − x_0)) so that a far-off origin does not swamp the sums.
 * Returns Σ_r ‖x_r − x_0‖², a translation- and rotation-invariant scale that the
 * same pass gets for free.
 *
 * Order of operations (identical in every path and build): per column, odd and
 * even rows accumulate separately (two chains hide the addition latency) and are
 * added at the end; the squares of columns (2a, 2a+1) are summed pairwise, pairs in
 * order, then an odd last column.
 */
// @ts-ignore: decorator
@inline export function centroid(x: usize, rows: i32, d: i32, t: usize): f64 {
  const rowBytes = <usize>d << 3;
  if (rows == 0) {
    zero(t, d);
    return 0;
  }
  if (ASC_FEATURE_SIMD && d == 3) return centroid3(x, rows, t);
  const n = <f64>rows;
  let ss: f64 = 0;
  let a = 0;
  if (ASC_FEATURE_SIMD) {
    for (; a + 2 <= d; a += 2) {
      const o = <usize>a << 3;
      const x0 = v128.load(x + o);
      let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0), sq0 = f64x2.splat(0), sq1 = f64x2.splat(0);
      let r = 1;
      for (; r + 2 <= rows; r += 2) {
        const p = x + <usize>r * rowBytes + o;
        const v1 = f64x2.sub(v128.load(p), x0);
        const v0 = f64x2.sub(v128.load(p + rowBytes), x0);
        acc1 = f64x2.add(acc1, v1);
        sq1 = f64x2.add(sq1, f64x2.mul(v1, v1));
        acc0 = f64x2.add(acc0, v0);
        sq0 = f64x2.add(sq0, f64x2.mul(v0, v0));
      }
      if (r < rows) {
        const v1 = f64x2.sub(v128.load(x + <usize>r * rowBytes + o), x0);
        acc1 = f64x2.add(acc1, v1);
        sq1 = f64x2.add(sq1, f64x2.mul(v1, v1));
      }
      v128.store(t + o, f64x2.add(x0, f64x2.div(f64x2.add(acc0, acc1), f64x2.splat(n))));
      const sq = f64x2.add(sq0, sq1);
      ss += f64x2.extract_lane(sq, 0) + f64x2.extract_lane(sq, 1);
    }
  }
  // the scalar build handles column pairs here too, one column at a time; the
  // pairwise sum of their squares matches the SIMD lanes
  let pending: f64 = 0;
  for (; a < d; a++) {
    const o = <usize>a << 3;
    const x0 = load<f64>(x + o);
    let acc0: f64 = 0, acc1: f64 = 0, sq0: f64 = 0, sq1: f64 = 0;
    let r = 1;
    for (; r + 2 <= rows; r += 2) {
      const p = x + <usize>r * rowBytes + o;
      const v1 = load<f64>(p) - x0;
      const v0 = load<f64>(p + rowBytes) - x0;
      acc1 += v1;
      sq1 += v1 * v1;
      acc0 += v0;
      sq0 += v0 * v0;
    }
    if (r < rows) {
      const v1 = load<f64>(x + <usize>r * rowBytes + o) - x0;
      acc1 += v1;
      sq1 += v1 * v1;
    }
    store<f64>(t + o, x0 + (acc0 + acc1) / n);
    const sq = sq0 + sq1;
    if ((a & 1) == 0 && a + 1 < d) pending = sq;
    else if ((a & 1) == 1) ss += pending + sq;
    else ss += sq;
  }
  return ss;
}

/**
 * centroid for d = 3 in one pass, two rows (six values, three f64x2) per
 * iteration: lanes [x_r y_r] [z_r x_r+1] [y_r+1 z_r+1] against the first row in
 * the same pattern, so each load feeds whole vectors. The lanes are exactly the
 * per-column odd-row and even-row partial sums of the general path (rows r = 1, 3,
 * … odd; r + 1 even), combined in the same order at the end.
 */
// @ts-ignore: decorator
@inline function centroid3(x: usize, rows: i32, t: usize): f64 {
  const n = <f64>rows;
  const x01 = v128.load(x);
  const x2 = load<f64>(x + 16);
  const pA = x01; // [x0 y0]
  const pB = f64x2.replace_lane(f64x2.splat(x2), 1, f64x2.extract_lane(x01, 0)); // [z0 x0]
  const pC = v128.load(x + 8); // [y0 z0]
  let sA = f64x2.splat(0), sB = f64x2.splat(0), sC = f64x2.splat(0);
  let qA = f64x2.splat(0), qB = f64x2.splat(0), qC = f64x2.splat(0);
  let r = 1;
  // four rows per iteration (the same sums in the same order as two at a time), for
  // half the loop control
  for (; r + 4 <= rows; r += 4) {
    const p = x + <usize>r * 24;
    const vA = f64x2.sub(v128.load(p), pA);
    const vB = f64x2.sub(v128.load(p + 16), pB);
    const vC = f64x2.sub(v128.load(p + 32), pC);
    const wA = f64x2.sub(v128.load(p + 48), pA);
    const wB = f64x2.sub(v128.load(p + 64), pB);
    const wC = f64x2.sub(v128.load(p + 80), pC);
    sA = f64x2.add(f64x2.add(sA, vA), wA);
    qA = f64x2.add(f64x2.add(qA, f64x2.mul(vA, vA)), f64x2.mul(wA, wA));
    sB = f64x2.add(f64x2.add(sB, vB), wB);
    qB = f64x2.add(f64x2.add(qB, f64x2.mul(vB, vB)), f64x2.mul(wB, wB));
    sC = f64x2.add(f64x2.add(sC, vC), wC);
    qC = f64x2.add(f64x2.add(qC, f64x2.mul(vC, vC)), f64x2.mul(wC, wC));
  }
  for (; r + 2 <= rows; r += 2) {
    const p = x + <usize>r * 24;
    const vA = f64x2.sub(v128.load(p), pA);
    const vB = f64x2.sub(v128.load(p + 16), pB);
    const vC = f64x2.sub(v128.load(p + 32), pC);
    sA = f64x2.add(sA, vA);
    qA = f64x2.add(qA, f64x2.mul(vA, vA));
    sB = f64x2.add(sB, vB);
    qB = f64x2.add(qB, f64x2.mul(vB, vB));
    sC = f64x2.add(sC, vC);
    qC = f64x2.add(qC, f64x2.mul(vC, vC));
  }
  if (r < rows) {
    // a last odd row: x, y into A; z into lane 0 of B
    const p = x + <usize>r * 24;
    const vA = f64x2.sub(v128.load(p), pA);
    const vz = load<f64>(p + 16) - x2;
    sA = f64x2.add(sA, vA);
    qA = f64x2.add(qA, f64x2.mul(vA, vA));
    sB = f64x2.replace_lane(sB, 0, f64x2.extract_lane(sB, 0) + vz);
    qB = f64x2.replace_lane(qB, 0, f64x2.extract_lane(qB, 0) + vz * vz);
  }
  // even-row sums [x y] are lanes (B1, C0); odd-row [x y] are A; z: even C1, odd B0
  const e01 = v128.shuffle<f64>(sB, sC, 1, 2);
  v128.store(t, f64x2.add(x01, f64x2.div(f64x2.add(e01, sA), f64x2.splat(n))));
  store<f64>(t + 16, x2 + (f64x2.extract_lane(sC, 1) + f64x2.extract_lane(sB, 0)) / n);
  const s01 = f64x2.add(v128.shuffle<f64>(qB, qC, 1, 2), qA);
  let ss: f64 = 0;
  ss += f64x2.extract_lane(s01, 0) + f64x2.extract_lane(s01, 1);
  ss += f64x2.extract_lane(qC, 1) + f64x2.extract_lane(qB, 0);
  return ss;
}
