/**
 * Each exported kernel against a plain TypeScript reference, over sizes that cross
 * the SIMD width (d odd and even, 1..9) and batch edges (empty inputs, one row);
 * and the SIMD and scalar builds against each other, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { loadKernels, withArena } from '../src/wasm/module.js';
import { both, close, dims, raggedRows, scalar, simd } from './helpers/kernels.js';
import { gaussian, gaussianMatrix, rng } from '../src/testing/random.js';
import { determinant } from '../src/testing/haar.js';

const normal = gaussian(rng(42));
const batch = (d: number) => raggedRows(normal, d);

/**
 * One input's frame from a family's frames kernel on both builds (bit-identical):
 * its matrix (d², 2d² complex), then its rank and status code.
 */
function oneFrame(family: 'ortho' | 'unitary' | 'lorentz', y: Float64Array, d: number, flags: number): Float64Array {
  const width = family === 'unitary' ? 2 : 1;
  return both((k) => withArena(k, `${family}_frames`, (a) => {
    const n = y.length / (width * d);
    const xp = a.putF64(y), op = a.putI32(Int32Array.of(0, n)), work = a.alloc(k.exports[`${family}_work`](d));
    const m = a.alloc(width * d * d * 8), t = a.alloc(width * d * 8), rk = a.alloc(4), st = a.alloc(16), cp = a.alloc(n * width * d * 8);
    // the ABI: the caller zeroes the shift and the status
    a.f64(t, width * d).fill(0);
    a.f64(st, 2).fill(0);
    k.exports[`${family}_frames`](xp, op, 1, d, flags, 1e-9, work, m, t, rk, st, cp);
    return Float64Array.from([...a.f64(m, width * d * d), a.i32(rk, 1)[0], a.f64(st, 1)[0]]);
  }));
}

describe('builds', () => {
  it('the SIMD build uses SIMD and the scalar build does not', () => {
    expect(simd.exports.mem_simd()).toBe(1);
    expect(scalar.exports.mem_simd()).toBe(0);
  });
});

