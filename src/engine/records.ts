/**
 * Batches of graphs ('graph', 'weighted-graph') and of point sets under S(n) and
 * S(n) x G, whose per-input results vary in length (permutations, generators).
 *
 * A chunk of whole inputs is one `RecordTask`: its own copy of the chunk's values,
 * which the worker turns into one plain record per graph (or the rule the graph
 * broke), or into the chunk's PermutationFrames for point sets. The calling thread
 * lays the replies out flat (`graphResult`, `permutationBatch`). Inline, in piscina
 * and in the browser pool the same `runRecords` computes every input's result from
 * that input's values alone, so results are bit-identical for any thread count and
 * chunking.
 * This module must stay free of Node and DOM APIs: workers of both kinds import it.
 */
import { group as parseGroup, isGraphGroup, isPermutationGroup, type GraphGroup, type PermutationGroup } from '../groups.js';
import { checkShape, type CheckedBatch, type Real } from '../batch.js';
import { graphFrames } from '../frames/graph.js';
import { emptyFrames, permutationFrames, rowGroup, type PermutationFrames } from '../frames/permutation.js';
import { describe, fromFailure, optionError, optionRangeError, toFailure, type InputErrorInfo, type InputFailure } from '../errors.js';
import { kernels, type Kernels } from '../wasm/module.js';

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
 * blocks by `entries`. A bad input has NaN in its block and `sizes`, -1 in its
 * permutation and orbits, '' in `sizesExact`, no generators, and its error in `errors`.
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
  /** |Aut(A_i)| exactly, in decimal (BigInt(sizesExact[i]) for arithmetic). */
  sizesExact: string[];
  /**
   * Generators of Aut(A_i), each v ↦ g[v] over n_i values: input i's are
   * generators[generatorOffsets[i] .. generatorOffsets[i+1]], one per n_i values.
   */
  generators: Int32Array;
  generatorOffsets: Int32Array;
  errors: (Error | null)[];
}

/**
 * S(n) and S(n) x G frames of a batch of point sets (rows laid out by `offsets`):
 * the fields of PermutationFrames, with each bad input's error in `errors`.
 */
export interface PermutationBatchResult extends Omit<PermutationFrames, 'failures' | 'stabilizers'> {
  errors: (Error | null)[];
}

interface GraphRecord {
  canonical: Float64Array;
  permutation: Int32Array;
  orbits: Int32Array;
  size: number;
  sizeExact: string;
  generators: Int32Array[];
}

/** A task's reply: a record (or failure) per graph, or the frames of a chunk of point sets. */
export type GraphReply = (GraphRecord | InputFailure)[];
export type Reply = GraphReply | PermutationFrames;
/** The replies of a batch's tasks, each with the batch index of its first input. */
export type Parts = [first: number, reply: Reply][];

/** Inputs first .. end-1 of a batch, as their own copy (offsets from 0). */
export interface RecordTask {
  kind: 'records';
  group: string;
  tol: number;
  /** Values of the chunk's inputs: adjacency blocks, or rows of `dim` values. */
  data: Real;
  /** count+1 vertex (graphs) or row offsets from 0. */
  offsets: Int32Array;
  dim: number;
  /** Vertex colour ids as given (checked by the task), by `offsets`. */
  colors: Float64Array | null;
  /** 1 for inputs that failed the shape check on the calling thread. */
  skip: Uint8Array;
}

const isFailure = (r: GraphRecord | InputFailure | undefined): r is InputFailure => r !== undefined && 'failed' in r;

