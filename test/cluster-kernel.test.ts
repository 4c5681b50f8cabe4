/**
 * The cluster kernels (assembly/frames/cluster.ts), the one clustering behind S(n),
 * weighted graphs and S(n) x G, against plain TypeScript (test/helpers/cluster.ts):
 * lengths across the merge sort's run (16), the switch to the radix sort (64) and the
 * radix sort's switch to moving keys (2^16); exact ties, chains of close values,
 * negative values and −0, the zero option; both builds bit for bit; and per-column
 * clustering of ragged batches.
 */
import { describe, expect, it } from 'vitest';
import { withArena, type Kernels } from '../src/wasm/module.js';
import { clusterColumns, clusterIds } from '../src/frames/cluster.js';
import { gaussian, rng } from '../src/testing/random.js';
import { scalar, simd } from './helpers/kernels.js';
import { clusterReference } from './helpers/cluster.js';

const normal = gaussian(rng(41));

/** m values drawn from a few levels, with noise below or above tol, some negative, some zero. */
function values(m: number, levels: number, noise: number): Float64Array {
  const level = Float64Array.from({ length: levels }, () => normal() * 10);
  return Float64Array.from({ length: m }, (_, i) => (i % 11 === 0 ? (i % 22 === 0 ? -0 : 0) : level[i % levels] + noise * normal()));
}

/** The first index where a and b differ (bits), or −1; faster than a deep equality on long arrays. */
function firstDifference(a: Float64Array | Int32Array, b: Float64Array | Int32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (Buffer.compare(x, y) === 0) return -1;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function kernelIds(k: Kernels, v: Float64Array, tol: number, zero: boolean): Int32Array {
  return withArena(k, 'test', (a) => {
    const p = a.putF64(v);
    const work = a.alloc(k.exports.cluster_work(v.length));
    const ids = a.alloc(v.length * 4);
    k.exports.cluster_values(p, v.length, tol, zero ? 1 : 0, work, ids);
    // the values are left as they were
    expect(firstDifference(a.f64(p, v.length), v)).toBe(-1);
    return a.i32(ids, v.length).slice();
  });
}

describe('cluster_values', () => {
  const sizes = [0, 1, 2, 15, 16, 17, 63, 64, 65, 200, 1000, 65535, 65536, 70000];
  it.each(sizes)('m = %i: the plain TypeScript ids, with and without zero, both builds', (m) => {
    for (const [levels, noise] of [[1, 0], [5, 0], [7, 1e-13], [m + 1, 1]] as const) {
      const v = values(m, levels, noise);
      for (const zero of [false, true]) {
        const want = clusterReference(v, 1e-9, { zero });
        const [a, b] = [kernelIds(simd, v, 1e-9, zero), kernelIds(scalar, v, 1e-9, zero)];
        expect(firstDifference(a, want), `levels ${levels}, noise ${noise}, zero ${zero}`).toBe(-1);
        expect(firstDifference(b, a), 'scalar build').toBe(-1);
      }
    }
  });

  it('a chain of close values is one cluster; a gap just above tol·scale splits it', () => {
    const chain = Float64Array.from({ length: 50 }, (_, i) => 1 + i * 0.9e-9);
    expect(new Set(kernelIds(simd, chain, 1e-9, false)).size).toBe(1);
    const split = Float64Array.from([1, 1 + 0.5e-9, 1 + 1.6e-9, 1 + 2e-9]);
    expect(Array.from(kernelIds(simd, split, 1e-9, false))).toEqual([1, 1, 2, 2]);
  });

  it('any permutation of the values gets the same ids on the same values', () => {
    const v = values(500, 9, 1e-12);
    const perm = Int32Array.from({ length: v.length }, (_, i) => i).sort(() => normal());
    const ids = clusterIds(v, 1e-9);
    const permuted = clusterIds(Float64Array.from(perm, (p) => v[p]), 1e-9);
    perm.forEach((p, i) => expect(permuted[i]).toBe(ids[p]));
  });
});

describe('cluster_columns', () => {
  it('every column of every set of a ragged batch, as clustering it alone', () => {
    for (const d of [1, 2, 3, 5]) {
      const sizes = [0, 1, 3, 17, 70, 2];
      const offsets = new Int32Array(sizes.length + 1);
      sizes.forEach((s, i) => (offsets[i + 1] = offsets[i] + s));
      const rows = offsets[sizes.length];
      // integer levels: many exact ties per column
      const x = Float64Array.from({ length: rows * d }, () => Math.round(normal() * 2));
      const ids = clusterColumns(x, offsets, sizes.length, d, 1e-9);
      for (let i = 0; i < sizes.length; i++) {
        for (let a = 0; a < d; a++) {
          const col = Float64Array.from({ length: sizes[i] }, (_, r) => x[(offsets[i] + r) * d + a]);
          const got = Int32Array.from({ length: sizes[i] }, (_, r) => ids[(offsets[i] + r) * d + a]);
          expect(got, `d = ${d}, set ${i}, column ${a}`).toEqual(clusterReference(col, 1e-9));
        }
      }
    }
  });
});
