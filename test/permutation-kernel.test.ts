/**
 * The S(n) x G invariant kernels (assembly/frames/permutation.ts) against plain
 * TypeScript: vertex colours, their order and the discrete flag (perm_colours), edge
 * colours (perm_edges), for set sizes across the sort's run length and batch edges,
 * Euclidean, centred and Minkowski products, exact ties and tolerance chains; the
 * SIMD and scalar builds agree bit for bit. And the shortcut they allow: a set whose
 * vertex colours are distinct gets the labeling the full search would give.
 */
import { describe, expect, it } from 'vitest';
import { withArena, type Kernels } from '../src/wasm/module.js';
import { both, simd } from './helpers/kernels.js';
import { gaussian, gaussianMatrix, rng } from '../src/testing/random.js';
import { clusterReference } from './helpers/cluster.js';
import { canonicalLabeling } from '../src/graphs/canon.js';
import { canonicalizeBatch } from '../src/index.js';

const normal = gaussian(rng(97));
const CENTER = 1;
const LORENTZ = 2;

/** Sets of these sizes back to back: empty, tiny, across the insertion-sort run of 16, and larger. */
function batch(sizes: number[], d: number, values?: (r: number, a: number) => number) {
  const offsets = new Int32Array(sizes.length + 1);
  sizes.forEach((s, i) => (offsets[i + 1] = offsets[i] + s));
  const rows = offsets[sizes.length];
  const x = values ? Float64Array.from({ length: rows * d }, (_, j) => values(Math.floor(j / d), j % d)) : gaussianMatrix(normal, rows, d);
  return { x, offsets, count: sizes.length, rows };
}

/** Plain TypeScript: the rows of set i as the invariants see them (centred by their plain mean). */
function rowsOf(x: Float64Array, o: number, n: number, d: number, flags: number): Float64Array {
  const r = x.slice(o * d, (o + n) * d);
  if (flags & CENTER) {
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += r[p * d + a];
      for (let p = 0; p < n; p++) r[p * d + a] -= s / n;
    }
  }
  return r;
}

function product(r: Float64Array, p: number, q: number, d: number, flags: number): number {
  let s = 0;
  for (let a = 0; a < d; a++) s += (flags & LORENTZ && a > 0 ? -1 : 1) * r[p * d + a] * r[q * d + a];
  return s;
}

function colours(k: Kernels, b: ReturnType<typeof batch>, d: number, flags: number, tol: number) {
  return withArena(k, 'perm_colours', (a) => {
    let maxN = 0;
    for (let i = 0; i < b.count; i++) maxN = Math.max(maxN, b.offsets[i + 1] - b.offsets[i]);
    const x = a.putF64(b.x);
    const off = a.putI32(b.offsets);
    const work = a.alloc(k.exports.perm_work(maxN, d, maxN));
    const col = a.alloc(b.rows * 4), ord = a.alloc(b.rows * 4), disc = a.alloc(b.count * 4);
    k.exports.perm_colours(x, off, b.count, d, flags, tol, work, col, ord, disc);
    const out = new Int32Array(2 * b.rows + b.count);
    out.set(a.i32(col, b.rows));
    out.set(a.i32(ord, b.rows), b.rows);
    out.set(a.i32(disc, b.count), 2 * b.rows);
    return out;
  });
}

/** perm_edges for every set of b with the tied rows `tied[i]` of set i: the T×n id matrices back to back. */
function edges(k: Kernels, b: ReturnType<typeof batch>, d: number, flags: number, tol: number, tied: number[][]): Int32Array {
  return withArena(k, 'perm_edges', (a) => {
    let maxN = 0;
    let maxPairs = 0;
    let entries = 0;
    const tiedOffsets = new Int32Array(b.count + 1);
    for (let i = 0; i < b.count; i++) {
      const n = b.offsets[i + 1] - b.offsets[i];
      const t = tied[i].length;
      maxN = Math.max(maxN, n);
      maxPairs = Math.max(maxPairs, t * (n - t) + (t * (t - 1)) / 2);
      entries += t * n;
      tiedOffsets[i + 1] = tiedOffsets[i] + t;
    }
    const x = a.putF64(b.x);
    const off = a.putI32(b.offsets);
    const ts = a.putI32(tied.flat());
    const tOff = a.putI32(tiedOffsets);
    const work = a.alloc(k.exports.perm_work(maxN, d, maxPairs));
    const out = a.alloc(entries * 4);
    k.exports.perm_edges(x, off, b.count, d, flags, tol, ts, tOff, work, out);
    return a.i32(out, entries).slice();
  });
}

