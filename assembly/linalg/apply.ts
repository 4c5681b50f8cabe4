/**
 * Row-wise affine maps and row means over batches of point sets.
 *
 * Batch layout (shared by every batched kernel): `x` holds all rows of all inputs
 * back to back, each row `d` f64 values; `offsets` is an i32 array of count+1 row
 * indices, input i owning rows offsets[i] .. offsets[i+1]-1. An input may have zero rows.
 */

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
  const rowBytes = <usize>d << 3;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const r1 = load<i32>(offsets + (<usize>(i + 1) << 2));
    const mi = m + ((<usize>i * <usize>mStride) << 3);
    const pi: usize = pre == 0 ? 0 : pre + ((<usize>i * <usize>preStride) << 3);
    const qi: usize = post == 0 ? 0 : post + ((<usize>i * <usize>postStride) << 3);
    applyRows(x + <usize>r0 * rowBytes, r1 - r0, d, mi, pi, qi, out + <usize>r0 * rowBytes, work);
  }
}

/**
 * The single-input body of linalg_apply: `rows` rows at x → out.
 * `work` holds d f64 (the centred row).
 */
// @ts-ignore: decorator
@inline export function applyRows(x: usize, rows: i32, d: i32, m: usize, pre: usize, post: usize, out: usize, work: usize): void {
  const rowBytes = <usize>d << 3;
  for (let r = 0; r < rows; r++) {
    let xr = x + <usize>r * rowBytes;
    const yr = out + <usize>r * rowBytes;
    if (pre != 0) {
      for (let a = 0; a < d; a++) {
        const o = <usize>a << 3;
        store<f64>(work + o, load<f64>(xr + o) - load<f64>(pre + o));
      }
      xr = work;
    }
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 2 <= d; j += 2) {
        let acc = post == 0 ? f64x2.splat(0) : v128.load(post + (<usize>j << 3));
        let mp = m + (<usize>j << 3);
        for (let a = 0; a < d; a++) {
          acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(xr + (<usize>a << 3))), v128.load(mp)));
          mp += rowBytes;
        }
        v128.store(yr + (<usize>j << 3), acc);
      }
    }
    for (; j < d; j++) {
      let acc: f64 = post == 0 ? 0 : load<f64>(post + (<usize>j << 3));
      let mp = m + (<usize>j << 3);
      for (let a = 0; a < d; a++) {
        acc += load<f64>(xr + (<usize>a << 3)) * load<f64>(mp);
        mp += rowBytes;
      }
      store<f64>(yr + (<usize>j << 3), acc);
    }
  }
}

/**
 * out_i = mean of the rows of input i (d f64 per input; zero rows give 0).
 * Rows are summed in order, left to right, in both builds.
 */
export function linalg_centroid(x: usize, offsets: usize, count: i32, d: i32, out: usize): void {
  const rowBytes = <usize>d << 3;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const r1 = load<i32>(offsets + (<usize>(i + 1) << 2));
    centroid(x + <usize>r0 * rowBytes, r1 - r0, d, out + <usize>i * rowBytes);
  }
}

/** Mean of `rows` rows at x into t (d f64). */
// @ts-ignore: decorator
@inline export function centroid(x: usize, rows: i32, d: i32, t: usize): void {
  const rowBytes = <usize>d << 3;
  memory.fill(t, 0, rowBytes);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    let a = 0;
    if (ASC_FEATURE_SIMD) {
      for (; a + 2 <= d; a += 2) {
        const o = <usize>a << 3;
        v128.store(t + o, f64x2.add(v128.load(t + o), v128.load(xr + o)));
      }
    }
    for (; a < d; a++) {
      const o = <usize>a << 3;
      store<f64>(t + o, load<f64>(t + o) + load<f64>(xr + o));
    }
  }
  if (rows > 0) {
    const n = <f64>rows;
    for (let a = 0; a < d; a++) {
      const o = <usize>a << 3;
      store<f64>(t + o, load<f64>(t + o) / n);
    }
  }
}