describe.each(dims)('kernels, d = %i', (d) => {
  const { x, offsets, count } = batch(d);
  const rows = x.length / d;

  it('linalg_apply: (x − pre)·M + post, per-input and fixed matrices', () => {
    const m = gaussianMatrix(normal, count, d * d);
    const pre = gaussianMatrix(normal, count, d);
    const post = gaussianMatrix(normal, count, d);
    for (const fixed of [false, true]) {
      const got = both((k) => withArena(k, 'linalg_apply', (a) => {
        const xp = a.putF64(x), op = a.putI32(offsets), mp = a.putF64(m), pp = a.putF64(pre), qp = a.putF64(post);
        const out = a.alloc(x.length * 8), work = a.alloc(d * 8);
        k.exports.linalg_apply(xp, op, count, d, mp, fixed ? 0 : d * d, pp, d, qp, d, out, work);
        return a.f64(out, x.length).slice();
      }));
      const want = new Float64Array(x.length);
      for (let i = 0; i < count; i++) {
        const mi = fixed ? 0 : i * d * d;
        for (let r = offsets[i]; r < offsets[i + 1]; r++) {
          for (let j = 0; j < d; j++) {
            let s = post[i * d + j];
            for (let a = 0; a < d; a++) s += (x[r * d + a] - pre[i * d + a]) * m[mi + a * d + j];
            want[r * d + j] = s;
          }
        }
      }
      close(got, want);
    }
  });

  it('linalg_nonfinite: flags the inputs that hold NaN or ±∞, at every position of a row and of the SIMD groups', () => {
    // every input gets one bad value in turn at each of its positions; the others
    // hold the finite extremes (±0, subnormals, ±MAX_VALUE) that must not be flagged
    const edges = [0, -0, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE];
    const y = Float64Array.from(x, (v, j) => (j % 7 === 0 ? edges[(j / 7) % edges.length] : v));
    const run = (data: Float64Array) => both((k) => withArena(k, 'linalg_nonfinite', (a) => {
      const xp = a.putF64(data), op = a.putI32(offsets), flags = a.alloc(count * 4);
      const flagged = k.exports.linalg_nonfinite(xp, op, count, d, flags);
      return Int32Array.from([flagged, ...a.i32(flags, count)]);
    }));
    expect(Array.from(run(y))).toEqual([0, ...new Array(count).fill(0)]);
    const bad = [NaN, Infinity, -Infinity];
    for (let i = 0; i < count; i++) {
      for (let j = offsets[i] * d; j < offsets[i + 1] * d; j++) {
        const z = y.slice();
        z[j] = bad[j % 3];
        // a second bad value in the last input, so that two inputs are counted
        if (i !== count - 1) z[z.length - 1] = NaN;
        const want = new Array(count).fill(0);
        want[i] = 1;
        want[count - 1] = 1;
        expect(Array.from(run(z)), `input ${i}, value ${j}`).toEqual([i === count - 1 ? 1 : 2, ...want]);
      }
    }
  });

  it('linalg_centroid: mean of each input, zero for an empty input', () => {
    const got = both((k) => withArena(k, 'linalg_centroid', (a) => {
      const xp = a.putF64(x), op = a.putI32(offsets), out = a.alloc(count * d * 8);
      k.exports.linalg_centroid(xp, op, count, d, out);
      return a.f64(out, count * d).slice();
    }));
    for (let i = 0; i < count; i++) {
      const n = offsets[i + 1] - offsets[i];
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let r = offsets[i]; r < offsets[i + 1]; r++) s += x[r * d + a];
        expect(got[i * d + a]).toBeCloseTo(n ? s / n : 0, 13);
      }
    }
  });

  it('linalg_gram: Euclidean and Minkowski inner products, symmetric', () => {
    for (const metric of [0, 1]) {
      const total = Array.from({ length: count }, (_, i) => (offsets[i + 1] - offsets[i]) ** 2).reduce((p, v) => p + v, 0);
      const got = both((k) => withArena(k, 'linalg_gram', (a) => {
        const xp = a.putF64(x), op = a.putI32(offsets), out = a.alloc(total * 8);
        k.exports.linalg_gram(xp, op, count, d, metric, out);
        return a.f64(out, total).slice();
      }));
      let o = 0;
      for (let i = 0; i < count; i++) {
        const n = offsets[i + 1] - offsets[i];
        for (let r = 0; r < n; r++) {
          for (let s = 0; s < n; s++) {
            let g = 0;
            for (let a = 0; a < d; a++) g += (metric === 1 && a > 0 ? -1 : 1) * x[(offsets[i] + r) * d + a] * x[(offsets[i] + s) * d + a];
            expect(got[o + r * n + s]).toBeCloseTo(g, 12);
            expect(got[o + r * n + s]).toBe(got[o + s * n + r]);
          }
        }
        o += n * n;
      }
    }
  });

  it('linalg_select: first independent rows in order, with dependent rows skipped', () => {
    // input 0: row 1 = row 0, row 2 = −3·row 0, generic after; input 1: all zero
    const n = d + 3;
    const y = gaussianMatrix(normal, 2 * n, d);
    y.copyWithin(d, 0, d);
    for (let a = 0; a < d; a++) y[2 * d + a] = -3 * y[a];
    y.fill(0, n * d);
    const off = Int32Array.of(0, n, 2 * n);
    const [picked, rank] = [0, 1].map((which) => both((k) => withArena(k, 'linalg_select', (a) => {
      const xp = a.putF64(y), op = a.putI32(off), work = a.alloc((2 * d * d + 2 * d) * 8), pk = a.alloc(2 * d * 4), rk = a.alloc(8);
      k.exports.linalg_select(xp, op, 2, d, 1e-9, work, pk, rk);
      return which === 0 ? a.i32(pk, 2 * d).slice() : a.i32(rk, 2).slice();
    })));
    const want = d === 1 ? [0] : [0, ...Array.from({ length: d - 1 }, (_, j) => j + 3)];
    expect(Array.from(rank)).toEqual([d, 0]);
    expect(Array.from(picked.subarray(0, d))).toEqual(want);
    expect(Array.from(picked.subarray(d))).toEqual(new Array(d).fill(-1));
  });

  it('linalg_qr: a = Rᵀ·U with orthonormal U and upper-triangular R, positive diagonal', () => {
    for (const k of [1, Math.max(1, d - 1), d]) {
      const c = 3;
      const a = gaussianMatrix(normal, c * k, d);
      const [u, r] = [0, 1].map((which) => both((K) => withArena(K, 'linalg_qr', (ar) => {
        const ap = ar.putF64(a), up = ar.alloc(c * k * d * 8), rp = ar.alloc(c * k * k * 8);
        K.exports.linalg_qr(ap, c, k, d, up, rp);
        return which === 0 ? ar.f64(up, c * k * d).slice() : ar.f64(rp, c * k * k).slice();
      })));
      for (let i = 0; i < c; i++) {
        for (let p = 0; p < k; p++) {
          for (let q = 0; q < k; q++) {
            let dotpq = 0;
            for (let s = 0; s < d; s++) dotpq += u[(i * k + p) * d + s] * u[(i * k + q) * d + s];
            expect(dotpq).toBeCloseTo(p === q ? 1 : 0, 13);
            if (q < p) expect(r[i * k * k + p * k + q]).toBe(0);
          }
          expect(r[i * k * k + p * k + p]).toBeGreaterThan(0);
          for (let s = 0; s < d; s++) {
            let v = 0;
            for (let q = 0; q <= p; q++) v += r[i * k * k + q * k + p] * u[(i * k + q) * d + s];
            expect(v).toBeCloseTo(a[(i * k + p) * d + s], 12);
          }
        }
      }
    }
  });

  it('linalg_det: determinants against elimination, singular matrices give 0', () => {
    const c = 4;
    const m = gaussianMatrix(normal, c, d * d);
    m.fill(0, 3 * d * d); // the last matrix is singular
    const got = both((k) => withArena(k, 'linalg_det', (a) => {
      const mp = a.putF64(m), work = a.alloc(d * d * 8 + d * 4 + 16), out = a.alloc(c * 8);
      k.exports.linalg_det(mp, c, d, work, out);
      return a.f64(out, c).slice();
    }));
    for (let i = 0; i < c; i++) expect(got[i]).toBeCloseTo(determinant(m.subarray(i * d * d, (i + 1) * d * d), d), 11);
    expect(got[3]).toBe(0);
  });

  it('ortho_frames: the same bits from both builds for every flag combination', () => {
    for (const flags of [0, 1, 2, 3]) {
      both((k) => withArena(k, 'ortho_frames', (a) => {
        const xp = a.putF64(x), op = a.putI32(offsets), work = a.alloc(k.exports.ortho_work(d));
        const q = a.alloc(count * d * d * 8), t = a.alloc(count * d * 8), rk = a.alloc(count * 4), st = a.alloc(count * 16), c = a.alloc(rows * d * 8);
        k.exports.ortho_frames(xp, op, count, d, flags, 1e-9, work, q, t, rk, st, c);
        const out = new Float64Array(count * d * d + count * d + rows * d);
        out.set(a.f64(q, count * d * d));
        out.set(a.f64(t, count * d), count * d * d);
        out.set(a.f64(c, rows * d), count * d * d + count * d);
        return out;
      }));
    }
  });
});

