/**
 * Labeling without search (src/graphs/reduce.ts: twins, components, trees) against
 * nauty's answers recorded by test/fixtures/nauty/large.mjs, and against brute force
 * on small coloured graphs built to be full of twins: exact |Aut|, orbits vertex by
 * vertex, generators that are automorphisms and give the orbits, identical canonical
 * forms for relabelled copies. Small graphs take the reductions through
 * canonicalLabelingsReducedFrom (canonicalLabelings searches graphs below REDUCE_FROM).
 */
import { describe, expect, it } from 'vitest';
import { canonicalLabelings, canonicalLabelingsReducedFrom, REDUCE_FROM, type CanonicalLabeling, type GraphInput } from '../src/graphs/canon.js';
import { rng } from '../src/testing/random.js';
import { randomPermutation, relabel, permuteColors, isAutomorphism, key, permutations } from './helpers/graphs.js';
import { toCSR, relabelGraph, type SymmetricGraph } from './helpers/symmetric.mjs';
import { cases } from './fixtures/nauty/large.mjs';
import large from './fixtures/nauty/large.json';

const u = rng(12);

type G = SymmetricGraph;

const input = (g: G): GraphInput => {
  const { rowPtr, col, edgeColors } = toCSR(g);
  return { adjacency: { rowPtr, col }, edgeColors, n: g.n, colors: g.colors };
};

/** The canonical form as a sorted edge list of (position, position, colour), and the colours in order. */
function form(g: G, r: CanonicalLabeling): string {
  const pos = new Int32Array(g.n);
  r.labeling.forEach((v, i) => (pos[v] = i));
  const e: [number, number, number][] = [];
  for (let k = 0; k < g.edges.length; k += 2) {
    const [a, b] = [pos[g.edges[k]], pos[g.edges[k + 1]]];
    e.push([Math.min(a, b), Math.max(a, b), g.edgeColors ? g.edgeColors[k / 2] : 1]);
  }
  e.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return `${key(r.canonicalColors)}|${e.join(';')}`;
}

/** Generators preserve edges with colours and vertex colours; their orbits are r.orbits. */
function checkGenerators(g: G, r: CanonicalLabeling): void {
  const { n } = g;
  const edges = new Map<number, number>();
  for (let k = 0; k < g.edges.length; k += 2) {
    const c = g.edgeColors ? g.edgeColors[k / 2] : 1;
    edges.set(g.edges[k] * n + g.edges[k + 1], c);
    edges.set(g.edges[k + 1] * n + g.edges[k], c);
  }
  expect(r.generators.length).toBeLessThanOrEqual(Math.max(0, n - 1));
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  for (const p of r.generators) {
    expect(new Set(p).size).toBe(n);
    for (let k = 0; k < g.edges.length; k += 2) {
      const [a, b] = [p[g.edges[k]], p[g.edges[k + 1]]];
      if (edges.get(a * n + b) !== (g.edgeColors ? g.edgeColors[k / 2] : 1)) throw new Error(`generator moves edge ${k / 2} off the graph`);
    }
    if (g.colors) for (let v = 0; v < n; v++) if (g.colors[p[v]] !== g.colors[v]) throw new Error(`generator moves ${v} to another colour`);
    for (let v = 0; v < n; v++) {
      const [x, y] = [find(v), find(p[v])];
      parent[Math.max(x, y)] = Math.min(x, y);
    }
  }
  for (let v = 0; v < n; v++) if (find(v) !== r.orbits[v]) throw new Error(`orbit of ${v}: generators give ${find(v)}, orbits ${r.orbits[v]}`);
}

describe('large symmetric graphs: |Aut| and orbits as nauty', () => {
  const answers = new Map(large.map((c) => [c.name, c]));
  for (const [name, build] of cases) {
    it(name, () => {
      const g = build();
      const nauty = answers.get(name)!;
      const p = randomPermutation(g.n, u);
      const h = relabelGraph(g, p);
      // graphs the public call searches go through the reductions too
      for (const label of g.n < REDUCE_FROM ? [canonicalLabelings, (x: GraphInput[]) => canonicalLabelingsReducedFrom(x, 1)] : [canonicalLabelings]) {
        const [r, rh] = label([input(g), input(h)]);
        checkAgainst(g, h, p, r, rh, nauty);
      }
    }, 30_000);
  }
});

/** r (of g) and rh (of its relabelling h = p·g) against nauty's |Aut| and orbits, and each other. */
function checkAgainst(g: SymmetricGraph, h: SymmetricGraph, p: Int32Array, r: CanonicalLabeling, rh: CanonicalLabeling, nauty: { aut: string; orbits: number[] }): void {
  expect(r.sizeExact).toBe(BigInt(nauty.aut));
  expect(rh.sizeExact).toBe(BigInt(nauty.aut));
  expect(Array.from(r.orbits)).toEqual(nauty.orbits);
  expect(form(h, rh)).toBe(form(g, r));
  checkGenerators(g, r);
  // the relabelled copy's orbits are the images of the original's
  for (let v = 0; v < g.n; v++) expect(rh.orbits[p[v]]).toBe(rh.orbits[p[r.orbits[v]]]);
}

/**
 * A small graph full of twins, components and trees: a random quotient on q vertices
 * blown up into classes of random sizes, each class a clique (of one colour) or an
 * independent set, colours sometimes breaking the symmetry.
 */
