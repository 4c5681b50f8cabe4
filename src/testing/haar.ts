/**
 * Random group elements for property tests, as row-major d×d matrices g acting on
 * rows by x ↦ x·gᵀ (so g·X = X·gᵀ). Written in plain TypeScript on purpose: the
 * samplers must not share code with the kernels they test.
 */
import { gaussianMatrix } from './random.js';
import { optionRangeError } from '../errors.js';

/**
 * Haar-random O(d): QR of a Gaussian matrix with R's diagonal made positive
 * (Mezzadri, "How to generate random matrices from the classical compact groups", 2007).
 */
export function haarOrthogonal(normal: () => number, d: number): Float64Array {
  const a = gaussianMatrix(normal, d, d);
  // Gram–Schmidt on the columns of a, twice, gives Q with positive diag(R)
  const q = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const v = new Float64Array(d);
    for (let i = 0; i < d; i++) v[i] = a[i * d + j];
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let c = 0;
        for (let i = 0; i < d; i++) c += q[i * d + k] * v[i];
        for (let i = 0; i < d; i++) v[i] -= c * q[i * d + k];
      }
    }
    const nrm = Math.hypot(...v);
    for (let i = 0; i < d; i++) q[i * d + j] = v[i] / nrm;
  }
  return q;
}

/** Haar-random SO(d): a Haar O(d) element with one column negated when det < 0. */
export function haarSpecialOrthogonal(normal: () => number, d: number): Float64Array {
  const q = haarOrthogonal(normal, d);
  if (determinant(q, d) < 0) for (let i = 0; i < d; i++) q[i * d] = -q[i * d];
  return q;
}

/**
 * An n×d point set with singular values exactly s (d = s.length): X = U·diag(s)·Wᵀ
 * with U's orthonormal columns from Gram–Schmidt (twice) on a Gaussian n×d matrix
 * and W Haar-random O(d). Repeated and zero values in s give the degenerate inputs
 * frame methods must handle.
 */
export function withSingularValues(normal: () => number, n: number, s: readonly number[]): Float64Array {
  const d = s.length;
  const u = gaussianMatrix(normal, n, d);
  for (let j = 0; j < d; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let c = 0;
        for (let r = 0; r < n; r++) c += u[r * d + k] * u[r * d + j];
        for (let r = 0; r < n; r++) u[r * d + j] -= c * u[r * d + k];
      }
    }
    let nrm = 0;
    for (let r = 0; r < n; r++) nrm += u[r * d + j] ** 2;
    for (let r = 0; r < n; r++) u[r * d + j] /= Math.sqrt(nrm);
  }
  const w = haarOrthogonal(normal, d);
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let b = 0; b < d; b++) for (let j = 0; j < d; j++) x[r * d + b] += u[r * d + j] * s[j] * w[b * d + j];
  return x;
}

/**
 * A uniformly random permutation of 0..n-1 (Fisher–Yates). `u` draws uniformly from
 * [0, 1), as rng(seed) does; a generator of other values (gaussian(…)) is refused,
 * since it would repeat indices.
 */
export function randomPermutation(u: () => number, n: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const r = u();
    if (!(r >= 0 && r < 1)) throw optionRangeError(`randomPermutation needs a generator of uniform numbers in [0, 1) such as rng(seed), got ${r}`);
    const j = Math.floor(r * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Determinant by Gaussian elimination with partial pivoting (a is not modified). */
export function determinant(a: Float64Array, d: number): number {
  const m = a.slice();
  let det = 1;
  for (let k = 0; k < d; k++) {
    let p = k;
    for (let r = k + 1; r < d; r++) if (Math.abs(m[r * d + k]) > Math.abs(m[p * d + k])) p = r;
    if (m[p * d + k] === 0) return 0;
    if (p !== k) {
      for (let j = 0; j < d; j++) [m[k * d + j], m[p * d + j]] = [m[p * d + j], m[k * d + j]];
      det = -det;
    }
    det *= m[k * d + k];
    for (let r = k + 1; r < d; r++) {
      const l = m[r * d + k] / m[k * d + k];
      for (let j = k; j < d; j++) m[r * d + j] -= l * m[k * d + j];
    }
  }
  return det;
}