describe.each(dims.filter((d) => d >= 2))('provisional rank threshold, d = %i', (d) => {
  it('ortho_frames: a row the first row\'s scale would take but the real threshold passes over is left out', () => {
    // row 0 tiny, row 1 = 10⁶·row 0 plus a residual of 10⁻¹² (taken against 10⁻⁹·|row 0|,
    // dependent against 10⁻⁹·RMS), then generic rows: the frame is that of the input without row 1
    const g = gaussianMatrix(normal, d + 1, d);
    const x0 = g.subarray(0, d).map((v) => v * 1e-6);
    const v = g.slice(d, 2 * d);
    const c = v.reduce((s, vi, a) => s + vi * x0[a], 0) / x0.reduce((s, xi) => s + xi * xi, 0);
    for (let a = 0; a < d; a++) v[a] -= c * x0[a];
    const vn = Math.hypot(...v);
    const x1 = x0.map((xi, a) => 1e6 * xi + (1e-12 * v[a]) / vn);
    const rest = gaussianMatrix(normal, d, d);
    const withRow = Float64Array.from([...x0, ...x1, ...rest]);
    const without = Float64Array.from([...x0, ...rest]);
    for (const flags of [0, 1]) {
      const frame = (y: Float64Array) => oneFrame('ortho', y, d, flags);
      const got = frame(withRow);
      expect(got[d * d]).toBe(d);
      // the same rows are taken; for d = 3 the leading rows of `without` go the
      // side-by-side way of leading3, so equal up to round-off
      close(got, frame(without), 1e-12);
    }
  });

  it('unitary_frames: the same for complex rows', () => {
    const x0 = gaussianMatrix(normal, 1, 2 * d).map((v) => v * 1e-6);
    const v = gaussianMatrix(normal, 1, 2 * d);
    const x1 = x0.map((xi, a) => 1e6 * xi + 1e-12 * v[a]);
    const rest = gaussianMatrix(normal, d, 2 * d);
    const withRow = Float64Array.from([...x0, ...x1, ...rest]);
    const without = Float64Array.from([...x0, ...rest]);
    for (const flags of [0, 1]) {
      const frame = (y: Float64Array) => oneFrame('unitary', y, d, flags);
      const got = frame(withRow);
      expect(got[2 * d * d]).toBe(d);
      expect(Array.from(got)).toEqual(Array.from(frame(without)));
    }
  });

  it('lorentz_frames: the same with a time-like tiny first row', () => {
    const x0 = new Float64Array(d).fill(0.1e-6);
    x0[0] = 1e-6;
    const v = gaussianMatrix(normal, 1, d);
    const x1 = x0.map((xi, a) => 1e6 * xi + 1e-12 * v[a]);
    const rest = gaussianMatrix(normal, d + 2, d);
    const withRow = Float64Array.from([...x0, ...x1, ...rest]);
    const without = Float64Array.from([...x0, ...rest]);
    for (const flags of [0, 1]) {
      const frame = (y: Float64Array) => oneFrame('lorentz', y, d, flags);
      const got = frame(withRow);
      expect(got[d * d]).toBe(d);
      expect(got[d * d + 1]).toBe(0);
      expect(Array.from(got)).toEqual(Array.from(frame(without)));
    }
  });
});

