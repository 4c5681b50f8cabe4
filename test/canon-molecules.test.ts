/**
 * Molecules as coloured graphs (atoms by atomic number, bonds by order, aromatic
 * bonds apart), recorded from SMILES with @rdkit/rdkit and checked by dreadnaut in
 * test/fixtures/molecules/generate.mjs: exact |Aut| and orbits as nauty, identical
 * canonical forms for relabelled copies, generators that are automorphisms.
 */
import { describe, expect, it } from 'vitest';
import { canonicalLabelings, canonicalLabelingsReducedFrom, type GraphInput } from '../src/graphs/canon.js';
import { rng } from '../src/testing/random.js';
import { randomPermutation, key } from './helpers/graphs.js';
import { toCSR, relabelGraph, type SymmetricGraph } from './helpers/symmetric.mjs';
import molecules from './fixtures/molecules/molecules.json';

const u = rng(60);

const input = (g: SymmetricGraph): GraphInput => {
  const { rowPtr, col, edgeColors } = toCSR(g);
  return { adjacency: { rowPtr, col }, edgeColors, n: g.n, colors: g.colors };
};

describe('molecules: |Aut| and orbits as nauty', () => {
  for (const m of molecules) {
    it(`${m.name} (${m.n} atoms): |Aut| = ${m.aut.length > 16 ? m.aut.slice(0, 8) + '…' : m.aut}`, () => {
      const g: SymmetricGraph = { n: m.n, edges: Int32Array.from(m.edges), colors: Int32Array.from(m.colors), edgeColors: Int32Array.from(m.edgeColors) };
      const p = randomPermutation(g.n, u);
      const h = relabelGraph(g, p);
      const [r, rh] = canonicalLabelings([input(g), input(h)]);
      // small molecules are searched by canonicalLabelings: the reductions too, alone
      const [q, qh] = canonicalLabelingsReducedFrom([input(g), input(h)], 1);
      expect(q.sizeExact).toBe(BigInt(m.aut));
      expect(Array.from(q.orbits)).toEqual(m.orbits);
      expect(key(qh.canonical)).toBe(key(q.canonical));
      expect(r.sizeExact).toBe(BigInt(m.aut));
      expect(Array.from(r.orbits)).toEqual(m.orbits);
      expect(key(rh.canonical)).toBe(key(r.canonical));
      expect(key(rh.canonicalColors)).toBe(key(r.canonicalColors));
      const bond = new Map<number, number>();
      for (let k = 0; k < g.edges.length; k += 2) {
        bond.set(g.edges[k] * g.n + g.edges[k + 1], g.edgeColors![k / 2]);
        bond.set(g.edges[k + 1] * g.n + g.edges[k], g.edgeColors![k / 2]);
      }
      r.generators.forEach((s, i) => {
        for (let v = 0; v < g.n; v++) if (g.colors![s[v]] !== g.colors![v]) throw new Error(`generator ${i} moves atom ${v} to another element`);
        for (let k = 0; k < g.edges.length; k += 2) if (bond.get(s[g.edges[k]] * g.n + s[g.edges[k + 1]]) !== g.edgeColors![k / 2]) throw new Error(`generator ${i} moves bond ${k / 2} off the molecule`);
      });
    });
  }
});
