/**
 * S(n) and S(n) x G on point sets: the reference's frame sizes, canonical forms
 * shared by permuted and transformed copies, one model call per input, and
 * equivariance under random (permutation, group element) pairs.
 */
import { describe, expect, it } from 'vitest';
import { reference as ref } from './helpers/reference.js';
import { canonicalize, canonicalizeBatch, equivariant, group, invariant } from '../src/index.js';
import { gaussian, gaussianMatrix, rng } from '../src/testing/random.js';
import { haarOrthogonal, haarSpecialOrthogonal, randomPermutation } from '../src/testing/haar.js';
import { actRows, permuteRows, relativeError } from '../src/testing/equivariance.js';


const u = rng(4242);
const normal = gaussian(u);

/** A non-equivariant model mixing rows by their index, so averaging is really tested. */
function model(x: Float64Array, { n, d }: { n: number; d: number }): Float64Array {
  const y = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let a = 0; a < d; a++) y[r * d + a] = Math.sin(x[r * d + a] + 0.3 * r) + 0.2 * x[((r + 1) % n) * d + ((a + 1) % d)];
  return y;
}

const shapes: Record<string, number[]> = Object.fromEntries(ref.permutationCases.map((c) => [c.id, c.x]));
const hexagonalPrism = (() => {
  const x: number[] = [];
  for (const z of [-1, 1]) for (let k = 0; k < 6; k++) x.push(Math.cos((k * Math.PI) / 3), Math.sin((k * Math.PI) / 3), z);
  return x;
})();

describe("S(n) x O(3): the reference's frame sizes", () => {
  for (const c of ref.permutationCases) {
    it(`${c.id}: ${c.frameSize}`, () => {
      const fr = canonicalize('S(n) x O(3)', Float64Array.from(c.x), { n: c.n, d: c.d });
      expect(fr.size).toBe(c.frameSize);
    });
  }
  it('more shapes: hexagonal prism 24, and SO(3) keeps the rotations only (cube 24, tetrahedron 12)', () => {
    expect(canonicalize('S(n) x O(3)', Float64Array.from(hexagonalPrism), { n: 12, d: 3 }).size).toBe(24);
    expect(canonicalize('S(n) x SO(3)', Float64Array.from(shapes['sn-o3-cube']), { n: 8, d: 3 }).size).toBe(24);
    expect(canonicalize('S(n) × SO(3)', Float64Array.from(shapes['sn-o3-tetrahedron']), { n: 4, d: 3 }).size).toBe(12);
  });
});

