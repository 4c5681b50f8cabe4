/**
 * 'graph' and 'weighted-graph' as a kind of input: n×n adjacency blocks, frames by
 * canonical labeling (src/frames/graph.ts over src/graphs/canon.ts). Each task
 * carries its own copy of its chunk's blocks and replies with one plain record per
 * graph (or the rule the graph broke); the calling thread lays them out flat.
 * Every record depends on its graph alone, so results are bit-identical for any
 * thread count and chunking.
 * This module must stay free of Node and DOM APIs: workers of both kinds import it.
 */
import { group as parseGroup, type GraphGroup } from '../groups.js';
import { checkOffsets, type Real } from '../batch.js';
import { averageGraphOutputs, graphFrame, graphFrames, orbitsOnPairs } from '../frames/graph.js';
import { isBigIntArray } from '../graphs/canon.js';
import { describe, optionError, optionRangeError, toFailure, type InputErrorInfo, type InputFailure } from '../errors.js';
import { kernels, type Kernels } from '../wasm/module.js';
import { collectErrors, copyBuffers, copyChunk, type ChunkCopy } from './copies.js';
import { view, type Framed, type Job, type OutputKind, type Slicer, type Task } from './kind.js';

/**
 * A batch of graphs: adjacency blocks back to back. Graph i has
 * n_i = offsets[i+1] − offsets[i] vertices and its n_i×n_i row-major block starts
 * at Σ_{j<i} n_j² in `data`.
 */
export interface GraphBatchInput {
  data: ArrayLike<number>;
  /** Vertex offsets, length count+1, offsets[0] = 0, non-decreasing. */
  offsets: Int32Array | number[];
  /** Vertex colour ids, one per vertex (laid out by `offsets`). */
  colors?: ArrayLike<number>;
}

/**
 * Graph frames of a batch. Vertex-indexed arrays are laid out by `offsets`, n×n
 * blocks by `entries`. A bad input has NaN in its block and `sizes`, −1 in its
 * permutation and orbits, null in `sizesExact`, no generators, and its error in `errors`.
 */
export interface GraphBatchResult {
  group: 'graph' | 'weighted-graph';
  count: number;
  /** Vertex offsets (count+1), as given. */
  offsets: Int32Array;
  /** Offsets of the n_i×n_i blocks in `canonical` (count+1): Σ_{j<i} n_j². */
  entries: Int32Array;
  /** c_i = P·A_i·Pᵀ, blocks back to back, with A_i's own values. */
  canonical: Float64Array;
  /** Canonical vertex k of graph i is its input vertex permutations[offsets[i] + k]. */
  permutations: Int32Array;
  /** orbits[offsets[i] + v]: the smallest vertex of v's orbit under Aut(A_i). */
  orbits: Int32Array;
  /** |Aut(A_i)| as a number (a float past 2^53). */
  sizes: Float64Array;
  /** |Aut(A_i)| exactly, or null for bad inputs. */
  sizesExact: (bigint | null)[];
  /**
   * Generators of Aut(A_i), each v ↦ g[v] over n_i values: input i's are
   * generators[generatorOffsets[i] .. generatorOffsets[i+1]], one per n_i values.
   */
  generators: Int32Array;
  generatorOffsets: Int32Array;
  errors: (Error | null)[];
  /** Always null per input: graph frames carry no accuracy warnings. */
  warnings: (string | null)[];
}

interface GraphRecord {
  canonical: Float64Array;
  permutation: Int32Array;
  orbits: Int32Array;
  size: number;
  sizeExact: bigint;
  generators: Int32Array[];
}

export type GraphReply = (GraphRecord | InputFailure)[];

export interface GraphTask extends Task, ChunkCopy {
  kind: 'graph';
  group: string;
  tol: number;
  /** Vertex colour ids as given (checked by the task), by `offsets`. */
  colors: Float64Array | null;
}

