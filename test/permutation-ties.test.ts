/**
 * S(n) x G where vertex colours tie: edge colours only for the tied rows (T×n, never
 * n²) and the labeling search on the tied rows alone. Against the complete coloured
 * graph labeled in full (plain TypeScript colours, canonicalLabeling): the same
 * automorphism group, and for sets whose rows all tie the same labeling; canonical
 * forms shared by permuted and rotated copies; large point clouds (n = 9000 to
 * 100,000) with ties; and the stated limits: 2^24 pairs of rows with a tied row
 * (n = 5794 rows that all tie, 168 tied rows of 100,000) and 2^24 listed stabilizer
 * values, each the input's own RangeError, the rest of the batch kept.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeBatch, InputRangeError } from '../src/index.js';
import { MAX_EDGE_PAIRS, MAX_STABILIZER_VALUES } from '../src/frames/permutation.js';
import { canonicalLabeling } from '../src/graphs/canon.js';
import { clusterReference } from './helpers/cluster.js';
import { gaussian, gaussianMatrix, rng } from '../src/testing/random.js';
import { haarOrthogonal, haarSpecialOrthogonal, randomPermutation } from '../src/testing/haar.js';
import { actRows, permuteRows, relativeError } from '../src/testing/equivariance.js';

const u = rng(77);
const normal = gaussian(u);
const LONG = 180_000;

/** The complete graph of O(3) invariants in plain TypeScript: vertex colours ⟨x_i, x_i⟩ and every edge colour ⟨x_i, x_j⟩. */
function fullGraph(x: Float64Array, n: number) {
  const dot = (p: number, q: number) => x[3 * p] * x[3 * q] + x[3 * p + 1] * x[3 * q + 1] + x[3 * p + 2] * x[3 * q + 2];
  const colors = clusterReference(Array.from({ length: n }, (_, p) => dot(p, p)), 1e-9);
  const pairs: number[] = [];
  for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) pairs.push(dot(p, q));
  const ids = clusterReference(pairs, 1e-9);
  const adjacency = new Int32Array(n * n);
  for (let p = 0, k = 0; p < n; p++) for (let q = p + 1; q < n; q++, k++) adjacency[p * n + q] = adjacency[q * n + p] = ids[k];
  return canonicalLabeling(adjacency, { n, colors });
}

/** Rows in random directions with squared norms 1 + r/1000, far apart (no ties by chance); `tied` rows then share norms in pairs (and one triple when odd). */
function spread(n: number, tied = 0): Float64Array {
  const x = new Float64Array(n * 3);
  for (let r = 0; r < n; r++) {
    const v = [normal(), normal(), normal()];
    const s = Math.sqrt(1 + r / 1000) / Math.hypot(...v);
    for (let a = 0; a < 3; a++) x[3 * r + a] = v[a] * s;
  }
  const norm = (r: number) => Math.hypot(x[3 * r], x[3 * r + 1], x[3 * r + 2]);
  const tie = (r: number, to: number) => {
    const s = norm(to) / norm(r);
    for (let a = 0; a < 3; a++) x[3 * r + a] *= s;
  };
  for (let r = 1; r < tied - (tied % 2); r += 2) tie(r, r - 1);
  if (tied % 2) tie(tied - 1, tied - 2);
  return x;
}

/** n points on the unit sphere: every vertex colour ties. */
function sphere(n: number): Float64Array {
  const x = gaussianMatrix(normal, n, 3);
  for (let r = 0; r < n; r++) {
    const h = Math.hypot(x[3 * r], x[3 * r + 1], x[3 * r + 2]);
    for (let a = 0; a < 3; a++) x[3 * r + a] /= h;
  }
  return x;
}

const cube: number[] = [];
for (const a of [-1, 1]) for (const b of [-1, 1]) for (const c of [-1, 1]) cube.push(a, b, c);

/** Canonical forms of permuted, rotated (and for SE, shifted) copies equal the input's, and sizes agree. */
function expectInvariant(spec: 'S(n) x O(3)' | 'S(n) x SO(3)' | 'S(n) x SE(3)', x: Float64Array, trials = 2) {
  const n = x.length / 3;
  const f = canonicalize(spec, x, { n, d: 3 });
  for (let t = 0; t < trials; t++) {
    const g = spec === 'S(n) x O(3)' ? haarOrthogonal(normal, 3) : haarSpecialOrthogonal(normal, 3);
    const shift = spec === 'S(n) x SE(3)' ? Float64Array.of(normal(), normal(), normal()) : undefined;
    const y = actRows(g, permuteRows(randomPermutation(u, n), x, 3), n, 3, shift);
    const fy = canonicalize(spec, y, { n, d: 3 });
    expect(fy.size).toBe(f.size);
    expect(relativeError(fy.canonical, f.canonical)).toBeLessThan(1e-9);
  }
  return f;
}

