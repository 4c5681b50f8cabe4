/**
 * Property tests for the Lorentz, unitary and linear groups: for random group
 * elements g (translations t for Aff), ⟨f⟩(g·X + t) = g·⟨f⟩(X) (+ t for points) and
 * the invariant ⟨f⟩(g·X + t) = ⟨f⟩(X), relative error ≤ 1e-10 (Lorentz, unitary) or
 * ≤ 1e-8 (linear); and each frame element h reproduces its input, X = c·Mᵀ + t,
 * inside its group. Inputs: generic, rank-deficient, light-like rows, duplicates.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, equivariant, group, invariant, type Group } from '../src/index.js';
import { gaussian, gaussianMatrix, rng } from '../src/testing/random.js';
import { determinant } from '../src/testing/haar.js';
import { actComplexRows, actRows, relativeError } from '../src/testing/equivariance.js';
import { testFunctions } from '../src/testing/functions.js';
import {
  affineElement, complexDeterminant, complexMatmul, generalLinear, haarSpecialUnitary, haarUnitary,
  lorentzElement, minkowskiDiagonal, specialLinear,
} from '../src/testing/groups.js';

const dims = [1, 2, 3, 5, 8];
const trials = 3;

/** Σ over rows of the model's output, weighted by column so columns do not cancel. */
function summed(name: string) {
  return (x: Float64Array, s: { n: number; d: number }) => {
    const y = testFunctions[name](x, s);
    const len = y.length / s.n;
    const out = new Float64Array(len);
    for (let r = 0; r < s.n; r++) for (let a = 0; a < len; a++) out[a] += y[r * len + a] * (1 + (a % 3));
    return out;
  };
}

/** Rows of c (n×r) times b (r×d), real or complex (width 2). */
function product(c: Float64Array, b: Float64Array, n: number, r: number, d: number, width: 1 | 2): Float64Array {
  const x = new Float64Array(n * d * width);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < r; k++) {
        if (width === 1) x[i * d + j] += c[i * r + k] * b[k * d + j];
        else {
          const cr = c[2 * (i * r + k)], ci = c[2 * (i * r + k) + 1];
          const br = b[2 * (k * d + j)], bi = b[2 * (k * d + j) + 1];
          x[2 * (i * d + j)] += cr * br - ci * bi;
          x[2 * (i * d + j) + 1] += cr * bi + ci * br;
        }
      }
    }
  }
  return x;
}

interface Sample { x: Float64Array; n: number }

/** Equivariance, invariance and frame reconstruction for one group on given inputs. */
async function check(G: Group, inputs: Sample[], element: () => { g: Float64Array; t?: Float64Array }, bound: number, fn: string) {
  const d = G.d;
  const complex = G.width === 2;
  const f = equivariant(G, testFunctions[fn], { output: 'points' });
  const inv = invariant(G, summed(fn));
  const act = (g: Float64Array, x: Float64Array, n: number, t?: Float64Array) => (complex ? actComplexRows(g, x, n, d) : actRows(g, x, n, d, t));
  let worst = 0;
  for (const { x, n } of inputs) {
    const shape = { n, d };
    const fx = await f(x, shape);
    const ix = await inv(x, shape);
    const fr = canonicalize(G, x, shape);
    // X = c·Mᵀ + t
    const m = fr.matrix;
    const back = complex ? actComplexRows(m, fr.canonical, n, d) : actRows(m, fr.canonical, n, d, fr.shift);
    worst = Math.max(worst, relativeError(back, x));
    for (let s = 0; s < trials; s++) {
      const { g, t } = element();
      const y = act(g, x, n, t);
      worst = Math.max(worst, relativeError(await f(y, shape), act(g, fx, n, t)));
      worst = Math.max(worst, relativeError(await inv(y, shape), ix));
    }
  }
  expect(worst).toBeLessThanOrEqual(bound);
}

