/**
 * Property tests: for Haar-random g (and translations t for E/SE), the averaged
 * model satisfies ⟨f⟩(g·X + t) = g·⟨f⟩(X) (+ t for points) and the invariant one
 * ⟨f⟩(g·X + t) = ⟨f⟩(X), to float64 round-off, for generic, rank-deficient and
 * symmetric inputs.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, equivariant, group, invariant } from '../src/index.js';
import { gaussian, gaussianMatrix, rng } from '../src/testing/random.js';
import { haarOrthogonal, haarSpecialOrthogonal } from '../src/testing/haar.js';
import { actRows, relativeError } from '../src/testing/equivariance.js';

/** A deliberately non-equivariant model: entrywise non-linearity plus mixing of rows and columns. */
function model(x: Float64Array, { n, d }: { n: number; d: number }): Float64Array {
  const y = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const next = ((r + 1) % n) * d;
    for (let a = 0; a < d; a++) {
      y[r * d + a] = Math.sin(x[r * d + a]) + 0.5 * x[next + ((a + 1) % d)] ** 2 + 0.1 * (a + 1) * r;
    }
  }
  return y;
}

const sumModel = (x: Float64Array, s: { n: number; d: number }) => {
  const y = model(x, s);
  return Float64Array.of(y.reduce((p, v, i) => p + v * (1 + (i % 3)), 0), y[0]);
};

type Kind = 'generic' | 'rank1' | 'rank2' | 'rank d-1' | 'hypercube' | 'cross-polytope' | 'duplicate rows';

/** An n×d input of the given kind (rank-deficient kinds are products of thin matrices). */
function input(kind: Kind, n: number, d: number, normal: () => number): Float64Array | null {
  const lowRank = (r: number) => {
    if (r >= d || r < 1) return null;
    const a = gaussianMatrix(normal, n, r);
    const b = gaussianMatrix(normal, r, d);
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) for (let k = 0; k < r; k++) x[i * d + j] += a[i * r + k] * b[k * d + j];
    return x;
  };
  switch (kind) {
    case 'generic': return gaussianMatrix(normal, n, d);
    case 'rank1': return lowRank(1);
    case 'rank2': return lowRank(2);
    case 'rank d-1': return d > 3 ? lowRank(d - 1) : null;
    case 'hypercube': {
      if (d > 6) return null;
      const m = 1 << d;
      const x = new Float64Array(m * d);
      for (let v = 0; v < m; v++) for (let a = 0; a < d; a++) x[v * d + a] = (v >> a) & 1 ? 1 : -1;
      return x;
    }
    case 'cross-polytope': {
      const x = new Float64Array(2 * d * d);
      for (let a = 0; a < d; a++) {
        x[2 * a * d + a] = 1;
        x[(2 * a + 1) * d + a] = -1;
      }
      return x;
    }
    case 'duplicate rows': {
      const x = gaussianMatrix(normal, n, d);
      for (let r = 1; r < n; r += 2) x.copyWithin(r * d, (r - 1) * d, r * d);
      return x;
    }
  }
}

const kinds: Kind[] = ['generic', 'rank1', 'rank2', 'rank d-1', 'hypercube', 'cross-polytope', 'duplicate rows'];
const dims = [1, 2, 3, 5, 8];

