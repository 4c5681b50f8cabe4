/**
 * The canonical labeling engine against nauty, through fixtures recorded by
 * test/fixtures/nauty/generate.mjs (no nauty needed here): isomorphism classes,
 * |Aut| (exact) and orbit counts; generators are automorphisms; random relabelings
 * give identical canonical forms.
 */
import { describe, expect, it } from 'vitest';
import { canonicalLabelings, type CanonicalLabeling, type GraphInput } from '../src/graphs/canon.js';
import { rng } from '../src/testing/random.js';
import { fromGraph6, relabel, randomPermutation, isAutomorphism, key } from './helpers/graphs.js';
import { randomRegular, toCSR, toDense } from './helpers/families.js';
import small from './fixtures/nauty/small.json';
import families from './fixtures/nauty/families.json';
import random from './fixtures/nauty/random.json';
import relabelings from './fixtures/nauty/relabelings.json';

const u = rng(2024);

function check(g: { n: number; a: Int32Array }, r: CanonicalLabeling): void {
  const { n, a } = g;
  // labeling is a permutation and canonical = P·A·Pᵀ
  expect(new Set(r.labeling).size).toBe(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (r.canonical[i * n + j] !== a[r.labeling[i] * n + r.labeling[j]]) throw new Error(`canonical form differs at (${i}, ${j})`);
  for (const gen of r.generators) expect(isAutomorphism(a, n, gen)).toBe(true);
  expect(r.generators.length).toBeLessThanOrEqual(Math.max(0, n - 1));
  // orbits are labelled by their smallest vertex and are exactly the orbits of the generators
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  for (const gen of r.generators) for (let v = 0; v < n; v++) parent[Math.max(find(v), find(gen[v]))] = Math.min(find(v), find(gen[v]));
  for (let v = 0; v < n; v++) {
    expect(r.orbits[v]).toBeLessThanOrEqual(v);
    expect(r.orbits[v]).toBe(find(v));
  }
}

const orbitCount = (r: CanonicalLabeling) => new Set(r.orbits).size;

describe('every graph on up to 7 vertices (nauty-geng)', () => {
  for (let n = 1; n <= 7; n++) {
    it(`n = ${n}: ${small.counts[n as unknown as keyof typeof small.counts]} classes, |Aut| as nauty, relabelings agree`, () => {
      const g6 = small.graphs[n as unknown as keyof typeof small.graphs] as string[];
      const aut = small.aut[n as unknown as keyof typeof small.aut] as string[];
      const graphs = g6.map(fromGraph6);
      const inputs: GraphInput[] = [];
      for (const g of graphs) {
        inputs.push({ adjacency: g.a, n });
        for (let c = 0; c < 2; c++) inputs.push({ adjacency: relabel(g.a, n, randomPermutation(n, u)), n });
      }
      const out = canonicalLabelings(inputs);
      const forms = new Set<string>();
      graphs.forEach((g, i) => {
        const [r, r1, r2] = out.slice(3 * i, 3 * i + 3);
        check(g, r);
        expect(r.sizeExact).toBe(BigInt(aut[i]));
        expect(key(r1.canonical)).toBe(key(r.canonical));
        expect(key(r2.canonical)).toBe(key(r.canonical));
        forms.add(key(r.canonical));
      });
      expect(forms.size).toBe(small.counts[n as unknown as keyof typeof small.counts]);
      expect(forms.size).toBe([0, 1, 2, 4, 11, 34, 156, 1044][n]);
    });
  }
});

describe('symmetric families: |Aut| and orbits as nauty', () => {
  for (const f of families) {
    it(`${f.name}: |Aut| = ${f.aut.length > 20 ? f.aut.slice(0, 12) + '…' : f.aut}, ${f.orbits} orbit(s)`, () => {
      const g = fromGraph6(f.g6);
      const p = randomPermutation(g.n, u);
      const [r, r1] = canonicalLabelings([{ adjacency: g.a, n: g.n }, { adjacency: relabel(g.a, g.n, p), n: g.n }]);
      check(g, r);
      expect(r.sizeExact).toBe(BigInt(f.aut));
      expect(r.size).toBe(Number(BigInt(f.aut)));
      expect(orbitCount(r)).toBe(f.orbits);
      expect(key(r1.canonical)).toBe(key(r.canonical));
      expect(r1.sizeExact).toBe(r.sizeExact);
    });
  }
});

describe('random graphs (nauty-genrang), relabelled copies (nauty-ranlabg)', () => {
  it('|Aut| and orbits as nauty; copies agree; classes as labelg', () => {
    const graphs = random.map((r) => fromGraph6(r.g6));
    const copies = random.map((r) => fromGraph6(r.copy));
    const out = canonicalLabelings([...graphs, ...copies].map((g) => ({ adjacency: g.a, n: g.n })));
    const byClass = new Map<number, string>();
    const classOf = new Map<string, number>();
    random.forEach((f, i) => {
      const r = out[i];
      check(graphs[i], r);
      expect(r.sizeExact, f.name).toBe(BigInt(f.aut));
      expect(orbitCount(r), f.name).toBe(f.orbits);
      expect(key(out[random.length + i].canonical), f.name).toBe(key(r.canonical));
      const k = `${graphs[i].n}:${key(r.canonical)}`;
      if (byClass.has(f.class)) expect(byClass.get(f.class)).toBe(k);
      byClass.set(f.class, k);
      if (classOf.has(k)) expect(classOf.get(k)).toBe(f.class);
      classOf.set(k, f.class);
    });
  });
});

describe('small random regular graphs (nauty-genrang), each under many relabelings', () => {
  // Searches of these often defer a leader, a child that beat the best path, and
  // then meet a sibling that ties with all of its trace or beats it before its
  // trace's end (assembly/canon/search.ts): both once left the best leaf to the
  // order in which the children came, so relabelings of one graph got two forms.
  it('one canonical form per graph; |Aut| and orbits as nauty', () => {
    const graphs = relabelings.map((r) => fromGraph6(r.g6));
    const first = canonicalLabelings(graphs.map((g) => ({ adjacency: g.a, n: g.n })));
    graphs.forEach((g, i) => {
      check(g, first[i]);
      expect(first[i].sizeExact, relabelings[i].g6).toBe(BigInt(relabelings[i].aut));
      expect(orbitCount(first[i]), relabelings[i].g6).toBe(relabelings[i].orbits);
    });
    // (mismatches collected, not asserted one by one: 18,000 expects would take seconds)
    const differ: string[] = [];
    for (let t = 0; t < 6; t++) {
      const copies = graphs.map((g) => relabel(g.a, g.n, randomPermutation(g.n, u)));
      const out = canonicalLabelings(copies.map((a, i) => ({ adjacency: a, n: graphs[i].n })));
      out.forEach((r, i) => {
        if (key(r.canonical) !== key(first[i].canonical)) differ.push(relabelings[i].g6);
      });
    }
    expect(differ).toEqual([]);
  });
});

describe('canonical forms of searched graphs from 256 vertices (made on first read)', () => {
  it('are P·A·Pᵀ for dense, coloured, looped and directed input, and CSR agrees, whatever the input becomes after the call', () => {
    const n = 300;
    const g = randomRegular(n, 3, rng(300));
    const plain = toDense(g);
    // edge colours 1..3, a loop on every seventh vertex
    const coloured = plain.map((x, i) => (x === 0 ? 0 : 1 + ((Math.floor(i / n) + (i % n)) % 3)));
    for (let v = 0; v < n; v += 7) coloured[v * n + v] = 5;
    // each edge kept one way (the lower end's row) with colour 2, the other way colour 0 or 3
    const arcs = plain.map((x, i) => (x === 0 ? 0 : Math.floor(i / n) < i % n ? 2 : (i % 5) % 2 === 0 ? 0 : 3));
    const inputs: GraphInput[] = [
      { adjacency: plain, n },
      { adjacency: coloured, n },
      { adjacency: arcs, n, directed: true },
    ];
    const copies = inputs.map((x) => ({ n, a: Int32Array.from(x.adjacency as Int32Array) }));
    const out = canonicalLabelings([...inputs, { adjacency: toCSR(g), n }]);
    for (const x of inputs) (x.adjacency as Int32Array).fill(0);
    copies.forEach((c, i) => {
      expect(out[i].canonical).toBe(out[i].canonical);
      if (i < 2) check(c, out[i]);
      else for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) if (out[i].canonical[p * n + q] !== c.a[out[i].labeling[p] * n + out[i].labeling[q]]) throw new Error(`digraph form differs at (${p}, ${q})`);
    });
    expect(key(out[3].canonical)).toBe(key(out[0].canonical));
  });
});
