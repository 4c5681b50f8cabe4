/**
 * Random elements of the Lorentz, unitary and linear groups for property tests, as
 * row-major d×d matrices g acting on rows by x ↦ x·gᵀ (complex matrices interleaved
 * (re, im); see actComplexRows). Plain TypeScript, sharing no code with the kernels.
 */
import { determinant, haarOrthogonal } from './haar.js';

/** The diagonal of the Minkowski metric η = diag(1, −1, …, −1). */
export function minkowskiDiagonal(d: number): Float64Array {
  const e = new Float64Array(d).fill(-1);
  e[0] = 1;
  return e;
}

function matmul(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) for (let j = 0; j < d; j++) c[i * d + j] += a[i * d + k] * b[k * d + j];
  return c;
}

/** The pure boost of rapidity φ along the unit spatial direction n (length d−1). */
export function boost(phi: number, n: ArrayLike<number>, d: number): Float64Array {
  const g = new Float64Array(d * d);
  const ch = Math.cosh(phi), sh = Math.sinh(phi);
  g[0] = ch;
  for (let i = 1; i < d; i++) {
    g[i] = sh * n[i - 1];
    g[i * d] = sh * n[i - 1];
    for (let j = 1; j < d; j++) g[i * d + j] = (i === j ? 1 : 0) + (ch - 1) * n[i - 1] * n[j - 1];
  }
  return g;
}

/**
 * A random element of O(1,d−1) (special: SO(1,d−1), det +1): a boost of rapidity
 * uniform in (−maxRapidity, maxRapidity) along a random direction, composed with a
 * Haar rotation of space, and with time reversal diag(−1, 1, …) and parity
 * diag(1, −1, 1, …) each with probability 1/2 (for SO, a parity fixes det = +1).
 */
export function lorentzElement(normal: () => number, u: () => number, d: number, options: { special?: boolean; maxRapidity?: number } = {}): Float64Array {
  const n = Array.from({ length: d - 1 }, normal);
  const len = Math.hypot(...n);
  const phi = (2 * u() - 1) * (options.maxRapidity ?? 1.5);
  const rot = new Float64Array(d * d);
  rot[0] = 1;
  const r = haarOrthogonal(normal, d - 1);
  for (let i = 1; i < d; i++) for (let j = 1; j < d; j++) rot[i * d + j] = r[(i - 1) * (d - 1) + j - 1];
  const g = matmul(boost(phi, n.map((v) => v / len), d), rot, d);
  const flip = (col: number) => { for (let i = 0; i < d; i++) g[i * d + col] *= -1; };
  if (u() < 0.5) flip(0); // time reversal
  if (u() < 0.5) flip(1); // parity
  if (options.special && determinant(g, d) < 0) flip(1);
  return g;
}

/** Product of complex d×d matrices (interleaved). */
export function complexMatmul(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const c = new Float64Array(2 * d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const ar = a[2 * (i * d + k)], ai = a[2 * (i * d + k) + 1];
      for (let j = 0; j < d; j++) {
        const br = b[2 * (k * d + j)], bi = b[2 * (k * d + j) + 1];
        c[2 * (i * d + j)] += ar * br - ai * bi;
        c[2 * (i * d + j) + 1] += ar * bi + ai * br;
      }
    }
  }
  return c;
}

/** det of a complex d×d matrix (Gaussian elimination, partial pivoting), as [re, im]. */
export function complexDeterminant(a: Float64Array, d: number): [number, number] {
  const m = a.slice();
  let dr = 1, di = 0;
  for (let k = 0; k < d; k++) {
    let p = k;
    const mag = (r: number) => Math.hypot(m[2 * (r * d + k)], m[2 * (r * d + k) + 1]);
    for (let r = k + 1; r < d; r++) if (mag(r) > mag(p)) p = r;
    if (mag(p) === 0) return [0, 0];
    if (p !== k) {
      for (let j = 0; j < 2 * d; j++) [m[2 * k * d + j], m[2 * p * d + j]] = [m[2 * p * d + j], m[2 * k * d + j]];
      dr = -dr; di = -di;
    }
    const vr = m[2 * (k * d + k)], vi = m[2 * (k * d + k) + 1];
    [dr, di] = [dr * vr - di * vi, dr * vi + di * vr];
    const den = vr * vr + vi * vi;
    for (let r = k + 1; r < d; r++) {
      const er = m[2 * (r * d + k)], ei = m[2 * (r * d + k) + 1];
      const lr = (er * vr + ei * vi) / den, li = (ei * vr - er * vi) / den;
      for (let j = k; j < d; j++) {
        const xr = m[2 * (k * d + j)], xi = m[2 * (k * d + j) + 1];
        m[2 * (r * d + j)] -= lr * xr - li * xi;
        m[2 * (r * d + j) + 1] -= lr * xi + li * xr;
      }
    }
  }
  return [dr, di];
}

