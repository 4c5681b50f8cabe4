/**
 * canon_twins (assembly/canon/reducible.ts) against a plain TypeScript reference:
 * u, v are twins when they have one colour and, apart from each other, the same
 * neighbours with the same edge colours; rep[v] is the smallest vertex of v's class.
 * Random graphs with planted twins of both kinds (adjacent and not), twins that
 * colours or edge colours break, sizes across the kernel's table sizes, a large
 * graph of many small classes, and the SIMD and scalar builds.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadKernels, withArena, type Kernels } from '../src/wasm/module.js';
import { rng } from '../src/testing/random.js';
import { toCSR } from './helpers/symmetric.mjs';

const BUILDS: [string, Kernels][] = [['simd', loadKernels({ simd: true })], ['scalar', loadKernels({ simd: false })]];

interface Dense {
  n: number;
  /** Edge colour ids (0: no edge), symmetric, zero diagonal. */
  a: Int32Array;
  colors: Int32Array;
}

function twinsReference({ n, a, colors }: Dense): Int32Array {
  const rep = new Int32Array(n).map((_, v) => v);
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < v; u++) {
      if (colors[u] !== colors[v]) continue;
      let same = true;
      for (let w = 0; w < n && same; w++) if (w !== u && w !== v && a[u * n + w] !== a[v * n + w]) same = false;
      if (same) {
        rep[v] = u;
        break;
      }
    }
  }
  return rep;
}

/** canon_twins on a CSR graph: rep, and whether it said some class has two vertices. */
function twinsOfCSR(k: Kernels, n: number, rowPtr: ArrayLike<number>, col: ArrayLike<number>, ecol: ArrayLike<number>, vcol: ArrayLike<number>): { rep: Int32Array; any: boolean } {
  return withArena(k, 'canon_twins', (arena) => {
    const x = arena.exports;
    const p = [rowPtr, col, ecol, vcol].map((v) => arena.putI32(v));
    const work = arena.alloc(x.canon_twins_work(n) >>> 0);
    const rep = arena.alloc(n * 4);
    const any = x.canon_twins(n, p[0], p[1], p[2], p[3], work, rep);
    return { rep: arena.i32(rep, n).slice(), any: any === 1 };
  });
}

/** canon_twins on the CSR of a dense graph. */
function twinsKernel(k: Kernels, { n, a, colors }: Dense): { rep: Int32Array; any: boolean } {
  const rowPtr = new Int32Array(n + 1);
  const col: number[] = [];
  const ecol: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (a[i * n + j] === 0) continue;
      col.push(j);
      ecol.push(a[i * n + j]);
    }
    rowPtr[i + 1] = col.length;
  }
  return twinsOfCSR(k, n, rowPtr, col, ecol, colors);
}

/**
 * A random graph with planted twins: vertices copied from earlier ones (joined to
 * their original or not), then some copies broken by a vertex colour or by one edge
 * colour.
 */
function planted(n: number, seed: number, p = 0.3, edgeColours = 2, vertexColours = 2): Dense {
  const u = rng(seed);
  const a = new Int32Array(n * n);
  const colors = new Int32Array(n);
  const join = (i: number, j: number, c: number) => {
    a[i * n + j] = a[j * n + i] = c;
  };
  for (let v = 0; v < n; v++) {
    colors[v] = Math.floor(u() * vertexColours);
    if (v > 0 && u() < 0.4) {
      const o = Math.floor(u() * v);
      colors[v] = colors[o];
      for (let w = 0; w < v; w++) if (w !== o && a[o * n + w] !== 0) join(v, w, a[o * n + w]);
      if (u() < 0.5) join(v, o, 1 + Math.floor(u() * edgeColours));
      if (u() < 0.1) colors[v] += vertexColours;
      else if (u() < 0.1) {
        for (let w = 0; w < v; w++) if (w !== o && a[v * n + w] !== 0) {
          join(v, w, a[v * n + w] + edgeColours);
          break;
        }
      }
      continue;
    }
    for (let w = 0; w < v; w++) if (u() < p) join(v, w, 1 + Math.floor(u() * edgeColours));
  }
  return { n, a, colors };
}