describe.each(['O', 'SO', 'E', 'SE'])('%s(d): equivariance and invariance under Haar-random elements', (name) => {
  it.each(dims)(`d = %i`, async (d) => {
    const G = group(`${name}(${d})`);
    const u = rng(1000 + d);
    const normal = gaussian(u);
    const f = equivariant(G, model, { output: G.translations ? 'points' : 'vectors' });
    const inv = invariant(G, sumModel);
    let worst = 0;
    let checked = 0;
    for (const n of [1, d, d + 3, 64]) {
      for (const kind of kinds) {
        const x = input(kind, n, d, normal);
        if (!x) continue;
        const rows = x.length / d;
        for (let trial = 0; trial < 3; trial++) {
          const g = G.special ? haarSpecialOrthogonal(normal, d) : haarOrthogonal(normal, d);
          const t = G.translations ? gaussianMatrix(normal, 1, d).map((v) => 3 * v) : undefined;
          const gx = actRows(g, x, rows, d, t);
          const y = await f(x, { n: rows, d });
          const gy = await f(gx, { n: rows, d });
          const err = relativeError(gy, actRows(g, y, rows, d, t));
          const ierr = relativeError(await inv(gx, { n: rows, d }), await inv(x, { n: rows, d }));
          worst = Math.max(worst, err, ierr);
          expect(err, `${kind} n=${rows} trial ${trial}`).toBeLessThan(1e-10);
          expect(ierr, `${kind} n=${rows} trial ${trial} (invariant)`).toBeLessThan(1e-10);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('frame sizes and stabilizers', () => {
  const planar = Float64Array.of(1, 0, 0, 0, 2, 0, 1, 1, 0, -1, 3, 0);
  it('O(3) on planar points: rank 2, stabilizer O(1) of size 2, two frame elements', () => {
    const fr = canonicalize('O(3)', planar, { n: 4, d: 3 });
    expect(fr.rank).toBe(2);
    expect(fr.size).toBe(2);
    expect(fr.elements()!.matrices.length).toBe(18);
    // both elements map the canonical form back to the input
    for (let s = 0; s < 2; s++) {
      const h = fr.elements()!.matrices.subarray(9 * s, 9 * s + 9);
      expect(relativeError(actRows(h, fr.canonical, 4, 3), planar)).toBeLessThan(1e-14);
    }
  });
  it('SO(3) on planar points: the last column is completed with det +1, frame size 1', () => {
    const fr = canonicalize('SO(3)', planar, { n: 4, d: 3 });
    expect(fr.size).toBe(1);
    const q = fr.matrix;
    const det = q[0] * (q[4] * q[8] - q[5] * q[7]) - q[1] * (q[3] * q[8] - q[5] * q[6]) + q[2] * (q[3] * q[7] - q[4] * q[6]);
    expect(det).toBeCloseTo(1, 14);
  });
  it('O(3) on collinear points: continuous stabilizer O(2), no element list, zero complement', () => {
    const fr = canonicalize('O(3)', Float64Array.of(1, 2, 3, 2, 4, 6, -1, -2, -3), { n: 3, d: 3 });
    expect(fr.rank).toBe(1);
    expect(fr.size).toBe(Infinity);
    expect(fr.elements()).toBeNull();
    for (let r = 0; r < 3; r++) expect([fr.canonical[3 * r + 1], fr.canonical[3 * r + 2]]).toEqual([0, 0]);
  });
  it('E(3) on one point: rank 0, the canonical form is the origin, points output returns the point', async () => {
    const x = Float64Array.of(4, -5, 6);
    const fr = canonicalize('E(3)', x, { n: 1, d: 3 });
    expect(fr.rank).toBe(0);
    expect(Array.from(fr.canonical)).toEqual([0, 0, 0]);
    const y = await equivariant('E(3)', (c) => c.map((v) => v + 1), { output: 'points' })(x, { n: 1, d: 3 });
    expect(Array.from(y)).toEqual([4, -5, 6]);
  });
  it('generic full-rank input: frame size 1, canonical form upper triangular on the chosen rows', () => {
    const normal = gaussian(rng(7));
    const x = gaussianMatrix(normal, 10, 4);
    const fr = canonicalize('SO(4)', x, { n: 10, d: 4 });
    expect(fr.size).toBe(1);
    for (let r = 0; r < 3; r++) for (let c = r + 1; c < 4; c++) expect(Math.abs(fr.canonical[r * 4 + c])).toBeLessThan(1e-14);
  });
  it('Float32Array input gives the frame of its float64 values', () => {
    const x32 = Float32Array.of(1.5, 2.25, -3, 0.5, 7, 1, 2, 2, 2);
    const a = canonicalize('O(3)', x32, { n: 3, d: 3 });
    const b = canonicalize('O(3)', Float64Array.from(x32), { n: 3, d: 3 });
    expect(a.canonical).toEqual(b.canonical);
  });
});