/**
 * Plain TypeScript perm_edges: the pairs {p, q} with p tied, each once, clustered,
 * as the T×n matrix of set i (row a: tied row tied[a]; 0 at its own column).
 */
function edgeReference(b: ReturnType<typeof batch>, d: number, flags: number, tol: number, tied: number[][]): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < b.count; i++) {
    const o = b.offsets[i];
    const n = b.offsets[i + 1] - o;
    const r = rowsOf(b.x, o, n, d, flags);
    const t = tied[i];
    const pos = new Map(t.map((v, a) => [v, a]));
    const pairs: [number, number][] = [];
    t.forEach((p, a) => {
      for (let q = 0; q < n; q++) if (q !== p && !((pos.get(q) ?? Infinity) < a)) pairs.push([p, q]);
    });
    const ids = clusterReference(pairs.map(([p, q]) => product(r, p, q, d, flags)), tol);
    const m = new Int32Array(t.length * n);
    pairs.forEach(([p, q], k) => {
      m[pos.get(p)! * n + q] = ids[k];
      if (pos.has(q)) m[pos.get(q)! * n + p] = ids[k];
    });
    out.push(...m);
  }
  return Int32Array.from(out);
}

/** The plain TypeScript answer: colours, order (ties by row), discrete flags, edge matrices. */
function reference(b: ReturnType<typeof batch>, d: number, flags: number, tol: number) {
  const colour = new Int32Array(b.rows), order = new Int32Array(b.rows), discrete = new Int32Array(b.count);
  for (let i = 0; i < b.count; i++) {
    const o = b.offsets[i];
    const n = b.offsets[i + 1] - o;
    const r = rowsOf(b.x, o, n, d, flags);
    // keyed by −⟨x_p, x_p⟩: the longest rows first
    const diag = Array.from({ length: n }, (_, p) => -product(r, p, p, d, flags));
    const ids = clusterReference(diag, tol);
    colour.set(ids, o);
    order.set(Array.from({ length: n }, (_, p) => p).sort((p, q) => diag[p] - diag[q] || p - q), o);
    discrete[i] = new Set(ids).size === n ? 1 : 0;
  }
  return { colour, order, discrete, edges: edgeReference(b, d, flags, tol, all(b)) };
}

/** Every row of every set of b as tied: perm_edges then gives the full n×n edge-colour matrices. */
function all(b: ReturnType<typeof batch>): number[][] {
  return Array.from({ length: b.count }, (_, i) => Array.from({ length: b.offsets[i + 1] - b.offsets[i] }, (_, r) => r));
}

