/**
 * The canonical labeling kernel against plain TypeScript references: equitable
 * refinement (iterated colour refinement on vertex and edge colours) and brute-force
 * canonical forms and automorphism groups on small coloured graphs; the SIMD and
 * scalar builds give identical answers.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalLabelings, equitablePartitions, type GraphInput } from '../src/graphs/canon.js';
import { loadKernels } from '../src/wasm/module.js';
import { rng } from '../src/testing/random.js';
import { relabel, permuteColors, randomPermutation, isAutomorphism, key, fromGraph6, permutations } from './helpers/graphs.js';
import random from './fixtures/nauty/random.json';

const u = rng(7);

/** A random graph with edge colours 1..ec and vertex colours 0..vc-1. */
function coloured(n: number, p: number, ec: number, vc: number): GraphInput & { adjacency: Int32Array; colors: Int32Array } {
  const a = new Int32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (u() < p) a[i * n + j] = a[j * n + i] = 1 + Math.floor(u() * ec);
  return { adjacency: a, n, colors: Int32Array.from({ length: n }, () => Math.floor(u() * vc)) };
}

/** Colour refinement by signatures until the number of classes is stable. */
function refineReference(a: Int32Array, n: number, colors: Int32Array): Int32Array {
  let cls = Int32Array.from(colors);
  for (;;) {
    const sig = Array.from({ length: n }, (_, v) => {
      const nb: string[] = [];
      for (let w = 0; w < n; w++) if (a[v * n + w] !== 0 && w !== v) nb.push(`${a[v * n + w]}:${cls[w]}`);
      return `${cls[v]}|${nb.sort().join(',')}`;
    });
    const ids = new Map([...new Set(sig)].map((s, i) => [s, i]));
    const next = Int32Array.from(sig, (s) => ids.get(s)!);
    if (ids.size === new Set(cls).size) return next;
    cls = next;
  }
}

const samePartition = (x: Int32Array, y: Int32Array) => {
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) if ((x[i] === x[j]) !== (y[i] === y[j])) return false;
  return true;
};

describe('equitable refinement (canon_refine) against colour refinement', () => {
  it('random coloured graphs: same partition; cell order follows relabeling', () => {
    for (let t = 0; t < 200; t++) {
      const n = 1 + Math.floor(u() * 14);
      const g = coloured(n, [0.1, 0.3, 0.6][t % 3], 1 + (t % 3), 1 + (t % 2) * 2);
      const p = randomPermutation(n, u);
      const [cells, cellsP] = equitablePartitions([g, { adjacency: relabel(g.adjacency, n, p), n, colors: permuteColors(g.colors, p) }]);
      expect(samePartition(cells, refineReference(g.adjacency, n, g.colors))).toBe(true);
      for (let v = 0; v < n; v++) expect(cellsP[p[v]]).toBe(cells[v]);
    }
  });

  it('regular graphs stay one cell; colour classes in increasing colour id', () => {
    const g = fromGraph6(random.find((r) => r.name.startsWith('random 3-regular n=30'))!.g6);
    expect(new Set(equitablePartitions([{ adjacency: g.a, n: g.n }])[0]).size).toBe(1);
    const colors = Int32Array.from({ length: g.n }, (_, v) => (v % 3 === 0 ? 9 : -4));
    const cells = equitablePartitions([{ adjacency: g.a, n: g.n, colors }])[0];
    for (let v = 0; v < g.n; v++) if (colors[v] === -4) for (let w = 0; w < g.n; w++) if (colors[w] === 9) expect(cells[v]).toBeLessThan(cells[w]);
  });
});

