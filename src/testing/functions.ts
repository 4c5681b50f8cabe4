/**
 * The reference vectors' test functions (test/fixtures/mfa-reference.json,
 * `functions`), as models on one input: non-linear and applied row by row, so
 * they are neither equivariant nor invariant by themselves.
 */
export type TestFunction = (x: Float64Array, shape: { n: number; d: number }) => Float64Array;

export const testFunctions: Record<string, TestFunction> = {
  /** sin(x) − x_i/max(‖x_i‖, 1e-12) for each row x_i. */
  sine: (x, { n, d }) => {
    const y = new Float64Array(x.length);
    for (let r = 0; r < n; r++) {
      let nrm = 0;
      for (let a = 0; a < d; a++) nrm += x[r * d + a] ** 2;
      const s = Math.max(Math.sqrt(nrm), 1e-12);
      for (let a = 0; a < d; a++) y[r * d + a] = Math.sin(x[r * d + a]) - x[r * d + a] / s;
    }
    return y;
  },
  /** x + max(x, 0), entrywise. */
  relu: (x) => x.map((v) => v + Math.max(v, 0)),
  /** Complex, interleaved (re, im): z·|z| + Re(z), entrywise. */
  cmix: (x) => {
    const y = new Float64Array(x.length);
    for (let e = 0; e < x.length; e += 2) {
      const m = Math.hypot(x[e], x[e + 1]);
      y[e] = x[e] * m + x[e];
      y[e + 1] = x[e + 1] * m;
    }
    return y;
  },
};