/** A checked batch of graphs: its values, vertex and value offsets, colours. */
export interface GraphBatch {
  G: GraphGroup;
  data: Real;
  offsets: Int32Array;
  /** Offsets of each graph's n_i² values (count+1). */
  values: Int32Array;
  colors: Float64Array | null;
  skip: Uint8Array;
  errors: (Error | null)[];
}

const isFailure = (r: GraphRecord | InputFailure | undefined): r is InputFailure => r !== undefined && 'failed' in r;

/**
 * Check a batch's shape (a bad shape throws for the whole batch). Values, n = 0 and
 * colour ids are checked by the tasks, graph by graph (checkGraph).
 */
export function checkGraphBatch(G: GraphGroup, batch: unknown): GraphBatch {
  if (typeof batch !== 'object' || batch === null) throw optionError(`a batch must be an object, got ${describe(batch)}`);
  const { data, offsets: o, colors } = batch as GraphBatchInput;
  const offsets = checkOffsets(o, 'a graph batch needs offsets: count+1 vertex offsets (an Int32Array or array)');
  if (offsets.length < 1 || offsets[0] !== 0) throw optionRangeError('batch.offsets must hold count+1 vertex offsets, starting at 0');
  if (data === null || typeof data !== 'object' || typeof data.length !== 'number' || isBigIntArray(data)) throw optionError(`batch.data must be an array or typed array of numbers, got ${describe(data)}`);
  const count = offsets.length - 1;
  const values = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const n = offsets[i + 1] - offsets[i];
    if (n < 0) throw optionRangeError(`batch.offsets must not decrease, got ${offsets[i]} then ${offsets[i + 1]} at ${i}`);
    values[i + 1] = values[i] + n * n;
  }
  if (data.length !== values[count]) throw optionRangeError(`batch.data must hold the n_i×n_i blocks of the ${count} graphs, ${values[count]} values, got ${data.length}`);
  if (colors !== undefined) {
    if (colors === null || typeof colors !== 'object' || typeof colors.length !== 'number' || isBigIntArray(colors)) {
      throw optionError(`batch.colors must be an array or typed array of colour ids, got ${describe(colors)}`);
    }
    if (colors.length !== offsets[count]) throw optionRangeError(`batch.colors must hold one colour id per vertex, ${offsets[count]} values, got ${colors.length}`);
  }
  const real = data instanceof Float64Array || data instanceof Float32Array ? data : Float64Array.from(data);
  const ids = colors === undefined ? null : Float64Array.from(colors);
  return { G, data: real, offsets, values, colors: ids, skip: new Uint8Array(count), errors: new Array(count).fill(null) };
}

/** The worker side: one labeling call for the chunk; a graph that fails it is set aside and the rest run again. */
export function runGraph(task: GraphTask, k: Kernels): GraphReply {
  const G = parseGroup(task.group as 'graph');
  const count = task.offsets.length - 1;
  const out: GraphReply = new Array(count);
  const inputs: { i: number; adjacency: Real; options: { n: number; colors?: Float64Array; weighted: boolean; tol: number } }[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const v0 = task.offsets[i];
    const n = task.offsets[i + 1] - v0;
    const adjacency = task.data.subarray(at, at + n * n);
    at += n * n;
    if (task.skip[i]) continue;
    inputs.push({ i, adjacency, options: { n, colors: task.colors?.subarray(v0, v0 + n), weighted: G.weighted, tol: task.tol } });
  }
  let todo = inputs;
  while (todo.length > 0) {
    try {
      const frames = graphFrames(todo, k);
      frames.forEach((f, j) => {
        out[todo[j].i] = { canonical: f.canonical, permutation: f.permutation, orbits: f.orbits, size: f.size, sizeExact: f.sizeExact, generators: f.generators };
      });
      break;
    } catch (e) {
      const j = (e as Partial<InputErrorInfo>).input;
      if (typeof j !== 'number' || j >= todo.length) throw e;
      out[todo[j].i] = toFailure(e);
      todo = todo.filter((_, q) => q !== j);
    }
  }
  return out;
}