describe('the tied rows alone carry the search', () => {
  it('partly tied sets with symmetry: the complete graph’s automorphism group, canonical forms invariant', () => {
    const shapes: [string, number[]][] = [
      ['cube and a point on an axis (C4v)', [...cube, 0, 0, 2.5]],
      ['cube and both points of an axis (D4h)', [...cube, 0, 0, 2.5, 0, 0, -2.5]],
      ['cube, an axis point and a face point', [...cube, 0, 0, 2.5, 3, 0, 0]],
      ['square, its centre offset, two heights', [1, 1, 0.5, 1, -1, 0.5, -1, 1, 0.5, -1, -1, 0.5, 0, 0, 2, 0, 0, -3]],
      ['two coincident pairs among random points', [...gaussianMatrix(normal, 6, 3), 1, 2, 3, 1, 2, 3, -2, 0.5, 1, -2, 0.5, 1]],
      ['planted equal norms', Array.from(spread(30, 7))],
    ];
    for (const [name, rows] of shapes) {
      const x = Float64Array.from(rows);
      const n = x.length / 3;
      const f = expectInvariant('S(n) x O(3)', x);
      expect(f.rank, name).toBe(3);
      expect(f.size, name).toBe(fullGraph(x, n).size);
      expectInvariant('S(n) x SE(3)', x);
    }
  });

  it('sets whose rows all tie: the labeling of the complete graph itself', () => {
    for (const x of [Float64Array.from(cube), sphere(12), sphere(40), Float64Array.from(cube.map((v, i) => v * (i % 3 === 2 ? 1 : 2)))]) {
      const n = x.length / 3;
      const f = canonicalize('S(n) x O(3)', x, { n, d: 3 });
      const full = fullGraph(x, n);
      expect(f.size).toBe(full.size);
      if (full.size === 1) expect(Array.from(f.permutation)).toEqual(Array.from(full.labeling));
    }
  });
});

describe('large point clouds with ties', () => {
  it('n = 9000 with two rows of equal norm, and a Gaussian cloud of n = 40,000 (ties by chance)', () => {
    const x = gaussianMatrix(normal, 9000, 3);
    const s = Math.hypot(x[0], x[1], x[2]) / Math.hypot(x[3], x[4], x[5]);
    for (let a = 0; a < 3; a++) x[3 + a] *= s;
    expect(expectInvariant('S(n) x O(3)', x, 1).size).toBe(1);
    expect(expectInvariant('S(n) x SE(3)', gaussianMatrix(normal, 40_000, 3), 1).size).toBe(1);
  }, LONG);

  it('n = 100,000, ties by chance and a duplicated row: size 2, the same canonical form for a rotated, permuted copy', () => {
    const x = gaussianMatrix(normal, 100_000, 3);
    x.copyWithin(3 * 500, 3 * 7, 3 * 8); // row 500 = row 7
    const f = expectInvariant('S(n) x O(3)', x, 1);
    expect(f.size).toBe(2);
  }, LONG);
});

describe('limits: each input past one gets its own RangeError, the rest of the batch is kept', () => {
  it(`edge colours for at most ${MAX_EDGE_PAIRS} pairs: 168 tied rows of 100,000 are past it, 167 are not`, () => {
    expect(MAX_EDGE_PAIRS).toBe(2 ** 24);
    const over = spread(100_000, 168); // 168·(100,000 − 168) + 168·167/2 = 16,785,804 pairs
    const data = Float64Array.from([...cube, ...over, ...cube]);
    const r = canonicalizeBatch('S(n) x O(3)', { data, dim: 3, offsets: [0, 8, 100_008, 100_016] }, { errors: 'status' });
    expect(r.errors[1]).toBeInstanceOf(InputRangeError);
    expect((r.errors[1] as InputRangeError).input).toBe(1);
    expect(r.errors[1]!.message).toBe('input 1: S(n) x O(3) needs edge colours for 16785804 pairs of rows (its 168 rows whose invariant ⟨x, x⟩ ties with another row\'s, times all 100000 rows), more than the limit of 16777216 (2^24)');
    expect([r.errors[0], r.errors[2], r.sizes[0], r.sizes[2]]).toEqual([null, null, 48, 48]);
    expect(Number.isNaN(r.sizes[1])).toBe(true);
    // 167 tied rows: 16,685,972 pairs, under the limit
    const f = canonicalize('S(n) x O(3)', spread(100_000, 167), { n: 100_000, d: 3 });
    expect([f.size, f.rank]).toEqual([1, 3]);
  }, LONG);

  it('a set whose 5794 rows all tie is past the pair limit (5793 rows are 16,776,528 pairs, under it)', () => {
    expect(() => canonicalize('S(n) x O(3)', sphere(5794), { n: 5794, d: 3 })).toThrow(/^input 0: S\(n\) x O\(3\) needs edge colours for 16782321 pairs of rows \(its 5794 rows/);
  });

  it(`a listed stabilizer holds at most ${MAX_STABILIZER_VALUES} values: 4096 elements of 4097 rows are past it`, () => {
    expect(MAX_STABILIZER_VALUES).toBe(2 ** 24);
    const rows = (n: number) => {
      const x = spread(n);
      for (let k = 0; k < 12; k++) x.copyWithin(3 * (2 * k + 1), 3 * 2 * k, 3 * 2 * k + 3); // 12 coincident pairs: 2^12 elements
      return x;
    };
    expect(() => canonicalize('S(n) x O(3)', rows(4097), { n: 4097, d: 3 })).toThrow('input 0: its stabilizer under S(n) x O(3) has 4096 elements of 4097 rows each, 16781312 values to list, more than the limit of 16777216 (2^24)');
    const small = rows(256); // 2^12 elements of 256 rows: 2^20 values
    expect(canonicalize('S(n) x O(3)', small, { n: 256, d: 3 }).size).toBe(4096);
  }, LONG);
});