describe.each(BUILDS)('canon_twins (%s build)', (_, k) => {
  it('planted twins, sizes across the table sizes: the reference classes', () => {
    let merged = 0;
    for (const n of [1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 129, 257]) {
      for (let seed = 0; seed < 6; seed++) {
        const g = planted(n, 100 * n + seed, [0.1, 0.3, 0.7][seed % 3], 1 + (seed % 3), 1 + (seed % 2));
        const want = twinsReference(g);
        const got = twinsKernel(k, g);
        expect(got.rep, `n = ${n}, seed ${seed}`).toEqual(want);
        expect(got.any).toBe(want.some((r, v) => r !== v));
        merged += want.filter((r, v) => r !== v).length;
      }
    }
    expect(merged).toBeGreaterThan(100);
  });

  it('known answers: empty, complete, stars, a complete bipartite graph, a cycle', () => {
    const dense = (n: number, edge: (i: number, j: number) => number, colors = new Int32Array(n)): Dense => {
      const a = new Int32Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) a[i * n + j] = edge(Math.min(i, j), Math.max(i, j));
      return { n, a, colors };
    };
    expect(twinsKernel(k, dense(5, () => 0)).rep).toEqual(new Int32Array(5));
    expect(twinsKernel(k, dense(6, () => 1)).rep).toEqual(new Int32Array(6));
    // a star: the leaves are twins, the centre is alone (K2 makes it the leaves' twin)
    expect(twinsKernel(k, dense(5, (i) => (i === 0 ? 1 : 0))).rep).toEqual(Int32Array.of(0, 1, 1, 1, 1));
    expect(twinsKernel(k, dense(2, () => 1)).rep).toEqual(Int32Array.of(0, 0));
    // K(2, 3): each side is a class
    expect(twinsKernel(k, dense(5, (i, j) => ((i < 2) !== (j < 2) ? 1 : 0))).rep).toEqual(Int32Array.of(0, 0, 2, 2, 2));
    // colours split a class; an edge colour splits adjacent twins from the rest
    expect(twinsKernel(k, dense(5, () => 0, Int32Array.of(0, 1, 0, 1, 2))).rep).toEqual(Int32Array.of(0, 1, 0, 1, 4));
    expect(twinsKernel(k, dense(4, (i, j) => (i === 0 && j === 1 ? 2 : 1))).rep).toEqual(Int32Array.of(0, 0, 2, 2));
    const c6 = twinsKernel(k, dense(6, (i, j) => (j === i + 1 || (i === 0 && j === 5) ? 1 : 0)));
    expect(c6).toEqual({ rep: Int32Array.from({ length: 6 }, (_, v) => v), any: false });
  });

  it('a large graph of many small classes (3000 disjoint triangles with pendant pairs)', () => {
    // triangle t on 5t, 5t+1, 5t+2; 5t+3 and 5t+4 both hang from 5t: 5t+1 ~ 5t+2 and 5t+3 ~ 5t+4
    const m = 3000;
    const n = 5 * m;
    const edges = Int32Array.from({ length: 10 * m }, (_, i) => 5 * Math.floor(i / 10) + [0, 1, 0, 2, 1, 2, 0, 3, 0, 4][i % 10]);
    const { rowPtr, col, edgeColors } = toCSR({ n, edges });
    const { rep: got, any } = twinsOfCSR(k, n, rowPtr, col, edgeColors, new Int32Array(n));
    expect(any).toBe(true);
    const want = Int32Array.from({ length: n }, (_, v) => [0, 1, 1, 3, 3][v % 5] + v - (v % 5));
    expect(got).toEqual(want);
  });

  it('random planted graphs (fast-check): the reference classes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 48 }), fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), (n, seed, p, ec, vc) => {
        const g = planted(n, seed, p, ec, vc);
        expect(twinsKernel(k, g).rep).toEqual(twinsReference(g));
      }),
      { seed: Number(process.env.FUZZ_SEED ?? 20261202), numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );
  });
});
