/**
 * Acting on point sets and measuring equivariance error, for property tests and
 * the demo job.
 */

/** g·X + t for rows: x ↦ x·gᵀ + t (t optional), n×d row-major. */
export function actRows(g: Float64Array, x: Float64Array, n: number, d: number, t?: Float64Array): Float64Array {
  const y = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      let s = t ? t[i] : 0;
      for (let a = 0; a < d; a++) s += g[i * d + a] * x[r * d + a];
      y[r * d + i] = s;
    }
  }
  return y;
}

/** Rows permuted: row r of the result is row p[r] of x. */
export function permuteRows(p: Int32Array, x: Float64Array, d: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let r = 0; r < p.length; r++) y.set(x.subarray(p[r] * d, p[r] * d + d), r * d);
  return y;
}

/** ‖a − b‖ / max(‖b‖, 1): the relative error the property tests bound. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1);
}

/** g·X for complex rows (interleaved): x ↦ x·gᵀ, i.e. (X·gᵀ)_rj = Σ_a g_ja·x_ra. */
export function actComplexRows(g: Float64Array, x: Float64Array, n: number, d: number): Float64Array {
  const y = new Float64Array(2 * n * d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      let re = 0, im = 0;
      for (let a = 0; a < d; a++) {
        const gr = g[2 * (j * d + a)], gi = g[2 * (j * d + a) + 1];
        const xr = x[2 * (r * d + a)], xi = x[2 * (r * d + a) + 1];
        re += gr * xr - gi * xi;
        im += gr * xi + gi * xr;
      }
      y[2 * (r * d + j)] = re;
      y[2 * (r * d + j) + 1] = im;
    }
  }
  return y;
}
