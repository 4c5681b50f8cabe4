/**
 * The README's code examples (Usage, Permutations of point sets, Graphs,
 * Baselines), made compilable with declared inputs: test/types.test.ts type-checks
 * this file, so an example that drifts from the API fails `npm test`. Never run.
 */
import {
  group, canonicalize, canonicalizeBatch, canonicalLabelings, equivariant, invariant, createEngine,
  type BatchInput, type GraphBatchInput, type GraphInput, type PermutationBatchResult, type EquivariantBatchResult,
} from '../../src/index.js';

declare const bigArray: Float64Array;
declare const signal: AbortSignal;
declare const onProgress: (done: number, total: number) => void;
declare const yb0: EquivariantBatchResult;

/** Exact type equality, for the results the README promises. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const assertType = <T extends true>(): T => true as T;

export async function usage(): Promise<void> {
  const G = group('SO(3)');
  const x = Float64Array.from([1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 1, 1]); // n = 4 points in 3-D, row-major

  const fr = canonicalize(G, x, { n: 4, d: 3 });
  void fr.canonical;
  void fr.size;
  void fr.matrix;
  void fr.shift;
  void fr.elements(100);
  void fr.sizeExact;

  const model = (c: Float64Array, { n, d }: { n: number; d: number }) => c.map((v) => Math.sin(v) * n * d);
  const f = equivariant('E(3)', model, { output: 'points' });
  const y = await f(x, { n: 4, d: 3 });
  void y;

  const g = invariant(G, (c) => c.reduce((s, v) => s + v * v, 0));
  await g(x, { n: 4, d: 3 });

  const engine = await createEngine({ threads: 2 });
  const h = equivariant('SO(3)', new URL('./model.mjs', import.meta.url), { engine });
  void h;

  const res = await engine.canonicalize(G, { data: bigArray, dim: 3, count: 1000 });
  void [res.canonical, res.sizes, res.sizesExact, res.matrices, res.shifts, res.ranks, res.errors, res.warnings];
  const yb = await f.batch({ data: bigArray, dim: 3, count: 1000 }, { signal, onProgress, into: yb0 });
  void [yb.data, yb.offsets, yb.errors];
  await engine.close();
}

export async function permutations(x: Float64Array, n: number, data: Float64Array, offsets: Int32Array, model: (c: Float64Array) => Float64Array): Promise<void> {
  const engine = await createEngine({ threads: 0 });
  const fr = canonicalize('S(n) x O(3)', x, { n, d: 3 });
  void [fr.canonical, fr.permutation, fr.size];
  const f = equivariant('S(n) x SE(3)', model, { output: 'points' });
  await f(x, { n, d: 3 });

  const r = await engine.canonicalize('S(n) x O(3)', { data, dim: 3, offsets });
  assertType<Equal<typeof r, PermutationBatchResult>>();
  const inline = canonicalizeBatch('S(n) x O(3)', { data, dim: 3, offsets });
  assertType<Equal<typeof inline, PermutationBatchResult>>();
  void r.canonical;
  const p: Int32Array = r.permutations;
  void [p, r.matrices, r.shifts, r.ranks];
  const sizes: Float64Array = r.sizes;
  const exact: (bigint | null)[] = r.sizesExact;
  const complement: Float64Array = r.complementSizes;
  void [sizes, exact, complement, r.errors];
  await equivariant('S(n) x O(3)', model, { engine }).batch({ data, dim: 3, offsets });
}

export async function graphs(
  A: Int32Array, W: Float64Array, n: number, dim: number, graphList: GraphInput[], data: Float64Array, colors: Int32Array,
  model: (c: Float64Array) => Float64Array, readout: (c: Float64Array) => number, batch: GraphBatchInput,
): Promise<void> {
  const engine = await createEngine({ threads: 0 });
  const f = canonicalize(group('graph'), A, { n });
  void [f.canonical, f.permutation, f.size, f.sizeExact, f.orbits, f.generators];
  const y = f.averageNodes(model(f.canonical), dim);
  void y;
  const node = equivariant('graph', (c, { n, colors }) => model(c), { output: 'nodes' });
  await node(A, { n });
  await node.batch({ data, offsets: Int32Array.of(0, 5), colors }, { errors: 'status' });
  await invariant('weighted-graph', (c) => readout(c), { engine }).batch(batch);
  const w = canonicalize('weighted-graph', W, { n }, { tol: 1e-9 });
  void w;
  const many = canonicalLabelings(graphList);
  void many;

  const b = { data, offsets: Int32Array.of(0, 5, 12, 16), colors };
  const r = await engine.canonicalize(group('weighted-graph'), b, { errors: 'status' });
  void [r.canonical, r.entries, r.permutations, r.orbits, r.sizes, r.sizesExact, r.generators, r.generatorOffsets, r.errors];
  await engine.close();
}

export function baselines(batch: BatchInput, model: (c: Float64Array) => Float64Array): void {
  const FA = group('O(6)', { method: 'fa' });
  const r = canonicalizeBatch(FA, batch);
  void [r.sizes, r.canonical];
  const f = equivariant('O(6)', model, { method: 'ifa' });
  void f;
}