describe('ortho_frames, d = 3', () => {
  it('Q is orthonormal and X = c·Qᵀ, whether the leading rows are well apart or nearly parallel', () => {
    const d = 3, n = 6;
    const g = gaussianMatrix(normal, n, d);
    const near = g.slice();
    for (let a = 0; a < d; a++) near[d + a] = g[a] + 1e-3 * g[d + a]; // row 1 nearly along row 0: the second pass runs
    for (const y of [g, near]) {
      for (const flags of [0, 1, 2, 3]) {
        const out = both((k) => withArena(k, 'ortho_frames', (a) => {
          const xp = a.putF64(y), op = a.putI32(Int32Array.of(0, n)), work = a.alloc(k.exports.ortho_work(d));
          const q = a.alloc(d * d * 8), t = a.alloc(d * 8), rk = a.alloc(4), st = a.alloc(16), c = a.alloc(n * d * 8);
          k.exports.ortho_frames(xp, op, 1, d, flags, 1e-9, work, q, t, rk, st, c);
          return Float64Array.from([...a.f64(q, d * d), ...a.f64(t, d), ...a.f64(c, n * d)]);
        }));
        const q = out.subarray(0, d * d), t = out.subarray(d * d, d * d + d), c = out.subarray(d * d + d);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
          let s = 0;
          for (let a = 0; a < d; a++) s += q[a * d + i] * q[a * d + j];
          expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-14);
        }
        for (let r = 0; r < n; r++) for (let a = 0; a < d; a++) {
          let s = t[a];
          for (let j = 0; j < d; j++) s += c[r * d + j] * q[a * d + j];
          expect(Math.abs(s - y[r * d + a])).toBeLessThan(1e-12);
        }
      }
    }
  });
});

describe('linear_frames, d = 3', () => {
  it('takes the leading rows in place, and falls back to the greedy selection when they are dependent', () => {
    const d = 3;
    const g = gaussianMatrix(normal, 5, d);
    const dependent = g.slice();
    for (let a = 0; a < d; a++) dependent[d + a] = 2 * g[a]; // row 1 = 2·row 0: rows 0, 2, 3 are taken
    for (const [y, rowsTaken] of [[g, [0, 1, 2]], [dependent, [0, 2, 3]]] as const) {
      for (const flags of [0, 1]) {
        const out = both((k) => withArena(k, 'linear_frames', (a) => {
          const xp = a.putF64(y), op = a.putI32(Int32Array.of(0, 5)), work = a.alloc(k.exports.linear_work(d));
          const m = a.alloc(d * d * 8), t = a.alloc(d * 8), rk = a.alloc(4), st = a.alloc(16), c = a.alloc(5 * d * 8);
          k.exports.linear_frames(xp, op, 1, d, flags, 1e-9, work, m, t, rk, st, c);
          return Float64Array.from([...a.f64(m, d * d), a.i32(rk, 1)[0], ...a.f64(c, 5 * d)]);
        }));
        expect(out[d * d]).toBe(d);
        // M = Aᵀ/κ and c = X·M⁻ᵀ: each taken row maps to its unit vector
        const kappa = flags & 1 ? Math.cbrt(determinant(Float64Array.from(rowsTaken.flatMap((r) => Array.from(y.subarray(r * d, r * d + d)))), d)) : 1;
        for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) expect(out[p * d + q]).toBeCloseTo(y[rowsTaken[q] * d + p] / kappa, 12);
        rowsTaken.forEach((r, j) => {
          for (let a = 0; a < d; a++) expect(out[d * d + 1 + r * d + a]).toBeCloseTo(a === j ? kappa : 0, 9);
        });
      }
    }
  });
});

describe('arena', () => {
  it('grows the memory for large batches and keeps results correct', () => {
    const k = loadKernels({ simd: true });
    const before = k.exports.memory.buffer.byteLength;
    const n = 300_000;
    const x = new Float64Array(n * 3).fill(1);
    const got = withArena(k, 'linalg_centroid', (a) => {
      const xp = a.putF64(x), op = a.putI32(Int32Array.of(0, n)), out = a.alloc(24);
      k.exports.linalg_centroid(xp, op, 1, 3, out);
      return a.f64(out, 3).slice();
    });
    expect(k.exports.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(Array.from(got)).toEqual([1, 1, 1]);
  });
});
