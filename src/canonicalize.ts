/**
 * Canonical forms and frames, synchronously on the calling thread, for every kind
 * of input (src/kinds/): a point set for the point groups and S(n) (x G), an n×n
 * adjacency matrix for 'graph' / 'weighted-graph'. canonicalizeBatch runs the same
 * job as the engine, in one chunk on this thread.
 */
import { DEFAULT_TOL, type BaselineGroup, type Group, type GraphGroup, type PermutationGroup, type PermutationSpec } from './groups.js';
import type { BaselineBatchResult, BaselineFrame } from './kinds/baseline.js';
import { checkOptions, checkTol, type BatchInput } from './batch.js';
import type { PermutationFrame } from './frames/permutation.js';
import type { GraphFrame } from './frames/graph.js';
import { kernels } from './wasm/module.js';
import { checkErrorMode, runInline, settle, LOCAL, type ErrorMode } from './kinds/kind.js';
import { kindOf, runTask } from './kinds/index.js';
import type { BatchResult, Frame } from './kinds/points.js';
import type { PermutationBatchResult } from './kinds/permutation.js';
import type { GraphBatchInput, GraphBatchResult } from './kinds/graph.js';

export interface CanonicalizeOptions {
  /** Relative tolerance for rank decisions and ties (default 1e-9), in [0, 1). */
  tol?: number;
}

/** Shape of a graph input: n vertices, optional vertex colour ids. */
export interface GraphShape {
  n: number;
  colors?: ArrayLike<number>;
}

/**
 * The minimal frame of one input: a point set (n×d rows) for the point groups and
 * S(n) (x G), an n×n adjacency matrix for 'graph' / 'weighted-graph'.
 */
export function canonicalize(G: 'graph' | 'weighted-graph' | GraphGroup, adjacency: ArrayLike<number>, shape: GraphShape, options?: CanonicalizeOptions): GraphFrame;
export function canonicalize(G: PermutationGroup | PermutationSpec, x: Float64Array | Float32Array, shape: { n: number; d: number }, options?: CanonicalizeOptions): PermutationFrame;
export function canonicalize(G: BaselineGroup, x: Float64Array | Float32Array, shape: { n: number; d: number }, options?: CanonicalizeOptions): BaselineFrame;
export function canonicalize(G: string | Group, x: Float64Array | Float32Array, shape: { n: number; d: number }, options?: CanonicalizeOptions): Frame;
export function canonicalize(spec: string | Group | GraphGroup | PermutationGroup, x: ArrayLike<number>, shape: GraphShape | { n: number; d: number }, options?: CanonicalizeOptions): Frame | GraphFrame | PermutationFrame | BaselineFrame {
  const { G, kind } = kindOf(spec);
  const tol = checkTol(checkOptions(options).tol, DEFAULT_TOL);
  return kind.single(G, x, shape, tol);
}

export interface BatchOptions extends CanonicalizeOptions {
  /**
   * An earlier result whose arrays this call overwrites where they have the right
   * length, instead of allocating new ones (point groups): touching fresh memory can
   * cost more than the frames themselves for large batches, so loops over batches
   * should pass it. Its arrays must have the result's types (Float64Array, and
   * Int32Array `ranks`), else OptionTypeError.
   */
  into?: BatchResult;
  /**
   * 'throw' (default): a bad input throws its own TypeError/RangeError, which carries
   * `.errors` (every bad input) and `.result` (the whole batch, bad inputs as NaN).
   * 'status': never throw for bad inputs; read `result.errors`.
   */
  errors?: ErrorMode;
}

/**
 * Frames of a whole batch on this thread (the engine spreads the same work over
 * workers): point sets for the point groups and S(n) (x G) (BatchInput →
 * BatchResult / PermutationBatchResult); adjacency blocks back to back for
 * 'graph' / 'weighted-graph' (GraphBatchInput → GraphBatchResult).
 */
export function canonicalizeBatch(G: 'graph' | 'weighted-graph' | GraphGroup, batch: GraphBatchInput, options?: BatchOptions): GraphBatchResult;
export function canonicalizeBatch(G: PermutationSpec | PermutationGroup, batch: BatchInput, options?: BatchOptions): PermutationBatchResult;
export function canonicalizeBatch(G: BaselineGroup, batch: BatchInput, options?: BatchOptions): BaselineBatchResult;
export function canonicalizeBatch(G: string | Group, batch: BatchInput, options?: BatchOptions): BatchResult;
export function canonicalizeBatch(spec: string | Group | GraphGroup | PermutationGroup, batch: BatchInput | GraphBatchInput, options?: BatchOptions): BatchResult | GraphBatchResult | PermutationBatchResult | BaselineBatchResult {
  const { G, kind } = kindOf(spec);
  const o = checkOptions(options) as BatchOptions;
  const tol = checkTol(o.tol, DEFAULT_TOL);
  const mode = checkErrorMode(o.errors);
  const k = kernels();
  return settle(runInline(kind.batch(G, batch, { tol, into: o.into }, LOCAL), runTask, k), mode);
}