describe('canonical labeling against brute force on coloured graphs', () => {
  it('n <= 6: canonical forms agree exactly on isomorphic inputs, |Aut| = number of colour-preserving automorphisms', () => {
    for (let t = 0; t < 150; t++) {
      const n = 1 + (t % 6);
      const g = coloured(n, 0.5, 1 + (t % 3), 1 + (t % 2));
      let aut = 0;
      for (const p of permutations(n)) if (isAutomorphism(g.adjacency, n, p, g.colors)) aut++;
      const p = randomPermutation(n, u);
      const [r, rp] = canonicalLabelings([g, { adjacency: relabel(g.adjacency, n, p), n, colors: permuteColors(g.colors, p) }]);
      expect(r.size).toBe(aut);
      expect(key(rp.canonical)).toBe(key(r.canonical));
      expect(key(rp.canonicalColors)).toBe(key(r.canonicalColors));
      for (const gen of r.generators) expect(isAutomorphism(g.adjacency, n, gen, g.colors)).toBe(true);
    }
  });

  it('non-isomorphic coloured graphs get different canonical forms', () => {
    // same underlying 4-cycle, colour patterns that no rotation or reflection relates
    const c4 = new Int32Array([0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0]);
    const [x, y] = canonicalLabelings([{ adjacency: c4, n: 4, colors: [1, 1, 2, 2] }, { adjacency: c4, n: 4, colors: [1, 2, 1, 2] }]);
    expect(key(x.canonical) + key(x.canonicalColors)).not.toBe(key(y.canonical) + key(y.canonicalColors));
    const e = (c: number) => new Int32Array([0, c, 1, c, 0, 1, 1, 1, 0]);
    const [p, q] = canonicalLabelings([{ adjacency: e(1), n: 3 }, { adjacency: e(2), n: 3 }]);
    expect(key(p.canonical)).not.toBe(key(q.canonical));
  });

  it('a weighted complete graph is refined on its edge colours (K_n with one distinct edge)', () => {
    const n = 12;
    const a = new Int32Array(n * n).fill(1);
    for (let i = 0; i < n; i++) a[i * n + i] = 0;
    a[2 * n + 7] = a[7 * n + 2] = 5;
    const r = canonicalLabelings([{ adjacency: a, n }])[0];
    // Aut = S2 × S10
    expect(r.sizeExact).toBe(2n * 3628800n);
    expect(new Set(r.orbits).size).toBe(2);
  });
});

describe('directed graphs', () => {
  it('n <= 6: |Aut| = arc- and colour-preserving permutations; relabelled copies agree; canonical = P·A·Pᵀ', () => {
    for (let t = 0; t < 150; t++) {
      const n = 1 + (t % 6);
      const a = new Int32Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && u() < 0.4) a[i * n + j] = 1 + Math.floor(u() * (1 + (t % 2)));
      const colors = Int32Array.from({ length: n }, () => Math.floor(u() * (1 + (t % 3 === 0 ? 1 : 0))));
      let aut = 0;
      for (const p of permutations(n)) if (isAutomorphism(a, n, p, colors)) aut++;
      const p = randomPermutation(n, u);
      const [r, rp] = canonicalLabelings([{ adjacency: a, n, colors, directed: true }, { adjacency: relabel(a, n, p), n, colors: permuteColors(colors, p), directed: true }]);
      expect(r.size).toBe(aut);
      expect(key(rp.canonical)).toBe(key(r.canonical));
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(r.canonical[i * n + j]).toBe(a[r.labeling[i] * n + r.labeling[j]]);
      for (const gen of r.generators) expect(isAutomorphism(a, n, gen, colors)).toBe(true);
    }
  });

  it('a directed cycle has only its rotations; the reversed cycle is isomorphic, a path is not', () => {
    const n = 7;
    const cyc = new Int32Array(n * n);
    const rev = new Int32Array(n * n);
    for (let i = 0; i < n; i++) {
      cyc[i * n + ((i + 1) % n)] = 1;
      rev[((i + 1) % n) * n + i] = 1;
    }
    const path = Int32Array.from(cyc);
    path[(n - 1) * n] = 0;
    const [c, r, q] = canonicalLabelings([cyc, rev, path].map((adjacency) => ({ adjacency, n, directed: true })));
    expect(c.size).toBe(7);
    expect(key(r.canonical)).toBe(key(c.canonical));
    expect(key(q.canonical)).not.toBe(key(c.canonical));
    expect(() => canonicalLabelings([{ adjacency: { rowPtr: [0, 0], col: [] }, n: 1, directed: true }])).toThrow('input 0: directed graphs take a dense n×n adjacency, not CSR');
  });
});