describe('S(n) x G: canonical forms, model calls, equivariance', () => {
  const cases: [string, string[]][] = [
    ['S(n) x O(3)', ['sn-o3-octahedron', 'sn-o3-cube', 'sn-o3-square', 'sn-o3-tetrahedron', 'sn-o3-rect-box', 'sn-o3-random-2']],
    ['S(n) x SO(3)', ['sn-o3-cube', 'sn-o3-hexagon', 'sn-o3-random-1']],
    ['S(n) x E(3)', ['sn-o3-octahedron', 'sn-o3-square', 'sn-o3-random-0']],
    ['S(n) x SE(3)', ['sn-o3-tetrahedron', 'sn-o3-random-2']],
  ];
  for (const [spec, ids] of cases) {
    it(`${spec}: permuted and transformed copies share c; ⟨f⟩ is equivariant to 1e-9`, async () => {
      const G = group(spec as 'S(n)');
      const base = G.base!;
      let calls = 0;
      const counted = (x: Float64Array, s: { n: number; d: number }) => (calls++, model(x, s));
      const f = equivariant(spec, counted, { output: base.translations ? 'points' : 'vectors' });
      const inv = invariant(spec, (x: Float64Array) => x.reduce((p, v, i) => p + Math.cos(v * (1 + (i % 5))), 0));
      for (const id of [...ids, 'generic']) {
        const x = id === 'generic' ? gaussianMatrix(normal, 11, 3) : Float64Array.from(shapes[id]);
        const n = x.length / 3;
        const y = await f(x, { n, d: 3 });
        for (let trial = 0; trial < 3; trial++) {
          const p = randomPermutation(u, n);
          const g = base.special ? haarSpecialOrthogonal(normal, 3) : haarOrthogonal(normal, 3);
          const t = base.translations ? Float64Array.of(normal(), normal(), normal()) : undefined;
          const gx = actRows(g, permuteRows(p, x, 3), n, 3, t);
          expect(relativeError(canonicalize(spec as 'S(n)', gx, { n, d: 3 }).canonical, canonicalize(spec as 'S(n)', x, { n, d: 3 }).canonical), `${id} canonical`).toBeLessThan(1e-9);
          const before = calls;
          const gy = await f(gx, { n, d: 3 });
          expect(calls - before, 'one model call per input').toBe(1);
          expect(relativeError(gy, actRows(g, permuteRows(p, y, 3), n, 3, t)), `${id} equivariance`).toBeLessThan(1e-9);
          expect(Math.abs((await inv(gx, { n, d: 3 })) - (await inv(x, { n, d: 3 }))), `${id} invariance`).toBeLessThan(1e-9);
        }
      }
    });
  }

  it('noise far below the tolerance keeps the frame, noise far above breaks it', () => {
    const cube = Float64Array.from(shapes['sn-o3-cube']);
    const noisy = (eps: number) => cube.map((v) => v + eps * normal());
    expect(canonicalize('S(n) x O(3)', noisy(1e-13), { n: 8, d: 3 }).size).toBe(48);
    expect(canonicalize('S(n) x O(3)', noisy(1e-4), { n: 8, d: 3 }).size).toBe(1);
  });

  it('S(n) x O(1,3): Lorentz invariants colour the graph', async () => {
    const x = gaussianMatrix(normal, 6, 4).map((v, i) => (i % 4 === 0 ? 3 + Math.abs(v) : v));
    const fr = canonicalize('S(n) x O(1,3)', x, { n: 6, d: 4 });
    expect(fr.size).toBe(1);
    const p = randomPermutation(u, 6);
    expect(relativeError(canonicalize('S(n) x O(1,3)', permuteRows(p, x, 4), { n: 6, d: 4 }).canonical, fr.canonical)).toBeLessThan(1e-9);
  });
});

describe('batches of S(n) x G', () => {
  it('equivariant / invariant .batch equal the single calls, ragged, with per-input errors', async () => {
    const shapesIn = [shapes['sn-o3-cube'], shapes['sn-o3-square'], [1, 2, NaN], shapes['sn-o3-random-0']];
    const offsets = [0];
    for (const x of shapesIn) offsets.push(offsets.at(-1)! + x.length / 3);
    const data = Float64Array.from(shapesIn.flat());
    const f = equivariant('S(n) x SE(3)', model, { output: 'points' });
    const r = await f.batch({ data, dim: 3, offsets }, { errors: 'status' });
    expect(r.errors.map((e) => e?.message ?? null)).toEqual([null, null, 'input 2: row 0 holds NaN at column 2; every value must be finite', null]);
    for (const i of [0, 1, 3]) {
      const x = Float64Array.from(shapesIn[i]);
      expect(r.data.subarray(offsets[i] * 3, offsets[i + 1] * 3)).toEqual(await f(x, { n: x.length / 3, d: 3 }));
    }
    await expect(f.batch({ data, dim: 3, offsets })).rejects.toThrow(/^input 2: row 0 holds NaN/);
    const inv = invariant('S(n)', (c: Float64Array) => c.length);
    expect((await inv.batch({ data: Float64Array.of(1, 2, 3, 4), dim: 2, count: 2 })).outputs).toEqual([2, 2]);
    expect(() => canonicalizeBatch('S(n) x O(3)', { data, dim: 3, offsets })).toThrow(/^input 2: row 0 holds NaN/);
  });
});

