/**
 * The kernels of the Lorentz, unitary and linear groups against plain TypeScript
 * references, over sizes that cross the SIMD width (d = 1..9) and batch edges
 * (empty inputs, one row); the SIMD and scalar builds agree bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { withArena } from '../src/wasm/module.js';
import { both, close, dims, raggedRows } from './helpers/kernels.js';
import { gaussian, gaussianMatrix, rng } from '../src/testing/random.js';
import { complexMatmul } from '../src/testing/groups.js';

const normal = gaussian(rng(4242));
const batch = (d: number, width: number) => raggedRows(normal, d, width);

/** Several arena outputs of one kernel call, concatenated (for the bit comparison). */
function collect(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((p, v) => p + v.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Plain complex Gram–Schmidt (classical, twice) of k rows of C^d: orthonormal rows, or null if dependent. */
function complexGramSchmidt(a: Float64Array, k: number, d: number): Float64Array {
  const u = new Float64Array(2 * k * d);
  for (let j = 0; j < k; j++) {
    const v = a.slice(2 * j * d, 2 * (j + 1) * d);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        let cr = 0, ci = 0;
        for (let s = 0; s < d; s++) {
          const ur = u[2 * (i * d + s)], ui = u[2 * (i * d + s) + 1];
          cr += ur * v[2 * s] + ui * v[2 * s + 1];
          ci += ur * v[2 * s + 1] - ui * v[2 * s];
        }
        for (let s = 0; s < d; s++) {
          const ur = u[2 * (i * d + s)], ui = u[2 * (i * d + s) + 1];
          v[2 * s] -= cr * ur - ci * ui;
          v[2 * s + 1] -= cr * ui + ci * ur;
        }
      }
    }
    const nrm = Math.hypot(...v);
    for (let s = 0; s < 2 * d; s++) u[2 * j * d + s] = v[s] / nrm;
  }
  return u;
}

/** Inverse by Gauss–Jordan elimination with partial pivoting. */
function inverse(a: Float64Array, d: number): Float64Array {
  const m = a.slice();
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let k = 0; k < d; k++) {
    let p = k;
    for (let r = k + 1; r < d; r++) if (Math.abs(m[r * d + k]) > Math.abs(m[p * d + k])) p = r;
    for (let j = 0; j < d; j++) {
      [m[k * d + j], m[p * d + j]] = [m[p * d + j], m[k * d + j]];
      [inv[k * d + j], inv[p * d + j]] = [inv[p * d + j], inv[k * d + j]];
    }
    const piv = m[k * d + k];
    for (let j = 0; j < d; j++) { m[k * d + j] /= piv; inv[k * d + j] /= piv; }
    for (let r = 0; r < d; r++) {
      if (r === k) continue;
      const l = m[r * d + k];
      for (let j = 0; j < d; j++) { m[r * d + j] -= l * m[k * d + j]; inv[r * d + j] -= l * inv[k * d + j]; }
    }
  }
  return inv;
}

const norm1 = (a: Float64Array, d: number) => Math.max(...Array.from({ length: d }, (_, j) => {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.abs(a[i * d + j]);
  return s;
}));

/**
 * Plain generalized Gram–Schmidt in η for k generic rows (classical, twice), as
 * Lin et al. 2024 Alg. 1–2: columns u_j = s·w/√|⟨w,w⟩_η| with s = sign ⟨w,w⟩_η,
 * then the first time-like column swapped to column 0. Returns Q (d×d row-major).
 */
function lorentzQ(x: Float64Array, d: number): Float64Array {
  const ip = (a: ArrayLike<number>, b: ArrayLike<number>) => a[0] * b[0] - Array.from({ length: d - 1 }, (_, i) => a[i + 1] * b[i + 1]).reduce((p, v) => p + v, 0);
  const u: Float64Array[] = [];
  const eps: number[] = [];
  for (let j = 0; j < d; j++) {
    const w = x.slice(j * d, (j + 1) * d);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        const c = eps[i] * ip(u[i], w);
        for (let a = 0; a < d; a++) w[a] -= c * u[i][a];
      }
    }
    const n = ip(w, w);
    const s = Math.sign(n);
    u.push(w.map((v) => (s * v) / Math.sqrt(Math.abs(n))));
    eps.push(s);
  }
  const t = eps.indexOf(1);
  [u[0], u[t]] = [u[t], u[0]];
  const q = new Float64Array(d * d);
  for (let a = 0; a < d; a++) for (let j = 0; j < d; j++) q[a * d + j] = u[j][a];
  return q;
}