/** A task's reply, every input in order. Throws only what is not an input's fault. */
export function runRecords(task: RecordTask, k: Kernels = kernels()): Reply {
  const G = parseGroup(task.group as 'graph') as GraphGroup | PermutationGroup;
  const count = task.offsets.length - 1;
  if (isGraphGroup(G)) {
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
    // One labeling call for the chunk; an input that fails it is set aside and the rest run again.
    let todo = inputs;
    while (todo.length > 0) {
      try {
        const frames = graphFrames(todo, k);
        frames.forEach((f, j) => {
          out[todo[j].i] = { canonical: f.canonical, permutation: f.permutation, orbits: f.orbits, size: f.size, sizeExact: f.sizeExact.toString(), generators: f.generators };
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
  let bad = 0;
  for (let i = 0; i < count; i++) bad += task.skip[i];
  const chunk: CheckedBatch = { data: task.data, dim: task.dim, count, offsets: task.offsets, errors: new Array(count).fill(null), skip: task.skip, bad, checked: false };
  return permutationFrames(G, chunk, { tol: task.tol }, k);
}

/** A checked batch of graphs or point sets: its values, offsets and shape errors. */
export interface RecordBatch {
  group: GraphGroup | PermutationGroup;
  data: Real;
  /** Vertex or row offsets (count+1). */
  offsets: Int32Array;
  /** Offsets of each input's values (count+1): n_i² per graph, n_i·d per point set. */
  values: Int32Array;
  dim: number;
  colors: Float64Array | null;
  skip: Uint8Array;
  errors: (Error | null)[];
}

function toReal(data: ArrayLike<number>): Real {
  return data instanceof Float64Array || data instanceof Float32Array ? data : Float64Array.from(data);
}

/**
 * Check a batch's shape (a bad shape throws for the whole batch; a bad input's own
 * rule is its error). Values are checked by the tasks, input by input.
 */
export function checkRecordBatch(G: GraphGroup | PermutationGroup, batch: unknown): RecordBatch {
  if (typeof batch !== 'object' || batch === null) throw optionError(`a batch must be an object, got ${describe(batch)}`);
  if (isPermutationGroup(G)) {
    const d = (batch as { dim?: unknown }).dim;
    if (!Number.isSafeInteger(d) || (d as number) < 1) throw optionRangeError(`batch.dim must be a whole number >= 1, got ${String(d)}`);
    const b: CheckedBatch = checkShape(rowGroup(G, d as number), batch as never);
    const values = Int32Array.from(b.offsets, (r) => r * b.dim);
    return { group: G, data: b.data, offsets: b.offsets, values, dim: b.dim, colors: null, skip: b.skip, errors: b.errors };
  }
  const { data, offsets: o, colors } = batch as GraphBatchInput;
  if (!(o instanceof Int32Array) && !Array.isArray(o)) throw optionError(`a graph batch needs offsets: count+1 vertex offsets (an Int32Array or array), got ${describe(o)}`);
  const offsets = o instanceof Int32Array ? o : Int32Array.from(o);
  if (offsets.length < 1 || offsets[0] !== 0) throw optionRangeError('batch.offsets must hold count+1 vertex offsets, starting at 0');
  if (data === null || typeof data !== 'object' || typeof data.length !== 'number') throw optionError(`batch.data must be an array or typed array of numbers, got ${describe(data)}`);
  const count = offsets.length - 1;
  const values = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const n = offsets[i + 1] - offsets[i];
    if (n < 0) throw optionRangeError(`batch.offsets must not decrease, got ${offsets[i]} then ${offsets[i + 1]} at ${i}`);
    values[i + 1] = values[i] + n * n;
  }
  if (data.length !== values[count]) throw optionRangeError(`batch.data must hold the n_i×n_i blocks of the ${count} graphs, ${values[count]} values, got ${data.length}`);
  if (colors !== undefined && (colors === null || typeof colors !== 'object' || colors.length !== offsets[count])) {
    throw optionRangeError(`batch.colors must hold one colour id per vertex, ${offsets[count]} values, got ${describe(colors)}`);
  }
  // n = 0 and colour ids are checked with the values, by the tasks (checkGraph)
  const ids = colors === undefined ? null : Float64Array.from(colors);
  return { group: G, data: toReal(data), offsets, values, dim: 1, colors: ids, skip: new Uint8Array(count), errors: new Array(count).fill(null) };
}

/** The task of inputs first .. end-1, with its own copy of their values. */
export function recordTask(b: RecordBatch, tol: number, first: number, end: number): RecordTask {
  const offsets = b.offsets.slice(first, end + 1);
  const v0 = offsets[0];
  for (let i = 0; i < offsets.length; i++) offsets[i] -= v0;
  return {
    kind: 'records',
    group: b.group.spec,
    tol,
    data: b.data.slice(b.values[first], b.values[end]),
    offsets,
    dim: b.dim,
    colors: b.colors ? b.colors.slice(v0, b.offsets[end]) : null,
    skip: b.skip.slice(first, end),
  };
}

/** The buffers of a record task (its own copies: transferred to the worker). */
export function recordBuffers(task: RecordTask): ArrayBuffer[] {
  return [task.data, task.offsets, task.colors, task.skip].flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
}

/** The batch's errors: shape errors found on the calling thread, then the tasks' failures. */
function collectErrors(b: RecordBatch, failures: ArrayLike<InputFailure | null | undefined>): (Error | null)[] {
  return b.errors.map((e, i) => {
    const r = failures[i];
    return e ?? (r ? fromFailure(i, r) : null);
  });
}

/** The graph records of a batch's parts, one per input, in order. */
function graphRecords(b: RecordBatch, parts: Parts): GraphReply {
  const records: GraphReply = new Array(b.offsets.length - 1);
  for (const [first, reply] of parts) (reply as GraphReply).forEach((r, j) => (records[first + j] = r));
  return records;
}

/** The flat graph result of a batch's parts. */
export function graphResult(b: RecordBatch, parts: Parts): GraphBatchResult {
  const records = graphRecords(b, parts);
  const count = b.offsets.length - 1;
  const vertices = b.offsets[count];
  const canonical = new Float64Array(b.values[count]).fill(NaN);
  const permutations = new Int32Array(vertices).fill(-1);
  const orbits = new Int32Array(vertices).fill(-1);
  const sizes = new Float64Array(count).fill(NaN);
  const sizesExact: string[] = new Array(count).fill('');
  const generatorOffsets = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) {
    const r = records[i];
    const n = b.offsets[i + 1] - b.offsets[i];
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
    canonical.set(r.canonical, b.values[i]);
    permutations.set(r.permutation, b.offsets[i]);
    orbits.set(r.orbits, b.offsets[i]);
    sizes[i] = r.size;
    sizesExact[i] = r.sizeExact;
    r.generators.forEach((p, j) => generators.set(p, generatorOffsets[i] + j * p.length));
  }
  return { group: b.group.spec as GraphBatchResult['group'], count, offsets: b.offsets, entries: b.values, canonical, permutations, orbits, sizes, sizesExact, generators, generatorOffsets, errors: collectErrors(b, failures) };
}

/**
 * The frames of a batch of point sets from its parts (each a chunk's
 * PermutationFrames, inputs from `first`), and the batch's errors.
 */
export function permutationBatch(b: RecordBatch, parts: Parts): { frames: PermutationFrames; errors: (Error | null)[] } {
  const d = b.dim;
  let frames: PermutationFrames;
  if (parts.length === 1 && parts[0][0] === 0) frames = { ...(parts[0][1] as PermutationFrames), offsets: b.offsets };
  else {
    frames = emptyFrames(b.group.spec, d, b.offsets, true);
    for (const [first, reply] of parts) {
      const p = reply as PermutationFrames;
      const r0 = b.offsets[first];
      frames.canonical.set(p.canonical, r0 * d);
      frames.permutations.set(p.permutations, r0);
      frames.matrices.set(p.matrices, first * d * d);
      frames.shifts.set(p.shifts, first * d);
      frames.ranks.set(p.ranks, first);
      frames.sizes.set(p.sizes, first);
      frames.complementSizes.set(p.complementSizes, first);
      for (let j = 0; j < p.count; j++) {
        frames.sizesExact[first + j] = p.sizesExact[j];
        frames.failures[first + j] = p.failures[j];
      }
      for (const [j, s] of p.stabilizers) frames.stabilizers.set(first + j, s);
    }
  }
  return { frames, errors: collectErrors(b, frames.failures) };
}

/** The flat S(n) / S(n) x G result of a batch's parts. */
export function permutationResult(b: RecordBatch, parts: Parts): PermutationBatchResult {
  const { frames, errors } = permutationBatch(b, parts);
  const { group, dim, count, offsets, canonical, permutations, matrices, shifts, ranks, sizes, sizesExact, complementSizes } = frames;
  return { group, dim, count, offsets, canonical, permutations, matrices, shifts, ranks, sizes, sizesExact, complementSizes, errors };
}

/** A checked batch and its one part, computed on the calling thread in one task. */
export function recordsInline(G: GraphGroup | PermutationGroup, batch: unknown, tol: number, k?: Kernels): { b: RecordBatch; parts: Parts } {
  const b = checkRecordBatch(G, batch);
  return { b, parts: [[0, runRecords(recordTask(b, tol, 0, b.offsets.length - 1), k)]] };
}

/** The flat result of either kind. */
export function recordResult(b: RecordBatch, parts: Parts): GraphBatchResult | PermutationBatchResult {
  return isGraphGroup(b.group) ? graphResult(b, parts) : permutationResult(b, parts);
}