describe('inputs and scale', () => {
  it('CSR and dense input of the same coloured graph agree, in one mixed batch', () => {
    const g = coloured(12, 0.4, 3, 2);
    const n = 12;
    const rowPtr = [0];
    const col: number[] = [];
    const ec: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (g.adjacency[i * n + j]) col.push(j), ec.push(g.adjacency[i * n + j]);
      rowPtr.push(col.length);
    }
    const [d, c] = canonicalLabelings([g, { adjacency: { rowPtr, col }, edgeColors: ec, n, colors: g.colors }]);
    expect(key(c.canonical)).toBe(key(d.canonical));
    expect(key(c.labeling)).toBe(key(d.labeling));
    expect(c.sizeExact).toBe(d.sizeExact);
  });

  it('CSR symmetry: rows in any order are accepted as the dense input; a reverse entry missing or of another colour is rejected', () => {
    // a random coloured graph with its rows in random orders, and perhaps one entry dropped or recoloured
    const graph = fc.integer({ min: 2, max: 9 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: 1, max: 3 })), { maxLength: 20 }),
        order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n }),
        fault: fc.option(fc.tuple(fc.nat(), fc.boolean()), { nil: null }),
      }),
    );
    fc.assert(
      fc.property(graph, ({ n, edges, order, fault }) => {
        const a = new Int32Array(n * n);
        for (const [i, j, c] of edges) if (i !== j) a[i * n + j] = a[j * n + i] = c;
        const rows = Array.from({ length: n }, (_, i) => [...Array(n).keys()].filter((j) => a[i * n + j] !== 0).sort((x, y) => order[i * n + x] - order[i * n + y]));
        const colour = rows.map((r, i) => r.map((j) => a[i * n + j]));
        const m = rows.reduce((t, r) => t + r.length, 0);
        const broken = fault !== null && m > 0;
        if (broken) {
          let k = fault[0] % m;
          const i = rows.findIndex((r) => (k -= r.length) < 0);
          const at = k + rows[i].length;
          if (fault[1]) colour[i][at] = 1 + (colour[i][at] % 3);
          else rows[i].splice(at, 1), colour[i].splice(at, 1);
        }
        const rowPtr = [0];
        for (const r of rows) rowPtr.push(rowPtr[rowPtr.length - 1] + r.length);
        const csr = { adjacency: { rowPtr, col: rows.flat() }, edgeColors: colour.flat(), n };
        if (broken) {
          expect(() => canonicalLabelings([csr])).toThrow('graph adjacency must be symmetric');
          return;
        }
        const [d, c] = canonicalLabelings([{ adjacency: a, n }, csr]);
        expect(key(c.labeling)).toBe(key(d.labeling));
        expect(key(c.canonical)).toBe(key(d.canonical));
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('K_200 and the empty graph on 200 vertices: |Aut| = 200! exactly, 199 generators', () => {
    const n = 200;
    let fact = 1n;
    for (let i = 2n; i <= 200n; i++) fact *= i;
    const k = new Int32Array(n * n).fill(1);
    for (let i = 0; i < n; i++) k[i * n + i] = 0;
    const [a, b] = canonicalLabelings([{ adjacency: k, n }, { adjacency: new Int32Array(n * n), n }]);
    for (const r of [a, b]) {
      expect(r.sizeExact).toBe(fact);
      expect(r.size).toBe(Infinity);
      expect(r.generators.length).toBe(199);
      expect(new Set(r.orbits).size).toBe(1);
    }
  });
});

describe('SIMD and scalar builds', () => {
  it('identical labelings, orbits, sizes, generators and canonical forms (loops, n not a multiple of 4)', () => {
    const simd = loadKernels({ simd: true });
    const scalar = loadKernels({ simd: false });
    const graphs: GraphInput[] = random.slice(0, 60).map((r) => {
      const g = fromGraph6(r.g6);
      return { adjacency: g.a, n: g.n };
    });
    for (let t = 0; t < 40; t++) graphs.push(coloured(3 + (t % 20), 0.3, 3, 2));
    // loops: the dense diagonal, which canon_csr skips lane by lane
    for (let t = 0; t < 12; t++) {
      const g = coloured(5 + 3 * t, 0.5, 3, 2);
      for (let i = 0; i < g.n; i++) if (u() < 0.3) g.adjacency[i * g.n + i] = 1 + Math.floor(u() * 2);
      graphs.push(g);
    }
    const a = canonicalLabelings(graphs, simd);
    const b = canonicalLabelings(graphs, scalar);
    a.forEach((r, i) => {
      expect(key(r.labeling)).toBe(key(b[i].labeling));
      expect(key(r.orbits)).toBe(key(b[i].orbits));
      expect(r.sizeExact).toBe(b[i].sizeExact);
      expect(r.generators.map(key)).toEqual(b[i].generators.map(key));
      expect(key(r.canonical)).toBe(key(b[i].canonical));
      const { n, adjacency } = graphs[i] as { n: number; adjacency: Int32Array };
      for (let x = 0; x < n; x++) for (let y = 0; y < n; y++) if (r.canonical[x * n + y] !== adjacency[r.labeling[x] * n + r.labeling[y]]) throw new Error(`graph ${i}: canonical form differs at (${x}, ${y})`);
    });
  });
});

describe('canonical forms from bits (0/1 graphs) and from CSR (edge colours)', () => {
  it('C = A[lab][lab] across word and SIMD edges, mixed in one batch, with loops, float and byte inputs, in both builds', () => {
    const graphs: GraphInput[] = [];
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 35, 63, 64, 65, 67, 96, 100, 127]) {
      for (const ec of [1, 3]) {
        const g = coloured(n, n > 60 ? 0.1 : 0.4, ec, 2);
        // a 0/1 graph with loops (its diagonal is not in the bits), and the same as floats and bytes
        if (ec === 1 && n % 2 === 1) for (let i = 0; i < n; i++) if (u() < 0.3) g.adjacency[i * n + i] = 2;
        graphs.push(g);
        if (ec === 1) graphs.push({ ...g, adjacency: Float64Array.from(g.adjacency) }, { ...g, adjacency: Uint8Array.from(g.adjacency) });
      }
    }
    const want = canonicalLabelings(graphs, loadKernels({ simd: true }));
    const scalar = canonicalLabelings(graphs, loadKernels({ simd: false }));
    want.forEach((r, i) => {
      const { n, adjacency } = graphs[i] as { n: number; adjacency: ArrayLike<number> };
      for (let x = 0; x < n; x++) for (let y = 0; y < n; y++) if (r.canonical[x * n + y] !== adjacency[r.labeling[x] * n + r.labeling[y]]) throw new Error(`graph ${i} (n = ${n}): canonical form differs at (${x}, ${y})`);
      expect(key(scalar[i].canonical)).toBe(key(r.canonical));
    });
  });
});

