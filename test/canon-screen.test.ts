/**
 * The search's screen of the root's children (assembly/canon/search.ts, rootScreen:
 * root cells from 512 vertices), on graphs with a known group: asymmetric (the
 * screen walks every child), an involution (children with the greatest trace come
 * in pairs), vertex-transitive (the screen gives up at the second child). |Aut| as
 * nauty's dreadnaut gave it, orbits from the generators, generators that are
 * automorphisms, identical canonical forms for relabelled copies.
 */
import { describe, expect, it } from 'vitest';
import { canonicalLabelings, type CanonicalLabeling } from '../src/graphs/canon.js';
import { rng } from '../src/testing/random.js';
import { randomPermutation, key } from './helpers/graphs.js';
import { toCSR, relabelGraph, randomRegular, hypercube, grid, type SymmetricGraph } from './helpers/symmetric.mjs';

const u = rng(512);

/** The bipartite double of h: (v, 0) = 2v and (v, 1) = 2v + 1, each edge ab as (a,0)(b,1) and (a,1)(b,0); swapping the sides is an automorphism. */
function double(h: SymmetricGraph): SymmetricGraph {
  const e: number[] = [];
  for (let k = 0; k < h.edges.length; k += 2) {
    const [a, b] = [h.edges[k], h.edges[k + 1]];
    e.push(2 * a, 2 * b + 1, 2 * a + 1, 2 * b);
  }
  return { n: 2 * h.n, edges: Int32Array.from(e) };
}

const label = (g: SymmetricGraph): CanonicalLabeling => {
  const { rowPtr, col } = toCSR(g);
  return canonicalLabelings([{ adjacency: { rowPtr, col }, n: g.n }])[0];
};

/** Generators preserve the edges; the orbits are those the generators make, named by their smallest vertex. */
function checkGroup(g: SymmetricGraph, r: CanonicalLabeling): void {
  const { n } = g;
  const edges = new Set<number>();
  for (let k = 0; k < g.edges.length; k += 2) {
    edges.add(g.edges[k] * n + g.edges[k + 1]);
    edges.add(g.edges[k + 1] * n + g.edges[k]);
  }
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  for (const p of r.generators) {
    for (let k = 0; k < g.edges.length; k += 2) if (!edges.has(p[g.edges[k]] * n + p[g.edges[k + 1]])) throw new Error(`generator moves edge ${k / 2} off the graph`);
    for (let v = 0; v < n; v++) {
      const [x, y] = [find(v), find(p[v])];
      parent[Math.max(x, y)] = Math.min(x, y);
    }
  }
  for (let v = 0; v < n; v++) if (r.orbits[v] !== find(v)) throw new Error(`orbit of ${v}: ${r.orbits[v]}, generators give ${find(v)}`);
}

describe('the root screen of the search', () => {
  const cases: [string, SymmetricGraph, bigint][] = [
    ['random cubic, n = 600', randomRegular(600, 3, 600), 1n],
    ['bipartite double of a random cubic graph, n = 600', double(randomRegular(300, 3, 301)), 2n],
    ['hypercube Q10', hypercube(10), 3715891200n],
    ['torus 25 × 25', grid(25, 25, true), 5000n],
  ];
  for (const [name, g, aut] of cases) {
    it(`${name}: |Aut| = ${aut}, orbits, generators; relabelled copies agree`, () => {
      const r = label(g);
      expect(r.sizeExact).toBe(aut);
      checkGroup(g, r);
      for (let t = 0; t < 2; t++) {
        const c = label(relabelGraph(g, randomPermutation(g.n, u)));
        expect(c.sizeExact).toBe(aut);
        expect(key(c.canonical)).toBe(key(r.canonical));
      }
    });
  }
});
