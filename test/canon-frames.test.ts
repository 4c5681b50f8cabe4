/**
 * Graph frames ('graph', 'weighted-graph'): canonical P·A·Pᵀ, |Aut|, orbit
 * averaging of node and edge outputs, group enumeration with a cap, weight
 * clustering; and the errors for bad input, message by message.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { graphFrame, graphFrames, orbitsOnPairs } from '../src/frames/graph.js';
import { clusterIds } from '../src/frames/cluster.js';
import { canonicalLabeling, canonicalLabelings } from '../src/graphs/canon.js';
import { group } from '../src/groups.js';
import { canonicalize, canonicalizeBatch } from '../src/canonicalize.js';
import { equivariant } from '../src/average.js';
import { rng } from '../src/testing/random.js';
import { relabel, randomPermutation, fromGraph6 } from './helpers/graphs.js';
import families from './fixtures/nauty/families.json';

const u = rng(99);
const family = (name: string) => fromGraph6(families.find((f) => f.name === name)!.g6);

describe('graph frames', () => {
  it('canonical = P·A·Pᵀ and equal for relabelled copies; |Aut| of the Petersen graph', () => {
    const { n, a } = family('generalized Petersen P(5,2)');
    const p = randomPermutation(n, u);
    const [f, g] = graphFrames([{ adjacency: a, options: { n } }, { adjacency: relabel(a, n, p), options: { n } }]);
    expect(f.size).toBe(120);
    expect(f.sizeExact).toBe(120n);
    expect(Array.from(g.canonical)).toEqual(Array.from(f.canonical));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(f.canonical[i * n + j]).toBe(a[f.permutation[i] * n + f.permutation[j]]);
  });

  it('node outputs average over vertex orbits, edge outputs over orbits on pairs, in input order', () => {
    // a path 0-1-2-3 plus a pendant 4 on vertex 1: Aut = {id, (0 4)}
    const n = 5;
    const a = new Int32Array(n * n);
    for (const [i, j] of [[0, 1], [1, 2], [2, 3], [1, 4]]) a[i * n + j] = a[j * n + i] = 1;
    const f = graphFrame(a, { n });
    expect(f.size).toBe(2);
    const y = Float64Array.from({ length: n }, (_, i) => i * 10);
    const avg = f.averageNodes(y);
    const pos = new Int32Array(n);
    f.permutation.forEach((v, i) => (pos[v] = i));
    expect(avg[0]).toBeCloseTo((y[pos[0]] + y[pos[4]]) / 2, 12);
    expect(avg[4]).toBe(avg[0]);
    expect(avg[2]).toBe(y[pos[2]]);
    const e = Float64Array.from({ length: n * n * 2 }, () => u());
    const ea = f.averageEdges(e, 2);
    const at = (i: number, j: number, c: number) => e[(pos[i] * n + pos[j]) * 2 + c];
    for (let c = 0; c < 2; c++) {
      expect(ea[(0 * n + 1) * 2 + c]).toBeCloseTo((at(0, 1, c) + at(4, 1, c)) / 2, 12);
      expect(ea[(1 * n + 2) * 2 + c]).toBe(at(1, 2, c));
    }
  });

  it('averaging makes outputs equivariant: a model that sees labels becomes label-free', () => {
    const { n, a } = family('cycle C10');
    const model = (c: Float64Array) => Float64Array.from({ length: n }, (_, i) => Math.sin(i + c[i * n + (i + 1) % n]));
    const p = randomPermutation(n, u);
    const f = graphFrame(a, { n });
    const g = graphFrame(relabel(a, n, p), { n });
    const yf = f.averageNodes(model(f.canonical));
    const yg = g.averageNodes(model(g.canonical));
    for (let v = 0; v < n; v++) expect(yg[p[v]]).toBeCloseTo(yf[v], 12);
    // C10 is vertex-transitive: every node gets the mean
    for (let v = 1; v < n; v++) expect(yf[v]).toBeCloseTo(yf[0], 12);
  });

  it('elements() lists the group up to the cap and refuses past it', () => {
    const { n, a } = family('hypercube Q3');
    const f = graphFrame(a, { n });
    const els = f.elements();
    expect(els.length).toBe(48);
    expect(new Set(els.map((e) => e.join(','))).size).toBe(48);
    expect(() => f.elements(47)).toThrow(RangeError);
    expect(() => f.elements(47)).toThrow('the automorphism group has 48 elements, more than the cap of 47');
    const k = family('complete K40');
    expect(() => graphFrame(k.a, { n: k.n }).elements()).toThrow(/815915283247897734345611269596115894272000000000 elements/);
  });

  it('the generators generate Aut: elements() has |Aut| distinct automorphisms', () => {
    for (const f of families.filter((x) => BigInt(x.aut) <= 5000n)) {
      const { n, a } = fromGraph6(f.g6);
      const els = graphFrame(a, { n }).elements();
      expect(els.length, f.name).toBe(Number(f.aut));
    }
  });

  it('orbits on pairs of K_{3,4}: diagonal (2 orbits), edges (2), non-edges (2)', () => {
    const { n, a } = family('complete bipartite K3,4');
    const r = canonicalLabeling(a, { n });
    expect(new Set(orbitsOnPairs(n, r.generators)).size).toBe(6);
  });
});

describe("group('graph') and group('weighted-graph')", () => {
  it('canonicalize(group(...), A, { n }) gives the graph frame', () => {
    const { n, a } = family('hypercube Q4');
    expect(group('graph').spec).toBe('graph');
    expect(group('weighted-graph').weighted).toBe(true);
    expect(group(' weighted-graph ').spec).toBe('weighted-graph');
    const f = canonicalize(group('graph'), a, { n });
    expect(f.size).toBe(384);
    expect(f.sizeExact).toBe(384n);
    expect(Array.from(canonicalize('graph', relabel(a, n, randomPermutation(n, u)), { n }).canonical)).toEqual(Array.from(f.canonical));
    const w = Float64Array.from(a, (x) => x * 0.3);
    expect(canonicalize('weighted-graph', w, { n }).size).toBe(384);
  });
  it('point-set calls refuse graph groups; a graph batch needs vertex offsets', () => {
    expect(() => canonicalizeBatch('graph', { data: new Float64Array(4), dim: 2, count: 1 } as never)).toThrow(/^minframe: a graph batch needs offsets: count\+1 vertex offsets/);
    // the wrappers take graph groups, with graph output kinds
    expect(() => equivariant('weighted-graph', (x: Float64Array) => x, { output: 'vectors' })).toThrow(/output must be 'nodes' or 'edges' for weighted-graph, got vectors/);
  });
});

describe('weighted graphs', () => {
  it('clusterIds: ids by increasing value, gaps above tol·scale split, zero kept apart', () => {
    expect(Array.from(clusterIds([3, 1, 1 + 1e-12, 2, 3 - 1e-13], 1e-9))).toEqual([3, 1, 1, 2, 3]);
    expect(Array.from(clusterIds([0, 1e-12, 0.5, -0.5], 1e-9, { zero: true }))).toEqual([0, 0, 2, 1]);
    expect(Array.from(clusterIds([1, 1.1, 1.2], 0.06))).toEqual([1, 2, 3]);
    expect(Array.from(clusterIds([1, 1.1, 1.2], 0.1))).toEqual([1, 1, 1]);
  });

  it('weights equal up to noise far below tol give the same frame; noise far above breaks the symmetry', () => {
    const n = 6;
    // a weighted 6-cycle with alternating weights 1.5, 2.5: Aut = D3, order 6
    const w = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      w[i * n + j] = w[j * n + i] = i % 2 ? 2.5 : 1.5;
    }
    const f = graphFrame(w, { n, weighted: true });
    expect(f.size).toBe(6);
    const noisy = Float64Array.from(w);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (w[i * n + j]) noisy[i * n + j] = noisy[j * n + i] = w[i * n + j] * (1 + 1e-13 * (u() - 0.5));
    expect(graphFrame(noisy, { n, weighted: true }).size).toBe(6);
    const broken = Float64Array.from(w);
    broken[1] = broken[n] = 1.5 + 1e-3;
    // one edge off: only the reflection through that edge is left
    expect(graphFrame(broken, { n, weighted: true }).size).toBe(2);
    expect(graphFrame(broken, { n, weighted: true, tol: 1e-2 }).size).toBe(6);
  });

  it('canonical form keeps the real weights; relabelled copies agree', () => {
    const n = 8;
    const w = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) w[i * n + j] = w[j * n + i] = Math.round(u() * 4) / 4;
    const p = randomPermutation(n, u);
    const f = graphFrame(w, { n, weighted: true });
    const g = graphFrame(relabel(w, n, p), { n, weighted: true });
    expect(Array.from(g.canonical)).toEqual(Array.from(f.canonical));
  });
});

/** fn throws exactly this error type and message. */
function throwsExactly(fn: () => unknown, type: typeof RangeError | typeof TypeError, message: string): void {
  expect(fn).toThrow(type);
  expect(fn).toThrow(message);
}