function twinny(n: number): { adjacency: Int32Array; n: number; colors: Int32Array } {
  const q = 1 + Math.floor(u() * Math.min(4, n));
  const cls = Int32Array.from({ length: n }, (_, v) => (v < q ? v : Math.floor(u() * q)));
  const qa = new Int32Array(q * q);
  for (let i = 0; i < q; i++) for (let j = i + 1; j < q; j++) if (u() < 0.45) qa[i * q + j] = qa[j * q + i] = 1 + Math.floor(u() * 2);
  const inner = Int32Array.from({ length: q }, () => (u() < 0.5 ? 0 : 1 + Math.floor(u() * 2)));
  const a = new Int32Array(n * n);
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      if (x === y) continue;
      a[x * n + y] = cls[x] === cls[y] ? inner[cls[x]] : qa[cls[x] * q + cls[y]];
      // an occasional extra edge breaks twins apart
      if (x < y && u() < 0.04) a[x * n + y] = a[y * n + x] = 1;
    }
  }
  for (let x = 0; x < n; x++) for (let y = 0; y < x; y++) a[x * n + y] = a[y * n + x];
  const colors = Int32Array.from({ length: n }, (_, v) => (u() < 0.2 ? 1 + (v % 2) : 0));
  return { adjacency: a, n, colors };
}

describe('graphs full of twins against brute force', () => {
  it('n <= 7, vertex and edge colours: |Aut|, orbits, generators, canonical forms of relabelled copies', () => {
    for (let t = 0; t < 400; t++) {
      const n = 1 + (t % 7);
      const g = twinny(n);
      const auts: Int32Array[] = [];
      for (const p of permutations(n)) if (isAutomorphism(g.adjacency, n, p, g.colors)) auts.push(p);
      const p = randomPermutation(n, u);
      const [r, rp] = canonicalLabelingsReducedFrom([g, { adjacency: relabel(g.adjacency, n, p), n, colors: permuteColors(g.colors, p) }], 1);
      expect(r.sizeExact).toBe(BigInt(auts.length));
      for (let v = 0; v < n; v++) expect(r.orbits[v]).toBe(Math.min(...auts.map((s) => s[v])));
      expect(key(rp.canonical)).toBe(key(r.canonical));
      expect(key(rp.canonicalColors)).toBe(key(r.canonicalColors));
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(r.canonical[i * n + j]).toBe(g.adjacency[r.labeling[i] * n + r.labeling[j]]);
      for (const s of r.generators) expect(isAutomorphism(g.adjacency, n, s, g.colors)).toBe(true);
    }
  });
});

describe('graphs without edges', () => {
  it('colour classes in colour order, each an orbit of |K|! automorphisms, small and past REDUCE_FROM', () => {
    for (let t = 0; t < 60; t++) {
      const n = t < 30 ? 1 + (t % 9) : REDUCE_FROM + 37 * t;
      const k = 1 + (t % 4);
      const colors = Int32Array.from({ length: n }, () => Math.floor(u() * k) * (t % 2 ? -3 : 5));
      const empty = { adjacency: { rowPtr: new Int32Array(n + 1), col: new Int32Array(0) }, n, colors };
      const [r] = canonicalLabelingsReducedFrom([empty], 1);
      const order = Array.from({ length: n }, (_, v) => v).sort((a, b) => colors[a] - colors[b] || a - b);
      expect(Array.from(r.labeling)).toEqual(order);
      const sizes = new Map<number, number>();
      for (const c of colors) sizes.set(c, (sizes.get(c) ?? 0) + 1);
      let aut = 1n;
      for (const s of sizes.values()) for (let i = 2n; i <= BigInt(s); i++) aut *= i;
      expect(r.sizeExact).toBe(aut);
      const firstOf = new Map<number, number>();
      colors.forEach((c, v) => firstOf.has(c) || firstOf.set(c, v));
      expect(Array.from(r.orbits)).toEqual(Array.from(colors, (c) => firstOf.get(c)));
      if (n < 10) checkGenerators({ n, edges: new Int32Array(0), colors }, r);
      const p = randomPermutation(n, u);
      const [rp] = canonicalLabelings([{ ...empty, colors: permuteColors(colors, p) }]);
      expect(key(rp.canonicalColors)).toBe(key(r.canonicalColors));
    }
  });
});

describe('coloured cycles against brute force', () => {
  it('n = 3..8, vertex and edge colours of random periods: dihedral or cyclic |Aut|, orbits, canonical forms', () => {
    for (let t = 0; t < 300; t++) {
      const n = 3 + (t % 6);
      const period = 1 + Math.floor(u() * n);
      const vc = Array.from({ length: period }, () => Math.floor(u() * 2));
      const ec = Array.from({ length: period }, () => 1 + Math.floor(u() * 2));
      const a = new Int32Array(n * n);
      for (let i = 0; i < n; i++) a[i * n + ((i + 1) % n)] = a[((i + 1) % n) * n + i] = ec[i % period];
      const colors = Int32Array.from({ length: n }, (_, v) => vc[v % period]);
      const auts: Int32Array[] = [];
      for (const p of permutations(n)) if (isAutomorphism(a, n, p, colors)) auts.push(p);
      const p = randomPermutation(n, u);
      const [r, rp] = canonicalLabelingsReducedFrom([{ adjacency: a, n, colors }, { adjacency: relabel(a, n, p), n, colors: permuteColors(colors, p) }], 1);
      expect(r.sizeExact).toBe(BigInt(auts.length));
      for (let v = 0; v < n; v++) expect(r.orbits[v]).toBe(Math.min(...auts.map((s) => s[v])));
      expect(key(rp.canonical)).toBe(key(r.canonical));
      expect(key(rp.canonicalColors)).toBe(key(r.canonicalColors));
      for (const s of r.generators) expect(isAutomorphism(a, n, s, colors)).toBe(true);
    }
  });
});