describe.each(dims)('group kernels, d = %i', (d) => {
  it('cplx_apply: x·M per input and with one fixed matrix', () => {
    const { x, offsets, count, rows } = batch(d, 2);
    const m = gaussianMatrix(normal, count, 2 * d * d);
    for (const fixed of [false, true]) {
      const got = both((k) => withArena(k, 'cplx_apply', (a) => {
        const xp = a.putF64(x), op = a.putI32(offsets), mp = a.putF64(m);
        const out = a.alloc(x.length * 8), work = a.alloc(2 * d * d * 8);
        k.exports.cplx_apply(xp, op, count, d, mp, fixed ? 0 : d * d, out, work);
        return a.f64(out, x.length).slice();
      }));
      const want = new Float64Array(x.length);
      for (let i = 0; i < count; i++) {
        const mi = m.subarray(fixed ? 0 : i * 2 * d * d, (fixed ? 1 : i + 1) * 2 * d * d);
        const r0 = offsets[i], n = offsets[i + 1] - r0;
        // rows as a n×d matrix times M (d×d): pad to a square product row by row
        for (let r = 0; r < n; r++) {
          const row = new Float64Array(2 * d * d);
          row.set(x.subarray(2 * (r0 + r) * d, 2 * (r0 + r + 1) * d));
          want.set(complexMatmul(row, mi, d).subarray(0, 2 * d), 2 * (r0 + r) * d);
        }
      }
      expect(rows).toBeGreaterThan(0);
      close(got, want);
    }
  });

  it('cplx_gram: Hermitian products ⟨x_s, x_r⟩, exactly Hermitian', () => {
    const { x, offsets, count } = batch(d, 2);
    const total = Array.from({ length: count }, (_, i) => (offsets[i + 1] - offsets[i]) ** 2).reduce((p, v) => p + v, 0);
    const got = both((k) => withArena(k, 'cplx_gram', (a) => {
      const xp = a.putF64(x), op = a.putI32(offsets), out = a.alloc(2 * total * 8);
      k.exports.cplx_gram(xp, op, count, d, out);
      return a.f64(out, 2 * total).slice();
    }));
    let o = 0;
    for (let i = 0; i < count; i++) {
      const n = offsets[i + 1] - offsets[i];
      for (let r = 0; r < n; r++) {
        for (let s = 0; s < n; s++) {
          let re = 0, im = 0;
          for (let a = 0; a < d; a++) {
            const xr = x[2 * ((offsets[i] + r) * d + a)], xi = x[2 * ((offsets[i] + r) * d + a) + 1];
            const yr = x[2 * ((offsets[i] + s) * d + a)], yi = x[2 * ((offsets[i] + s) * d + a) + 1];
            re += xr * yr + xi * yi; // x_r · conj(x_s)
            im += xi * yr - xr * yi;
          }
          const e = 2 * (o + r * n + s);
          expect(got[e]).toBeCloseTo(re, 12);
          expect(got[e + 1]).toBeCloseTo(im, 12);
          const t = 2 * (o + s * n + r);
          if (r === s) expect(got[e + 1]).toBe(0);
          else {
            expect(got[t]).toBe(got[e]);
            expect(got[t + 1]).toBe(-got[e + 1]);
          }
        }
      }
      o += n * n;
    }
  });

  it('cplx_qr: a = Rᵀ·U, U orthonormal and equal to Gram–Schmidt, R upper with real positive diagonal', () => {
    for (const k of new Set([1, Math.max(1, d - 1), d])) {
      const c = 3;
      const a = gaussianMatrix(normal, c * k, 2 * d);
      const out = both((K) => withArena(K, 'cplx_qr', (ar) => {
        const ap = ar.putF64(a), work = ar.alloc(16), up = ar.alloc(c * k * 2 * d * 8), rp = ar.alloc(c * k * k * 2 * 8);
        K.exports.cplx_qr(ap, c, k, d, work, up, rp);
        return collect([ar.f64(up, c * k * 2 * d), ar.f64(rp, c * k * k * 2)]);
      }));
      const u = out.subarray(0, c * k * 2 * d);
      const r = out.subarray(c * k * 2 * d);
      for (let i = 0; i < c; i++) {
        close(u.subarray(i * k * 2 * d, (i + 1) * k * 2 * d), complexGramSchmidt(a.subarray(i * k * 2 * d, (i + 1) * k * 2 * d), k, d), 1e-10);
        const R = (p: number, q: number) => [r[2 * (i * k * k + p * k + q)], r[2 * (i * k * k + p * k + q) + 1]];
        for (let p = 0; p < k; p++) {
          expect(R(p, p)[0]).toBeGreaterThan(0);
          expect(R(p, p)[1]).toBe(0);
          for (let q = 0; q < p; q++) expect(R(p, q)).toEqual([0, 0]);
          // a_p = Σ_q R_qp·u_q
          for (let s = 0; s < d; s++) {
            let re = 0, im = 0;
            for (let q = 0; q <= p; q++) {
              const [rr, ri] = R(q, p);
              const ur = u[2 * ((i * k + q) * d + s)], ui = u[2 * ((i * k + q) * d + s) + 1];
              re += rr * ur - ri * ui;
              im += rr * ui + ri * ur;
            }
            expect(re).toBeCloseTo(a[2 * ((i * k + p) * d + s)], 12);
            expect(im).toBeCloseTo(a[2 * ((i * k + p) * d + s) + 1], 12);
          }
        }
      }
    }
  });

  it('linalg_inverse: inverse and 1-norm condition number; singular gives NaN and Infinity', () => {
    const c = 4;
    const m = gaussianMatrix(normal, c, d * d);
    m.fill(0, 3 * d * d);
    const out = both((k) => withArena(k, 'linalg_inverse', (a) => {
      const mp = a.putF64(m), work = a.alloc((d * d + d) * 8 + d * 4), inv = a.alloc(c * d * d * 8), cond = a.alloc(c * 8);
      k.exports.linalg_inverse(mp, c, d, work, inv, cond);
      return collect([a.f64(inv, c * d * d), a.f64(cond, c)]);
    }));
    for (let i = 0; i < 3; i++) {
      const mi = m.subarray(i * d * d, (i + 1) * d * d);
      const want = inverse(mi, d);
      close(out.subarray(i * d * d, (i + 1) * d * d), want, 1e-9);
      expect(out[c * d * d + i] / (norm1(mi, d) * norm1(want, d))).toBeCloseTo(1, 9);
    }
    expect(out.subarray(3 * d * d, 4 * d * d).every(Number.isNaN)).toBe(true);
    expect(out[c * d * d + 3]).toBe(Infinity);
  });

  it('linear_frames: c = (X − t)·A⁻¹ (·κ for SL) with A the first d rows; rank < d marked', () => {
    const { x, offsets, count, rows } = batch(d, 1);
    for (const flags of [0, 1, 2, 3]) {
      const out = both((k) => withArena(k, 'linear_frames', (a) => {
        const xp = a.putF64(x), op = a.putI32(offsets), work = a.alloc(k.exports.linear_work(d));
        const m = a.alloc(count * d * d * 8), t = a.alloc(count * d * 8), rk = a.alloc(count * 4), st = a.alloc(count * 16), c = a.alloc(rows * d * 8);
        k.exports.linear_frames(xp, op, count, d, flags, 1e-9, work, m, t, rk, st, c);
        return collect([a.f64(m, count * d * d), a.f64(t, count * d), Float64Array.from(a.i32(rk, count)), a.f64(c, rows * d)]);
      }));
      const ranks = out.subarray(count * d * d + count * d, count * d * d + count * d + count);
      const canon = out.subarray(count * d * d + count * d + count);
      for (let i = 0; i < count; i++) {
        const r0 = offsets[i], n = offsets[i + 1] - r0;
        const centered = (flags & 2) !== 0;
        const need = d + (centered ? 1 : 0);
        expect(ranks[i]).toBe(Math.min(d, Math.max(0, n - (centered ? 1 : 0))));
        if (n < need) continue;
        const t = new Float64Array(d);
        if (centered) for (let r = 0; r < n; r++) for (let a = 0; a < d; a++) t[a] += x[(r0 + r) * d + a] / n;
        const A = new Float64Array(d * d);
        for (let r = 0; r < d; r++) for (let a = 0; a < d; a++) A[r * d + a] = x[(r0 + r) * d + a] - t[a];
        const inv = inverse(A, d);
        let kappa = 1;
        if (flags & 1) {
          // det from the LU of the TypeScript inverse's input
          let det = 1;
          const lu = A.slice();
          for (let k = 0; k < d; k++) {
            let p = k;
            for (let r = k + 1; r < d; r++) if (Math.abs(lu[r * d + k]) > Math.abs(lu[p * d + k])) p = r;
            if (p !== k) { for (let j = 0; j < d; j++) [lu[k * d + j], lu[p * d + j]] = [lu[p * d + j], lu[k * d + j]]; det = -det; }
            det *= lu[k * d + k];
            for (let r = k + 1; r < d; r++) { const l = lu[r * d + k] / lu[k * d + k]; for (let j = k; j < d; j++) lu[r * d + j] -= l * lu[k * d + j]; }
          }
          kappa = Math.sign(det) * Math.abs(det) ** (1 / d);
        }
        const want = new Float64Array(n * d);
        for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) {
          let s = 0;
          for (let a = 0; a < d; a++) s += (x[(r0 + r) * d + a] - t[a]) * inv[a * d + j];
          want[r * d + j] = kappa * s;
        }
        close(canon.subarray(r0 * d, (r0 + n) * d), want, 1e-8);
      }
    }
  });

  it('unitary_frames: canonical X·Q with Q from Gram–Schmidt of the conjugated rows; M = conj(Q)', () => {
    const { x, offsets, count, rows } = batch(d, 2);
    for (const flags of [0, 1]) {
      const out = both((k) => withArena(k, 'unitary_frames', (a) => {
        const xp = a.putF64(x), op = a.putI32(offsets), work = a.alloc(k.exports.unitary_work(d));
        const m = a.alloc(count * 2 * d * d * 8), t = a.alloc(count * 2 * d * 8), rk = a.alloc(count * 4), st = a.alloc(count * 16), c = a.alloc(rows * 2 * d * 8);
        k.exports.unitary_frames(xp, op, count, d, flags, 1e-9, work, m, t, rk, st, c);
        return collect([a.f64(m, count * 2 * d * d), Float64Array.from(a.i32(rk, count)), a.f64(c, rows * 2 * d)]);
      }));
      if (flags === 1) continue; // SU: the det normalization is checked by the property tests
      const ms = out.subarray(0, count * 2 * d * d);
      const ranks = out.subarray(count * 2 * d * d, count * 2 * d * d + count);
      for (let i = 0; i < count; i++) {
        const r0 = offsets[i], n = offsets[i + 1] - r0;
        expect(ranks[i]).toBe(Math.min(n, d));
        if (n < d) continue;
        const conjRows = x.slice(2 * r0 * d, 2 * (r0 + d) * d);
        for (let e = 1; e < conjRows.length; e += 2) conjRows[e] = -conjRows[e];
        const u = complexGramSchmidt(conjRows, d, d);
        // M[a][j] = conj(u_j[a])
        const want = new Float64Array(2 * d * d);
        for (let a = 0; a < d; a++) for (let j = 0; j < d; j++) {
          want[2 * (a * d + j)] = u[2 * (j * d + a)];
          want[2 * (a * d + j) + 1] = -u[2 * (j * d + a) + 1];
        }
        close(ms.subarray(i * 2 * d * d, (i + 1) * 2 * d * d), want, 1e-10);
      }
    }
  });

  // the Lorentz groups need d >= 2
  if (d >= 2) it('lorentz_frames: Q as plain generalized Gram–Schmidt, Qᵀ·η·Q = η and X = c·Qᵀ at full rank', () => {
    const { x, offsets, count, rows } = batch(d, 1);
    for (const flags of [0, 1, 4]) {
      const out = both((k) => withArena(k, 'lorentz_frames', (a) => {
        const xp = a.putF64(x), op = a.putI32(offsets), work = a.alloc(k.exports.lorentz_work(d));
        const q = a.alloc(count * d * d * 8), t = a.alloc(count * d * 8), rk = a.alloc(count * 4), st = a.alloc(count * 16), c = a.alloc(rows * d * 8);
        k.exports.lorentz_frames(xp, op, count, d, flags, 1e-9, work, q, t, rk, st, c);
        return collect([a.f64(q, count * d * d), Float64Array.from(a.i32(rk, count)), a.f64(st, 2 * count), a.f64(c, rows * d)]);
      }));
      const qs = out.subarray(0, count * d * d);
      const ranks = out.subarray(count * d * d, count * d * d + count);
      const status = out.subarray(count * d * d + count, count * d * d + 3 * count);
      const canon = out.subarray(count * d * d + 3 * count);
      const eta = (a: number) => (a === 0 ? 1 : -1);
      for (let i = 0; i < count; i++) {
        const r0 = offsets[i], n = offsets[i + 1] - r0;
        if (ranks[i] < d) continue;
        expect(status[2 * i]).toBe(0);
        const q = qs.subarray(i * d * d, (i + 1) * d * d);
        // the generic inputs have no light-like rows, so the first d rows make the frame
        if (flags === 0) close(q, lorentzQ(x.subarray(r0 * d, (r0 + d) * d), d), 1e-8);
        for (let p = 0; p < d; p++) for (let s = 0; s < d; s++) {
          let v = 0;
          for (let a = 0; a < d; a++) v += q[a * d + p] * eta(a) * q[a * d + s];
          expect(Math.abs(v - (p === s ? eta(p) : 0))).toBeLessThan(1e-9);
        }
        for (let r = 0; r < n; r++) for (let a = 0; a < d; a++) {
          let v = 0;
          for (let j = 0; j < d; j++) v += canon[(r0 + r) * d + j] * q[a * d + j];
          expect(v).toBeCloseTo(x[(r0 + r) * d + a], 9);
        }
      }
      // the empty input and the inputs of one or two rows have no compact stabilizer once d − rank >= 2
      for (let i = 0; i < count; i++) if (d - ranks[i] >= 2) expect([0, 2]).toContain(status[2 * i]);
    }
  });
});