export function graphBuffers(task: GraphTask): ArrayBuffer[] {
  return [...copyBuffers(task), ...(task.colors ? [task.colors.buffer as ArrayBuffer] : [])];
}

/** The job of a checked batch: a copy of each chunk's blocks, one record per graph, laid out flat at the end. */
export function graphJob(g: GraphBatch, tol: number): Job<GraphBatchResult> {
  return recordsJob(g, tol, (records) => graphResult(g, records));
}

/** The job of a checked batch for the wrappers: the frames as they average with. */
export function graphFramedJob(g: GraphBatch, tol: number): Job<Framed> {
  return recordsJob(g, tol, (records) => graphFramed(g, records));
}

/** Cumulative work of a batch of graphs: n² values each, plus a fixed cost of 8. */
function graphWork(g: GraphBatch): (i: number) => number {
  return (i) => g.values[i] + 8 * i;
}

/** Chunks of a checked batch of graphs as batches of their own. */
export function graphSlicer(g: GraphBatch): Slicer {
  const n = (i: number) => g.offsets[i + 1] - g.offsets[i];
  return {
    count: g.offsets.length - 1,
    work: graphWork(g),
    items: (i, output) => (output === 'edges' ? n(i) * n(i) : n(i)),
    width: () => null,
    slice(first, end) {
      const { data, offsets } = copyChunk(g.data, g.offsets, g.values, g.skip, first, end);
      return { data, offsets, colors: g.colors ? g.colors.slice(g.offsets[first], g.offsets[end]) : undefined };
    },
    done: () => {},
  };
}

function recordsJob<R>(g: GraphBatch, tol: number, finish: (records: GraphReply) => R): Job<R> {
  const count = g.offsets.length - 1;
  const work = graphWork(g);
  const records: GraphReply = new Array(count);
  return {
    count,
    work,
    task: (first, end): GraphTask => ({
      kind: 'graph', group: g.G.spec, tol, ...copyChunk(g.data, g.offsets, g.values, g.skip, first, end),
      colors: g.colors ? g.colors.slice(g.offsets[first], g.offsets[end]) : null,
    }),
    merge: (reply, first) => (reply as GraphReply).forEach((r, j) => (records[first + j] = r)),
    finish: () => finish(records),
  };
}

/** The flat graph result of a batch's records. */
function graphResult(g: GraphBatch, records: GraphReply): GraphBatchResult {
  const count = g.offsets.length - 1;
  const vertices = g.offsets[count];
  const canonical = new Float64Array(g.values[count]).fill(NaN);
  const permutations = new Int32Array(vertices).fill(-1);
  const orbits = new Int32Array(vertices).fill(-1);
  const sizes = new Float64Array(count).fill(NaN);
  const sizesExact: (bigint | null)[] = new Array(count).fill(null);
  const generatorOffsets = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const r = records[i];
    const n = g.offsets[i + 1] - g.offsets[i];
    generatorOffsets[i + 1] = generatorOffsets[i] + (r && !isFailure(r) ? r.generators.length * n : 0);
  }
  const generators = new Int32Array(generatorOffsets[count]);
  const failures: (InputFailure | null)[] = new Array(count).fill(null);
  for (let i = 0; i < count; i++) {
    const r = records[i];
    if (!r) continue;
    if (isFailure(r)) {
      failures[i] = r;
      continue;
    }
    canonical.set(r.canonical, g.values[i]);
    permutations.set(r.permutation, g.offsets[i]);
    orbits.set(r.orbits, g.offsets[i]);
    sizes[i] = r.size;
    sizesExact[i] = r.sizeExact;
    r.generators.forEach((p, j) => generators.set(p, generatorOffsets[i] + j * p.length));
  }
  return {
    group: g.G.spec, count, offsets: g.offsets, entries: g.values, canonical, permutations, orbits, sizes, sizesExact,
    generators, generatorOffsets, errors: collectErrors(g.errors, failures), warnings: new Array(count).fill(null),
  };
}

