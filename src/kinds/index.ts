/**
 * The registry of input kinds: the one place that maps a group to the kind of input
 * it acts on (points.ts, permutation.ts, graph.ts), and a task to the code that runs
 * it. canonicalize, canonicalizeBatch, the engine and the wrappers reach every kind
 * through `kindOf`; workers run every task through `runTask`.
 * This module must stay free of Node and DOM APIs: workers of both kinds import it.
 */
import { group as parseGroup, type Group, type GraphGroup, type GroupOptions, type PermutationGroup } from '../groups.js';
import type { BatchInput } from '../batch.js';
import { internalError } from '../errors.js';
import { graphFrame, type GraphFrame } from '../frames/graph.js';
import { permutationFrame, type PermutationFrame } from '../frames/permutation.js';
import type { Kernels } from '../wasm/module.js';
import { baseline, baselineBuffers, runBaseline, type BaselineBatchResult, type BaselineFrame, type BaselineTask } from './baseline.js';
import { averageChunk, type AverageReply, type AverageTask } from './averaging.js';
import { isShared, runInline, LOCAL, type Framed, type Job, type OutputKind, type Slicer, type Staging, type Task } from './kind.js';
import { checkPoints, rowSlicer, pointBuffers, pointFrame, pointFramed, pointFramedHere, pointFramedOne, pointJob, reusedArrays, pointResult, runPoints, POINT_OUTPUTS, type BatchResult, type Frame, type PointReply, type PointTask } from './points.js';
import { checkPermutationBatch, permutationBuffers, permutationFramed, permutationFramedOne, permutationJob, permutationResult, runPermutation, type PermutationBatchResult, type PermutationTask } from './permutation.js';
import { checkGraphBatch, graphSlicer, graphBuffers, graphFramedJob, graphFramedOne, graphJob, runGraph, GRAPH_OUTPUTS, type GraphBatchResult, type GraphTask } from './graph.js';

export type AnyGroup = Group | GraphGroup | PermutationGroup;

/** Options of a batch call that reach a kind's job. */
export interface JobOptions {
  tol: number;
  /** An earlier result whose arrays may be overwritten (point groups). */
  into?: unknown;
}

/**
 * A kind of input: its single-input form and its batch job (checks on the calling
 * thread, tasks, result assembly), and the same two for the averaging wrappers
 * (src/average.ts), which get the frames as a `Framed`.
 */
export interface Kind<G extends AnyGroup = AnyGroup> {
  readonly name: 'points' | 'permutation' | 'graph' | 'baseline';
  single(G: G, x: unknown, shape: unknown, tol: number, k?: Kernels): Frame | PermutationFrame | GraphFrame | BaselineFrame;
  /** Check a batch (throws for a bad shape) and make its job, whose result is the public batch result. */
  batch(G: G, batch: unknown, options: JobOptions, staging: Staging): Job<BatchResult | PermutationBatchResult | GraphBatchResult | BaselineBatchResult>;
  /** The output kinds the wrappers accept for this kind; the first is the default. */
  readonly outputs: readonly OutputKind[];
  framedOne(G: G, x: unknown, shape: unknown, tol: number, k?: Kernels): Framed;
  /** `reuse`: an earlier Framed of this kind whose arrays the job may overwrite. */
  framed(G: G, batch: unknown, tol: number, staging: Staging, k?: Kernels, reuse?: Framed): Job<Framed>;
  /**
   * A batch's frames on this thread for the wrappers, where the kind keeps them
   * otherwise than its job does (points: in kernels of their own, pointFramedHere).
   * Without it, `framed`'s job runs inline (framedHere below).
   */
  framedHere?(G: G, batch: unknown, tol: number, k: Kernels, reuse?: Framed): Framed;
  /** Check a batch's shape and cut it into chunks that are batches of their own, staged for the pool's memory (module models on workers). */
  slicer(G: G, batch: unknown, staging: Staging): Slicer;
}

const points: Kind<Group> = {
  name: 'points',
  single: (G, x, shape, tol, k) => pointFrame(G, x, shape as { n: number; d: number }, tol, k),
  batch(G, batch, { tol, into }, staging) {
    const job = pointJob(G, checkPoints(G, batch as BatchInput), tol, staging, into as never);
    return { ...job, finish: () => pointResult(job.finish()) };
  },
  outputs: POINT_OUTPUTS,
  framedOne: (G, x, shape, tol, k) => pointFramedOne(G, x, shape as { n: number; d: number }, tol, k),
  framed(G, batch, tol, staging, k, reuse) {
    const job = pointJob(G, checkPoints(G, batch as BatchInput), tol, staging, reusedArrays(reuse));
    return { ...job, finish: () => pointFramed(G, job.finish(), k) };
  },
  framedHere: (G, batch, tol, k, reuse) => pointFramedHere(G, checkPoints(G, batch as BatchInput), tol, k, reuse),
  slicer: (G, batch, staging) => rowSlicer(checkPoints(G, batch as BatchInput), G.d * G.width, G.d * G.width, staging),
};

