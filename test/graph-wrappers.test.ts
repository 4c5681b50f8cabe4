/**
 * equivariant / invariant for the graph groups: outputs follow every relabeling
 * A ↦ P·A·Pᵀ exactly (to round-off) although the model depends on vertex indices,
 * on graphs with large automorphism groups; node outputs are the mean over Aut(A)
 * (checked against the enumerated group); the model runs once per input; bad
 * outputs and options are refused with the exported error classes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize, createEngine, equivariant, invariant, InputTypeError, OptionRangeError, type Engine, type Model } from '../src/index.js';
import { relativeError } from '../src/testing/index.js';
import { rng } from '../src/testing/random.js';
import { permuteColors, randomPermutation, relabel } from './helpers/graphs.js';
import { alternatingHexagon, cycleWithPendants, fixtureModel, graphBatchOf, hypercube, petersen, type TestGraph } from './helpers/pipeline.js';

let graphNodes: Model;
let graphEdges: Model;
let engine: Engine;
beforeAll(async () => {
  graphNodes = ((await import(fixtureModel('graph-nodes').href)) as { default: Model }).default;
  graphEdges = ((await import(fixtureModel('graph-edges').href)) as { default: Model }).default;
  engine = await createEngine({ threads: 2, chunkSize: 2 });
});
afterAll(() => engine.close());

/** K4 with the edges 01 and 23 of weight 2, the others 1 (Aut: 8 elements). */
const tiedK4 = (): TestGraph => {
  const a = new Float64Array(16).fill(1);
  for (let i = 0; i < 4; i++) a[i * 5] = 0;
  a[1] = a[4] = a[11] = a[14] = 2;
  return { n: 4, a };
};

interface Case {
  name: string;
  spec: 'graph' | 'weighted-graph';
  g: TestGraph;
  /** |Aut| (with colours). */
  aut: number;
  /** Orbits on vertices and on ordered pairs. */
  orbits: number;
  pairOrbits: number;
}

const CASES: Case[] = [
  { name: 'C5 with pendants', spec: 'graph', g: cycleWithPendants(5), aut: 10, orbits: 2, pairOrbits: 12 },
  { name: 'Petersen', spec: 'graph', g: petersen(), aut: 120, orbits: 1, pairOrbits: 3 },
  { name: 'Q3', spec: 'graph', g: hypercube(3), aut: 48, orbits: 1, pairOrbits: 4 },
  { name: 'Q4', spec: 'graph', g: hypercube(4), aut: 384, orbits: 1, pairOrbits: 5 },
  { name: 'alternating hexagon', spec: 'weighted-graph', g: alternatingHexagon(), aut: 6, orbits: 1, pairOrbits: 6 },
  { name: 'K4 with tied weights', spec: 'weighted-graph', g: tiedK4(), aut: 8, orbits: 1, pairOrbits: 3 },
  { name: 'Q3, one vertex coloured', spec: 'graph', g: { ...hypercube(3), colors: [1, 0, 0, 0, 0, 0, 0, 0] }, aut: 6, orbits: 4, pairOrbits: 20 },
  { name: 'Petersen, outer and inner cycles coloured', spec: 'graph', g: { ...petersen(), colors: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1] }, aut: 10, orbits: 2, pairOrbits: 12 },
];

const shapeOf = (g: TestGraph) => (g.colors ? { n: g.n, colors: g.colors } : { n: g.n });

/** g relabeled by p (vertex v becomes p[v]), colours too. */
function relabeled(g: TestGraph, p: Int32Array): TestGraph {
  const b = relabel(g.a, g.n, p);
  return g.colors ? { n: g.n, a: b, colors: Array.from(permuteColors(g.colors, p)) } : { n: g.n, a: b };
}

/** Items of y (k values each) moved by p: item v goes to p[v] (nodes), pair (i, j) to (p[i], p[j]) (edges). */
function moved(y: Float64Array, p: Int32Array, k: number, edges: boolean): Float64Array {
  const n = p.length;
  const out = new Float64Array(y.length);
  const to = (item: number) => (edges ? p[Math.floor(item / n)] * n + p[item % n] : p[item]);
  for (let item = 0; item < y.length / k; item++) out.set(y.subarray(item * k, item * k + k), to(item) * k);
  return out;
}

/** Every item (k values) of y equals the item of its orbit's representative (orbit[item], the orbit's smallest item). */
function expectConstantOnOrbits(y: Float64Array, k: number, orbit: Int32Array, what: string): void {
  for (let item = 0; item < orbit.length; item++) {
    expect(Array.from(y.subarray(item * k, item * k + k)), `${what}, item ${item}`).toEqual(Array.from(y.subarray(orbit[item] * k, orbit[item] * k + k)));
  }
}