/**
 * Graph frames as the wrappers average with: the model sees c = P·A·Pᵀ and the
 * canonical vertex colours; node outputs (n items) are averaged over vertex orbits,
 * edge outputs (n² items) over orbits on ordered pairs, then put in input order.
 */
function graphFramed(g: GraphBatch, records: GraphReply, k: Kernels = kernels()): Framed {
  const r = graphResult(g, records);
  const n = (i: number) => r.offsets[i + 1] - r.offsets[i];
  const perm = (i: number) => r.permutations.subarray(r.offsets[i], r.offsets[i + 1]);
  const gens = (i: number) => {
    const m = n(i);
    const all = r.generators.subarray(r.generatorOffsets[i], r.generatorOffsets[i + 1]);
    return Array.from({ length: all.length / Math.max(m, 1) }, (_, j) => all.subarray(j * m, j * m + m));
  };
  return {
    count: r.count,
    dim: null,
    errors: r.errors,
    warnings: r.warnings,
    input(i) {
      const p = perm(i);
      const colors = g.colors ? Float64Array.from(p, (v) => g.colors![r.offsets[i] + v]) : undefined;
      return { x: view(r.canonical, r.entries[i], r.entries[i + 1]), shape: colors ? { n: n(i), d: n(i), colors } : { n: n(i), d: n(i) } };
    },
    stacked: () => {
      throw optionRangeError('graph groups run their model once per input: batchModel is not supported for graphs');
    },
    items: (i, output) => (output === 'edges' ? n(i) * n(i) : n(i)),
    width: () => null,
    restore(y, width, output, out) {
      const edges = output === 'edges';
      const len = (i: number) => (edges ? n(i) * n(i) : n(i)) * width;
      const valid: number[] = [];
      for (let i = 0; i < r.count; i++) if (!r.errors[i]) valid.push(i);
      const graphs = valid.map((i) => {
        const p = perm(i);
        return { permutation: p, orbits: edges ? orbitsOnPairs(p.length, gens(i), k) : r.orbits.subarray(r.offsets[i], r.offsets[i + 1]) };
      });
      if (valid.length === r.count) {
        averageGraphOutputs(graphs, y, width, output === 'edges' ? 'edges' : 'nodes', k, out);
        return;
      }
      // the valid graphs' outputs together, one kernel call, then back in place; the rest NaN
      const at = new Int32Array(r.count + 1);
      for (let i = 0; i < r.count; i++) at[i + 1] = at[i] + len(i);
      const packed = new Float64Array(valid.reduce((s, i) => s + len(i), 0));
      let from = 0;
      for (const i of valid) {
        packed.set(y.subarray(at[i], at[i + 1]), from);
        from += len(i);
      }
      const averaged = averageGraphOutputs(graphs, packed, width, edges ? 'edges' : 'nodes', k);
      out.fill(NaN);
      from = 0;
      for (const i of valid) {
        out.set(averaged.subarray(from, from + len(i)), at[i]);
        from += len(i);
      }
    },
  };
}

/** The frame of one graph (adjacency, { n, colors }) as the wrappers average with. */
export function graphFramedOne(G: GraphGroup, adjacency: unknown, shape: { n: number; colors?: ArrayLike<number> }, tol: number, k?: Kernels): Framed {
  const f = graphFrame(adjacency as ArrayLike<number>, { ...shape, weighted: G.weighted, tol }, k);
  const n = f.n;
  const g: GraphBatch = {
    G, data: f.canonical, offsets: Int32Array.of(0, n), values: Int32Array.of(0, n * n),
    colors: shape?.colors === undefined ? null : Float64Array.from(shape.colors), skip: new Uint8Array(1), errors: [null],
  };
  return graphFramed(g, [{ canonical: f.canonical, permutation: f.permutation, orbits: f.orbits, size: f.size, sizeExact: f.sizeExact, generators: f.generators }]);
}

/** The output kinds of the graph groups: 'nodes' (the default, n×k) and 'edges' (n×n×k). */
export const GRAPH_OUTPUTS: readonly OutputKind[] = ['nodes', 'edges'];