describe('batches in slices', () => {
  it('a graph labelled in any batch gets the arrays it gets alone; results are independent arrays', () => {
    // sizes that put slice boundaries everywhere, loops, colours, CSR, a digraph, and
    // graphs with more generators than the first run has room for (re-labelled)
    const graphs: GraphInput[] = [];
    for (let t = 0; t < 90; t++) {
      const n = 1 + ((t * 37) % 120);
      const g = coloured(n, t % 3 === 0 ? 0.05 : 0.3, 1 + (t % 3), 1 + (t % 2));
      if (t % 7 === 0) for (let i = 0; i < n; i++) if (u() < 0.2) g.adjacency[i * n + i] = 1 + Math.floor(u() * 3);
      graphs.push(g);
      if (t === 20 || t === 61) graphs.push({ adjacency: new Int32Array(60 * 60), n: 60 }); // 59 generators
      if (t === 40) {
        const rowPtr = [0];
        const col: number[] = [];
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) if (i !== j && g.adjacency[i * n + j] !== 0) col.push(j);
          rowPtr.push(col.length);
        }
        graphs.push({ adjacency: { rowPtr, col }, n, colors: g.colors });
      }
      if (t === 50) graphs.push({ adjacency: Int32Array.from(g.adjacency, (v, i) => (i % 3 === 0 ? v : 0)), n, directed: true });
    }
    const all = canonicalLabelings(graphs);
    const arrays = (r: (typeof all)[number]) => [r.labeling, r.canonical, r.canonicalColors, r.orbits, ...r.generators];
    graphs.forEach((g, i) => {
      const [one] = canonicalLabelings([g]);
      expect(arrays(all[i]).map(key), `graph ${i}`).toEqual(arrays(one).map(key));
      expect(all[i].sizeExact).toBe(one.sizeExact);
    });
    expect(all[21].generators).toHaveLength(59);
    // views of shared copies, but no two arrays share an element
    all.forEach((r, i) => arrays(r).forEach((a, j) => a.fill(1000 * i + j)));
    all.forEach((r, i) => arrays(r).forEach((a, j) => expect(a.every((v) => v === 1000 * i + j), `graph ${i} array ${j}`).toBe(true)));
  });
});