describe('graph wrappers: equivariance under relabelings', () => {
  it('the cases have the automorphism groups they should', () => {
    for (const c of CASES) {
      const f = canonicalize(c.spec, c.g.a, shapeOf(c.g));
      expect(f.size, c.name).toBe(c.aut);
      expect(new Set(f.orbits).size, c.name).toBe(c.orbits);
      expect(new Set(f.pairOrbits()).size, c.name).toBe(c.pairOrbits);
    }
  });

  it('the models depend on vertex indices: run raw, they are not equivariant', async () => {
    const g = petersen();
    const p = randomPermutation(g.n, rng(1));
    const raw = graphNodes(g.a, { n: g.n, d: g.n }) as Float64Array;
    const rawMoved = graphNodes(relabeled(g, p).a, { n: g.n, d: g.n }) as Float64Array;
    expect(relativeError(rawMoved, moved(raw, p, 3, false))).toBeGreaterThan(0.1);
  });

  for (const c of CASES) {
    it(`${c.name}: node, edge and invariant outputs follow 4 random relabelings`, async () => {
      const u = rng(c.aut);
      const nodes = equivariant(c.spec, graphNodes);
      const edges = equivariant(c.spec, graphEdges, { output: 'edges' });
      const inv = invariant(c.spec, (x: Float64Array, { n }) => x.reduce((s, v, j) => s + v * (1 + (j % n)) * (2 + Math.floor(j / n)) ** 2, 0));
      const yN = await nodes(c.g.a, shapeOf(c.g));
      const yE = await edges(c.g.a, shapeOf(c.g));
      const yI = await inv(c.g.a, shapeOf(c.g));
      // averaged over the orbits: one value per orbit
      const f = canonicalize(c.spec, c.g.a, shapeOf(c.g));
      expectConstantOnOrbits(yN, 3, f.orbits, `${c.name} nodes`);
      expectConstantOnOrbits(yE, 2, f.pairOrbits(), `${c.name} edges`);
      for (let t = 0; t < 4; t++) {
        const p = randomPermutation(c.g.n, u);
        const h = relabeled(c.g, p);
        expect(relativeError(await nodes(h.a, shapeOf(h)), moved(yN, p, 3, false)), `${c.name} nodes`).toBeLessThan(1e-15);
        expect(relativeError(await edges(h.a, shapeOf(h)), moved(yE, p, 2, true)), `${c.name} edges`).toBeLessThan(1e-15);
        expect(await inv(h.a, shapeOf(h)), `${c.name} invariant`).toBe(yI);
      }
    });
  }

  it('node and edge outputs are the mean over the enumerated automorphism group', async () => {
    for (const c of CASES) {
      const f = canonicalize(c.spec, c.g.a, shapeOf(c.g));
      const n = c.g.n;
      const shape = { n, d: n, ...(c.g.colors ? { colors: Float64Array.from(f.permutation, (v) => c.g.colors![v]) } : {}) };
      const yN = graphNodes(f.canonical, shape) as Float64Array;
      const yE = graphEdges(f.canonical, shape) as Float64Array;
      // every labeling a∘p (a ∈ Aut(A)) gives the canonical form: input vertex a(p(k)) gets y_k
      const wantN = new Float64Array(n * 3);
      const wantE = new Float64Array(n * n * 2);
      const autos = f.elements();
      expect(autos).toHaveLength(c.aut);
      for (const a of autos) {
        const q = Int32Array.from(f.permutation, (v) => a[v]);
        for (let k = 0; k < n; k++) for (let m = 0; m < 3; m++) wantN[q[k] * 3 + m] += yN[k * 3 + m] / c.aut;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let m = 0; m < 2; m++) wantE[(q[i] * n + q[j]) * 2 + m] += yE[(i * n + j) * 2 + m] / c.aut;
      }
      expect(relativeError(await equivariant(c.spec, graphNodes)(c.g.a, shapeOf(c.g)), wantN), c.name).toBeLessThan(1e-14);
      expect(relativeError(await equivariant(c.spec, graphEdges, { output: 'edges' })(c.g.a, shapeOf(c.g)), wantE), c.name).toBeLessThan(1e-14);
    }
  });
});