/**
 * Haar-random U(d): Gram–Schmidt (twice) on the columns of a complex Gaussian
 * matrix, which is its QR with R's diagonal real positive — the phase fix that makes
 * the distribution Haar (Mezzadri 2007).
 */
export function haarUnitary(normal: () => number, d: number): Float64Array {
  const q = new Float64Array(2 * d * d);
  for (let j = 0; j < d; j++) {
    const v = Array.from({ length: 2 * d }, normal);
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        // c = ⟨q_k, v⟩ = Σ conj(q_ik)·v_i
        let cr = 0, ci = 0;
        for (let i = 0; i < d; i++) {
          const qr = q[2 * (i * d + k)], qi = q[2 * (i * d + k) + 1];
          cr += qr * v[2 * i] + qi * v[2 * i + 1];
          ci += qr * v[2 * i + 1] - qi * v[2 * i];
        }
        for (let i = 0; i < d; i++) {
          const qr = q[2 * (i * d + k)], qi = q[2 * (i * d + k) + 1];
          v[2 * i] -= cr * qr - ci * qi;
          v[2 * i + 1] -= cr * qi + ci * qr;
        }
      }
    }
    const nrm = Math.hypot(...v);
    for (let i = 0; i < d; i++) {
      q[2 * (i * d + j)] = v[2 * i] / nrm;
      q[2 * (i * d + j) + 1] = v[2 * i + 1] / nrm;
    }
  }
  return q;
}

/** Haar-random SU(d): a Haar U(d) element divided by a d-th root of its determinant. */
export function haarSpecialUnitary(normal: () => number, d: number): Float64Array {
  const q = haarUnitary(normal, d);
  const [dr, di] = complexDeterminant(q, d);
  const rho = Math.hypot(dr, di) ** (-1 / d);
  const phi = -Math.atan2(di, dr) / d;
  const cr = rho * Math.cos(phi), ci = rho * Math.sin(phi);
  for (let e = 0; e < q.length; e += 2) [q[e], q[e + 1]] = [cr * q[e] - ci * q[e + 1], cr * q[e + 1] + ci * q[e]];
  return q;
}

/**
 * A random element of GL(d) with condition number at most `cond`: U·diag(s)·Vᵀ with
 * U, V Haar in O(d) (so either sign of det) and log s uniform in ±log(cond)/2.
 */
export function generalLinear(normal: () => number, u: () => number, d: number, cond = 10): Float64Array {
  const a = haarOrthogonal(normal, d);
  const v = haarOrthogonal(normal, d);
  const half = Math.log(cond) / 2;
  const s = Array.from({ length: d }, () => Math.exp((2 * u() - 1) * half));
  const g = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) g[i * d + j] += a[i * d + k] * s[k] * v[j * d + k];
  return g;
}

/** A random element of SL(d) (det = +1) with condition number at most `cond`. */
export function specialLinear(normal: () => number, u: () => number, d: number, cond = 10): Float64Array {
  const g = generalLinear(normal, u, d, cond);
  const det = determinant(g, d);
  const c = Math.abs(det) ** (-1 / d);
  for (let e = 0; e < g.length; e++) g[e] *= c;
  if (det < 0) for (let i = 0; i < d; i++) g[i * d] = -g[i * d];
  return g;
}

/** A random affine map x ↦ g·x + t of Aff(d): g as generalLinear, t standard normal. */
export function affineElement(normal: () => number, u: () => number, d: number, cond = 10): { g: Float64Array; t: Float64Array } {
  return { g: generalLinear(normal, u, d, cond), t: Float64Array.from({ length: d }, normal) };
}