describe.each(['O', 'SO'])('%s(1,d−1): equivariance and invariance under boosts, rotations, parity, time reversal', (name) => {
  it.each([2, 3, 4, 5, 8])('d = %i', async (d) => {
    const G = group(`${name}(1,${d - 1})`);
    const u = rng(300 + d);
    const normal = gaussian(u);
    const special = G.special;
    const element = () => ({ g: lorentzElement(normal, u, d, { special }) });
    const eta = minkowskiDiagonal(d);
    /** A null vector (1, n̂)·s. */
    const lightLike = (s: number) => {
      const v = Float64Array.from({ length: d }, normal);
      const len = Math.hypot(...v.subarray(1));
      for (let a = 1; a < d; a++) v[a] *= s / len;
      v[0] = s;
      return v;
    };
    /** Rows in span(e_from .. e_{to−1}), moved to general position by a Lorentz element. */
    const inSpan = (n: number, from: number, to: number, nulls: boolean) => {
      const x = new Float64Array(n * d);
      for (let r = 0; r < n; r++) for (let a = from; a < to; a++) x[r * d + a] = normal();
      // light-like rows inside the span (needs e0 and e1 in it)
      if (nulls) for (let r = 0; r < n; r += 3) { x.fill(0, r * d, r * d + d); x[r * d] = 1 + r; x[r * d + 1] = -(1 + r); }
      return actRows(lorentzElement(normal, u, d), x, n, d);
    };
    const inputs: Sample[] = [];
    for (const n of [d, d + 3, 32]) inputs.push({ x: gaussianMatrix(normal, n, d), n });
    // light-like rows (first, and every third) among generic ones: left out of the frame
    {
      const n = d + 6;
      const x = gaussianMatrix(normal, n, d);
      for (let r = 0; r < n; r += 3) x.set(lightLike(0.5 + r), r * d);
      inputs.push({ x, n });
    }
    // rank d−1: the complement is a space-like line (time-like span) or the time axis
    if (d >= 3) inputs.push({ x: inSpan(2 * d + 2, 0, d - 1, true), n: 2 * d + 2 });
    inputs.push({ x: inSpan(d + 2, 1, d, false), n: d + 2 });
    // rank 2 with a time-like vector: compact stabilizer O(d−2), closed-form average
    if (d >= 4) inputs.push({ x: inSpan(8, 0, 2, true), n: 8 });
    await check(G, inputs, element, 1e-10, 'sine');

    // frames are Lorentz transformations: Mᵀ·η·M = η at full rank
    for (const { x, n } of inputs.slice(0, 4)) {
      const m = canonicalize(G, x, { n, d }).matrix;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
        let s = 0;
        for (let a = 0; a < d; a++) s += m[a * d + i] * eta[a] * m[a * d + j];
        expect(Math.abs(s - (i === j ? eta[i] : 0))).toBeLessThan(1e-10);
      }
      if (special) expect(determinant(m, d)).toBeCloseTo(1, 10);
    }
  });

  it('rank d−1 frames: two elements for O(1,d−1), one completed element with det +1 for SO(1,d−1)', () => {
    const d = 4;
    const G = group(`${name}(1,3)`);
    const x = Float64Array.of(2, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 3, 0.5, -2, 0);
    const fr = canonicalize(G, x, { n: 4, d });
    expect(fr.rank).toBe(3);
    expect(fr.size).toBe(G.special ? 1 : 2);
    const els = fr.elements()!;
    expect(els.matrices.length).toBe(fr.size * d * d);
    for (let s = 0; s < fr.size; s++) {
      const h = els.matrices.slice(s * d * d, (s + 1) * d * d);
      expect(relativeError(actRows(h, fr.canonical, 4, d), x)).toBeLessThan(1e-14);
      if (G.special) expect(determinant(h, d)).toBeCloseTo(1, 12);
      else expect(Math.abs(determinant(h, d))).toBeCloseTo(1, 12);
    }
  });
});

describe.each(['U', 'SU'])('%s(d): equivariance and invariance under Haar-random elements', (name) => {
  it.each(dims)('d = %i', async (d) => {
    const G = group(`${name}(${d})`);
    const u = rng(500 + d);
    const normal = gaussian(u);
    const element = () => ({ g: G.special ? haarSpecialUnitary(normal, d) : haarUnitary(normal, d) });
    const inputs: Sample[] = [];
    for (const n of [d, d + 3, 32]) inputs.push({ x: gaussianMatrix(normal, n, 2 * d), n });
    for (const r of new Set([1, d - 1, d - 2])) {
      if (r < 1 || r >= d) continue;
      const n = d + 3;
      inputs.push({ x: product(gaussianMatrix(normal, n, 2 * r), gaussianMatrix(normal, r, 2 * d), n, r, d, 2), n });
    }
    {
      const n = 2 * d + 2;
      const x = gaussianMatrix(normal, n, 2 * d);
      for (let r = 1; r < n; r += 2) x.copyWithin(2 * r * d, 2 * (r - 1) * d, 2 * r * d);
      inputs.push({ x, n });
    }
    await check(G, inputs, element, 1e-10, 'cmix');

    // full rank: M is unitary (MᴴM = I), and det M = 1 for SU(d) — also at rank d−1
    for (const { x, n } of inputs) {
      const fr = canonicalize(G, x, { n, d });
      if (fr.size !== 1) continue;
      const m = fr.matrix;
      const mh = new Float64Array(2 * d * d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
        mh[2 * (i * d + j)] = m[2 * (j * d + i)];
        mh[2 * (i * d + j) + 1] = -m[2 * (j * d + i) + 1];
      }
      const p = complexMatmul(mh, m, d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
        expect(Math.abs(p[2 * (i * d + j)] - (i === j ? 1 : 0))).toBeLessThan(1e-12);
        expect(Math.abs(p[2 * (i * d + j) + 1])).toBeLessThan(1e-12);
      }
      if (G.special) {
        const [re, im] = complexDeterminant(m, d);
        expect(Math.abs(re - 1) + Math.abs(im)).toBeLessThan(1e-12);
      }
    }
  });
});

describe.each(['GL', 'SL', 'Aff'])('%s(d): equivariance and invariance under random elements (condition ≤ 10)', (name) => {
  it.each(dims)('d = %i', async (d) => {
    const G = group(`${name}(${d})`);
    const u = rng(700 + d);
    const normal = gaussian(u);
    const element = () => {
      if (G.translations) return affineElement(normal, u, d);
      return { g: G.special ? specialLinear(normal, u, d) : generalLinear(normal, u, d) };
    };
    const inputs: Sample[] = [];
    for (const n of [d + 1, d + 3, 32]) inputs.push({ x: gaussianMatrix(normal, n, d), n });
    {
      const n = 2 * d + 4;
      const x = gaussianMatrix(normal, n, d);
      for (let r = 1; r < n; r += 2) x.copyWithin(r * d, (r - 1) * d, r * d);
      inputs.push({ x, n });
    }
    await check(G, inputs, element, 1e-8, 'sine');
    // SL: det M = +1, except det −1 for even d when det A < 0 (the reference's convention)
    if (G.special) {
      for (const { x, n } of inputs) expect(Math.abs(determinant(canonicalize(G, x, { n, d }).matrix, d))).toBeCloseTo(1, 10);
    }
  });
});