describe('S(n) x G: stacked models and large stabilizers', () => {
  it('batchModel: the model gets every canonical input stacked, once, and the result equals the per-input model', async () => {
    const sets = [shapes['sn-o3-cube'], shapes['sn-o3-random-0'], shapes['sn-o3-square']];
    const offsets = [0];
    for (const x of sets) offsets.push(offsets.at(-1)! + x.length / 3);
    const data = Float64Array.from(sets.flat());
    let calls = 0;
    const stacked = (b: { data: Float64Array; dim: number; offsets: Int32Array; count: number }) => {
      calls++;
      const y = new Float64Array(b.data.length);
      for (let i = 0; i < b.count; i++) {
        const [lo, hi] = [b.offsets[i] * b.dim, b.offsets[i + 1] * b.dim];
        y.set(model(b.data.subarray(lo, hi), { n: b.offsets[i + 1] - b.offsets[i], d: b.dim }), lo);
      }
      return y;
    };
    const got = await equivariant('S(n) x SE(3)', stacked, { batchModel: true, output: 'points' }).batch({ data, dim: 3, offsets });
    expect(calls).toBe(1);
    const want = await equivariant('S(n) x SE(3)', model, { output: 'points' }).batch({ data, dim: 3, offsets });
    expect(got.data).toEqual(want.data);
  });

  it('a stabilizer past the cap (nine coincident points: 9! elements) is that input\'s error; the others are kept', () => {
    const coincident = [...Array.from({ length: 9 }, () => [1, 2, 3]).flat(), 0, 1, 0];
    const data = Float64Array.from([...coincident, ...shapes['sn-o3-cube']]);
    const r = canonicalizeBatch('S(n) x O(3)', { data, dim: 3, offsets: [0, 10, 18] }, { errors: 'status' });
    expect(r.errors[0]?.message).toBe('input 0: its stabilizer under S(n) x O(3) has 362880 elements, more than the cap of 100000');
    expect(r.errors[0]).toBeInstanceOf(RangeError);
    expect(r.sizes[0]).toBeNaN();
    expect(Array.from(r.permutations.subarray(0, 10))).toEqual(Array(10).fill(-1));
    expect(r.errors[1]).toBeNull();
    expect(r.sizes[1]).toBe(48);
    expect(() => canonicalize('S(n) x O(3)', Float64Array.from(coincident), { n: 10, d: 3 })).toThrow(/^input 0: its stabilizer under S\(n\) x O\(3\) has 362880 elements/);
  });
});

describe('S(n) on point sets', () => {
  it('sorts rows lexicographically and averages tied rows in closed form', async () => {
    const x = Float64Array.of(2, 1, 0, 5, 2, 1, 0, 5, 1, 1);
    const fr = canonicalize('S(n)', x, { n: 5, d: 2 });
    expect(Array.from(fr.canonical)).toEqual([0, 5, 0, 5, 1, 1, 2, 1, 2, 1]);
    expect(fr.size).toBe(4); // two pairs of identical rows
    const f = equivariant('S(n)', (c, { n, d }) => c.map((v, i) => v + Math.floor(i / d) / n));
    const y = await f(x, { n: 5, d: 2 });
    // identical input rows get identical outputs
    expect(y.subarray(0, 2)).toEqual(y.subarray(4, 6));
    const p = randomPermutation(u, 5);
    expect(relativeError(await f(permuteRows(p, x, 2), { n: 5, d: 2 }), permuteRows(p, y, 2))).toBeLessThan(1e-15);
  });
  it('errors', () => {
    expect(() => canonicalize('S(n)', new Float64Array(0), { n: 0, d: 2 })).toThrow(/input 0: n must be a whole number >= 1/);
    expect(() => group('S(n) x GL(3)')).toThrow(/S\(n\) x G takes G in O\(d\), SO\(d\), E\(d\), SE\(d\), O\(1,d-1\), SO\(1,d-1\), got GL\(3\)/);
    expect(() => group('S(n) x Q(3)')).toThrow(/unknown group 'Q\(3\)'/);
    expect(() => canonicalize('S(n) x O(3)', Float64Array.of(1, 2, NaN), { n: 1, d: 3 })).toThrow(/input 0: row 0 holds NaN/);
  });
});