describe('perm_colours and perm_edges against plain TypeScript', () => {
  const sizes = [0, 1, 2, 15, 16, 17, 33, 70];
  for (const [name, flags] of [['Euclidean', 0], ['centred', CENTER], ['Minkowski', LORENTZ], ['centred Minkowski', CENTER | LORENTZ]] as const) {
    for (const d of [1, 2, 3, 4, 7]) {
      it(`${name}, d = ${d}: random sets, and sets whose rows repeat (ties)`, () => {
        // the second batch repeats each of 5 distinct rows, so colours tie exactly
        for (const b of [batch(sizes, d), batch(sizes, d, (r, a) => ((r % 5) + 1) * (a + 2) - 3 * (r % 2))]) {
          const ref = reference(b, d, flags, 1e-9);
          const got = both((k) => colours(k, b, d, flags, 1e-9));
          expect(got.subarray(0, b.rows), 'colours').toEqual(ref.colour);
          expect(got.subarray(2 * b.rows), 'discrete').toEqual(ref.discrete);
          // the order sorts by value: exactly the reference's where colours are distinct
          // (within a cluster it follows values that differ by round-off only)
          for (let i = 0; i < b.count; i++) {
            const [o, end] = [b.offsets[i], b.offsets[i + 1]];
            const order = got.subarray(b.rows + o, b.rows + end);
            if (ref.discrete[i]) expect(order, `order of set ${i}`).toEqual(ref.order.subarray(o, end));
            else for (let k = 1; k < end - o; k++) expect(ref.colour[o + order[k]]).toBeGreaterThanOrEqual(ref.colour[o + order[k - 1]]);
          }
          expect(both((k) => edges(k, b, d, flags, 1e-9, all(b))), 'edge colours').toEqual(ref.edges);
          // some tied rows only: the first, every third and the last of each set
          const some = all(b).map((rows) => rows.filter((r) => r === 0 || r % 3 === 2 || r === rows.length - 1));
          expect(both((k) => edges(k, b, d, flags, 1e-9, some)), 'edge colours of some rows').toEqual(edgeReference(b, d, flags, 1e-9, some));
        }
      });
    }
  }

  it('known answers: ties within the tolerance, and single linkage chains close values into one cluster', () => {
    // squared norms 4, 1, 4 + 1e-9·9/2, 9, 1 (d = 1: rows are ±√ of them); eps = 1e-9·9;
    // ids and order from the longest row down
    const v = [4, 1, 4 + 4.5e-9, 9, 1];
    const b = batch([5], 1, (r) => Math.sqrt(v[r]));
    const got = colours(simd, b, 1, 0, 1e-9);
    expect(Array.from(got.subarray(0, 5))).toEqual([2, 3, 2, 1, 3]);
    expect(Array.from(got.subarray(5, 10))).toEqual([3, 2, 0, 1, 4]);
    expect(got[10]).toBe(0);
    // 1, 1 + 0.6 eps, 1 + 1.2 eps: each gap is below eps, so all three are one cluster
    const eps = 1e-6 * 2;
    const w = [1, 1 + 0.6 * eps, 1 + 1.2 * eps, 2];
    const c = batch([4], 1, (r) => Math.sqrt(w[r]));
    expect(Array.from(colours(simd, c, 1, 0, 1e-6).subarray(0, 4))).toEqual([2, 2, 2, 1]);
    // tol = 0: only exact ties share a colour
    expect(Array.from(colours(simd, c, 1, 0, 0).subarray(0, 4))).toEqual([4, 3, 2, 1]);
  });
});

describe('distinct vertex colours are the canonical labeling', () => {
  it('S(n) x O(3), S(n) x E(3), S(n) x O(1,3): the labeling of the full coloured complete graph equals the shortcut', () => {
    for (const [spec, d, flags] of [['S(n) x O(3)', 3, 0], ['S(n) x E(3)', 3, CENTER], ['S(n) x O(1,3)', 4, LORENTZ]] as const) {
      const b = batch([1, 2, 9, 20, 33], d);
      const ref = reference(b, d, flags, 1e-9);
      const r = canonicalizeBatch(spec, { data: b.x, dim: d, offsets: b.offsets }, { errors: 'status' });
      for (let i = 0; i < b.count; i++) {
        const o = b.offsets[i];
        const n = b.offsets[i + 1] - o;
        if (n >= 3) expect(ref.discrete[i]).toBe(1); // (E(d): two centred points always tie)
        if (!ref.discrete[i]) continue;
        if (r.errors[i]) continue; // (a Lorentz set may have no frame)
        const full = canonicalLabeling(ref.edges.subarray(entriesBefore(b.offsets, i), entriesBefore(b.offsets, i) + n * n), { n, colors: ref.colour.subarray(o, o + n) });
        expect(full.size).toBe(1);
        expect(r.permutations.subarray(o, o + n), `${spec} input ${i}`).toEqual(full.labeling);
        expect(r.sizes[i]).toBe(1);
      }
    }
  });
});

function entriesBefore(offsets: Int32Array, i: number): number {
  let e = 0;
  for (let j = 0; j < i; j++) e += (offsets[j + 1] - offsets[j]) ** 2;
  return e;
}