describe('graph wrappers: one model call per input', () => {
  const unweighted = CASES.filter((c) => c.spec === 'graph');
  const batch = graphBatchOf(unweighted.map((c) => ({ ...c.g, colors: c.g.colors ?? new Array(c.g.n).fill(0) })));

  it('single calls and batches, inline and on an engine, node, edge and invariant outputs', async () => {
    let calls = 0;
    const counted = (m: Model): Model => (x, shape) => (calls++, m(x, shape));
    for (const engine_ of [undefined, engine]) {
      const wrapped = [
        equivariant('graph', counted(graphNodes), { engine: engine_ }),
        equivariant('graph', counted(graphEdges), { engine: engine_, output: 'edges' }),
        invariant('graph', counted((x) => Float64Array.of(x.length)), { engine: engine_ }),
      ];
      for (const f of wrapped) {
        calls = 0;
        await f(petersen().a, { n: 10 });
        expect(calls).toBe(1);
        calls = 0;
        const r = await f.batch(batch);
        expect(calls).toBe(unweighted.length);
        expect(r.count).toBe(unweighted.length);
      }
    }
  });

  it('a module model on the workers: each input once, on a worker thread', async () => {
    const r = await invariant<[number, number]>('graph', fixtureModel('calls'), { engine }).batch(batch);
    const runs = r.outputs as [number, number][];
    expect(runs).toHaveLength(unweighted.length);
    expect(runs.every(([thread]) => thread > 0)).toBe(true);
    expect(new Set(runs.map((t) => t.join('/'))).size).toBe(unweighted.length);
  });
});

describe('graph wrappers: bad outputs and options', () => {
  const g = petersen();

  it('a model returning the wrong number of values: an InputTypeError naming the input', async () => {
    const short = equivariant('graph', (_x, { n }) => new Float64Array(n + 1));
    const err = await short(g.a, { n: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputTypeError);
    expect(err).toMatchObject({ input: 0, message: 'input 0: the model returned 11 values, expected 10 items of equal length (n×k)' });
    const edges = equivariant('graph', (_x, { n }) => new Float64Array(n), { output: 'edges' });
    await expect(edges(g.a, { n: 10 })).rejects.toThrow('input 0: the model returned 10 values, expected 100 items of equal length (n×n×k)');
    const empty = equivariant('graph', () => new Float64Array(0));
    await expect(empty(g.a, { n: 10 })).rejects.toBeInstanceOf(InputTypeError);
    const words = equivariant('graph', () => ['a'] as never);
    await expect(words(g.a, { n: 10 })).rejects.toThrow(/input 0: the model returned string at position 0; outputs must be numbers/);
  });

  it('in a batch, an input whose output width differs from the first one is its own error', async () => {
    const b = graphBatchOf([g, hypercube(3), cycleWithPendants(3)]);
    const f = equivariant('graph', (_x, { n }) => new Float64Array(n === 8 ? 2 * n : n));
    const r = await f.batch(b, { errors: 'status' });
    expect(r.errors[0]).toBeNull();
    expect(r.errors[1]).toBeInstanceOf(InputTypeError);
    expect(r.errors[1]!.message).toBe('input 1: the model returned 16 values, expected n×k = 8');
    expect(r.errors[2]).toBeNull();
    expect(r.data.subarray(10, 18).every(Number.isNaN)).toBe(true);
    const err = await f.batch(b).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputTypeError);
    expect(err).toMatchObject({ input: 1 });
  });

  it("'vectors' or 'points' output and batchModel are refused for graph groups", () => {
    for (const output of ['vectors', 'points'] as const) {
      expect(() => equivariant('graph', graphNodes, { output })).toThrow(OptionRangeError);
      expect(() => equivariant('weighted-graph', graphNodes, { output })).toThrow(`minframe: output must be 'nodes' or 'edges' for weighted-graph, got ${output}`);
    }
    expect(() => equivariant('graph', graphNodes as never, { batchModel: true })).toThrow(OptionRangeError);
    expect(() => equivariant('graph', graphNodes as never, { batchModel: true })).toThrow(/batchModel is for point sets/);
    expect(() => equivariant('SO(3)', graphNodes, { output: 'nodes' })).toThrow(/output must be 'vectors' or 'points' for SO\(3\), got nodes/);
  });

  it('a module batch model is refused for graphs once loaded: an OptionRangeError, inline and on an engine', async () => {
    const b = graphBatchOf([g]);
    await expect(equivariant('graph', fixtureModel('stacked')).batch(b)).rejects.toBeInstanceOf(OptionRangeError);
    await expect(equivariant('graph', fixtureModel('stacked'))(g.a, { n: 10 })).rejects.toBeInstanceOf(OptionRangeError);
    await expect(equivariant('graph', fixtureModel('stacked'), { engine }).batch(b)).rejects.toBeInstanceOf(OptionRangeError);
  });
});