describe('errors name the input and the rule', () => {
  const ok = new Int32Array([0, 1, 1, 0]);
  it('asymmetric adjacency', () => {
    const a = new Int32Array(9);
    a[1 * 3 + 2] = 1;
    throwsExactly(() => canonicalLabelings([{ adjacency: ok, n: 2 }, { adjacency: a, n: 3 }]), RangeError, 'input 1: graph adjacency must be symmetric (A[1][2] = 1, A[2][1] = 0)');
    expect(() => graphFrame([0, 1, 1.5, 0], { n: 2, weighted: true })).toThrow('input 0: graph adjacency must be symmetric (A[0][1] = 1, A[1][0] = 1.5)');
    expect(() => canonicalLabeling({ rowPtr: [0, 1, 1], col: [1] }, { n: 2 })).toThrow('input 0: graph adjacency must be symmetric (A[0][1] = 1, A[1][0] = 0)');
  });
  it('CSR input is asymmetric exactly when its matrix is, rows in order or not', () => {
    // entries 0..2 (0: no edge), mostly symmetric; rows listed in column order or reversed
    const graph = fc.integer({ min: 2, max: 7 }).chain((n) =>
      fc.record({ n: fc.constant(n), a: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n * n, maxLength: n * n }), flips: fc.array(fc.nat(n * n - 1), { maxLength: 2 }), reversed: fc.boolean() }),
    );
    fc.assert(
      fc.property(graph, ({ n, a, flips, reversed }) => {
        const m = new Int32Array(n * n);
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[i * n + j] = m[j * n + i] = a[i * n + j];
        for (const f of flips) if (Math.floor(f / n) !== f % n) m[f] = a[f];
        let symmetric = true;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) symmetric &&= m[i * n + j] === m[j * n + i];
        const rowPtr = [0];
        const col: number[] = [];
        const edgeColors: number[] = [];
        for (let i = 0; i < n; i++) {
          const js = Array.from({ length: n }, (_, j) => j).filter((j) => m[i * n + j] !== 0);
          for (const j of reversed ? js.reverse() : js) col.push(j), edgeColors.push(m[i * n + j]);
          rowPtr.push(col.length);
        }
        const call = () => canonicalLabeling({ rowPtr, col }, { n, edgeColors });
        if (symmetric) call();
        else expect(call).toThrow('must be symmetric');
      }),
      { numRuns: 300 },
    );
  });
  it('n = 0, wrong lengths, non-integer n', () => {
    throwsExactly(() => canonicalLabeling([], { n: 0 }), RangeError, 'input 0: a graph needs at least one vertex, got n = 0');
    expect(() => graphFrame([], { n: 0, weighted: true })).toThrow(RangeError);
    expect(() => canonicalLabeling([0, 1, 1], { n: 2 })).toThrow('input 0: adjacency must have n·n = 4 entries, got 3');
    expect(() => canonicalLabeling(ok, { n: 2, colors: [1] })).toThrow('input 0: colors must have length n = 2, got 1');
    expect(() => canonicalLabeling(ok, { n: 1.5 })).toThrow(TypeError);
    expect(() => canonicalLabeling({ rowPtr: [0, 1], col: [1] }, { n: 2 })).toThrow('input 0: adjacency.rowPtr must have n + 1 = 3 entries, got 2');
  });
  it('non-finite and non-integer entries', () => {
    expect(() => canonicalLabeling([0, NaN, NaN, 0], { n: 2 })).toThrow('input 0: adjacency must be finite, A[0][1] = NaN');
    expect(() => graphFrame([0, Infinity, Infinity, 0], { n: 2, weighted: true })).toThrow('input 0: adjacency must be finite, A[0][1] = Infinity');
    expect(() => canonicalLabeling([0, 0.5, 0.5, 0], { n: 2 })).toThrow('input 0: edge colour (0, 1) must be a 32-bit integer colour id, got 0.5');
    expect(() => canonicalLabeling(ok, { n: 2, colors: [0, NaN] })).toThrow('input 0: colors[1] must be finite, got NaN');
    expect(() => canonicalLabeling({ rowPtr: [0, 1, 2], col: [1, 7] }, { n: 2 })).toThrow('input 0: adjacency.col[1] = 7 is not a vertex of 0..1');
  });
  it('bad averaging arguments', () => {
    const f = graphFrame(ok, { n: 2 });
    expect(() => f.averageNodes([1, 2, 3])).toThrow(RangeError);
    expect(() => f.elements(0)).toThrow(RangeError);
  });
});