const permutation: Kind<PermutationGroup> = {
  name: 'permutation',
  single: (G, x, shape, tol) => permutationFrame(G, x as Float64Array, shape as { n: number; d: number }, { tol }),
  batch(G, batch, { tol }) {
    const job = permutationJob(checkPermutationBatch(G, batch as BatchInput), tol);
    return { ...job, finish: () => permutationResult(job.finish()) };
  },
  outputs: POINT_OUTPUTS,
  framedOne: (G, x, shape, tol, k) => permutationFramedOne(G, x, shape as { n: number; d: number }, tol, k),
  framed(G, batch, tol, _staging, k) {
    const job = permutationJob(checkPermutationBatch(G, batch as BatchInput), tol);
    return { ...job, finish: () => permutationFramed(G, job.finish(), k) };
  },
  slicer(G, batch, staging) {
    const { b } = checkPermutationBatch(G, batch as BatchInput);
    return rowSlicer(b, b.dim, G.base ? b.dim : null, staging);
  },
};

const graph: Kind<GraphGroup> = {
  name: 'graph',
  // (the options named, not spread: a spread costs a call on a small graph more than its checks)
  single: (G, x, shape, tol, k) => {
    const { n, colors } = shape as { n: number; colors?: ArrayLike<number> };
    return graphFrame(x as ArrayLike<number>, { n, colors, weighted: G.weighted, tol }, k);
  },
  batch: (G, batch, { tol }) => graphJob(checkGraphBatch(G, batch), tol),
  outputs: GRAPH_OUTPUTS,
  framedOne: (G, x, shape, tol, k) => graphFramedOne(G, x, shape as { n: number }, tol, k),
  framed: (G, batch, tol) => graphFramedJob(checkGraphBatch(G, batch), tol),
  slicer: (G, batch) => graphSlicer(checkGraphBatch(G, batch)),
};

const baselines: Kind<Group> = {
  name: 'baseline',
  single: (G, x, shape, tol, k) => baseline.single(G, x, shape as { n: number; d: number }, tol, k),
  batch: (G, batch, { tol }) => baseline.batch(G, batch, tol),
  outputs: POINT_OUTPUTS,
  framedOne: (G, x, shape, tol, k) => baseline.framedOne(G, x, shape as { n: number; d: number }, tol, k),
  framed: (G, batch, tol, _staging, k) => baseline.framed(G, batch, tol, k),
  slicer: (G, batch, staging) => baseline.slicer(G, batch, staging),
};

/**
 * A group spec parsed (with `options` as group() takes them: a baseline method),
 * with the kind of input it acts on.
 */
export function kindOf(spec: unknown, options?: GroupOptions): { G: AnyGroup; kind: Kind } {
  const G = (options ? parseGroup(spec as string, options) : parseGroup(spec as string)) as AnyGroup;
  const kind = G.family === 'graph' ? graph : G.family === 'permutation' ? permutation : G.method !== 'mfa' ? baselines : points;
  return { G, kind: kind as Kind };
}

/** A batch's frames on this thread, for the wrappers and a module model's chunks: the kind's own way (Kind.framedHere), or its job inline. */
export function framedHere(kind: Kind, G: AnyGroup, batch: unknown, tol: number, k: Kernels, reuse?: Framed): Framed {
  return kind.framedHere ? kind.framedHere(G as never, batch, tol, k, reuse) : runInline(kind.framed(G as never, batch, tol, LOCAL, k, reuse), runTask, k);
}

/** Run a task of any kind (workers and the inline pool). Throws what the kernels throw. */
export function runTask(task: Task, k: Kernels): unknown {
  switch (task.kind) {
    case 'points':
      return runPoints(task as PointTask, k);
    case 'permutation':
      return runPermutation(task as PermutationTask, k);
    case 'graph':
      return runGraph(task as GraphTask, k);
    case 'baseline':
      return runBaseline(task as BaselineTask, k);
    case 'average': {
      const { G, kind } = kindOf((task as AverageTask).group, (task as AverageTask).options);
      return averageChunk(G, kind, task as AverageTask, k, framedHere);
    }
    default:
      throw internalError(`no kind runs tasks of kind '${task.kind}'`);
  }
}

/** The buffers a task (or, with `reply`, its reply) may transfer: its own copies, never shared memory. */
export function transferables(task: Task, reply?: unknown): ArrayBuffer[] {
  if (task.kind === 'points') return pointBuffers((reply ?? task) as PointTask | PointReply);
  if (task.kind === 'average') {
    if (reply !== undefined) return (reply as AverageReply).data ? [(reply as AverageReply).data!.buffer as ArrayBuffer] : [];
    // a chunk is its own copy, or views on shared memory (Slicer.slice)
    const views = Object.values((task as AverageTask).input as object).filter((v): v is ArrayBufferView => ArrayBuffer.isView(v));
    return [...new Set(views.map((v) => v.buffer))].filter((b): b is ArrayBuffer => !isShared(b));
  }
  if (reply !== undefined) return [];
  if (task.kind === 'baseline') return baselineBuffers(task as BaselineTask);
  return task.kind === 'permutation' ? permutationBuffers(task as PermutationTask) : graphBuffers(task as GraphTask);
}
