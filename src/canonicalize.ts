/**
 * Canonical forms and frames, synchronously on the calling thread.
 */
import { group as parseGroup, pointGroup, isGraphGroup, isPermutationGroup, DEFAULT_TOL, type Group, type GraphGroup, type PermutationGroup, type PermutationSpec } from './groups.js';
import { permutationFrame, type PermutationFrame } from './frames/permutation.js';
import { graphFrame, type GraphFrame } from './frames/graph.js';
import { checkShape, checkSingle, checkTol, type BatchInput, type CheckedBatch } from './batch.js';
import { computeFrame, computeFrames, frameElements, type FrameBatch } from './frames/index.js';
import { optionRangeError, withBatchResult } from './errors.js';
import { kernels } from './wasm/module.js';
import { recordResult, recordsInline, type GraphBatchInput, type GraphBatchResult, type PermutationBatchResult } from './engine/records.js';

export interface CanonicalizeOptions {
  /** Relative tolerance for rank decisions and ties (default 1e-9). */
  tol?: number;
}

/** The minimal frame of one input. */
export interface Frame {
  group: string;
  n: number;
  d: number;
  /** c = h⁻¹·x, n×d row-major (what the model sees). */
  canonical: Float64Array;
  /** |Stab(c)| = |frame|: 1 for generic input, Infinity when continuous. */
  size: number;
  rank: number;
  /** h = (matrix, shift): x = c·matrixᵀ + shift. Outside the input's span the matrix is zero (Haar average). */
  matrix: Float64Array;
  shift: Float64Array;
  /** Every group element of a finite frame (size d×d matrices and size shifts), or null. */
  elements: { matrices: Float64Array; shifts: Float64Array } | null;
  /** Why the frame may be inaccurate (GL/SL/Aff: ill-conditioned), or null. */
  warning: string | null;
}

/** Shape of a graph input: n vertices, optional vertex colour ids. */
export interface GraphShape {
  n: number;
  colors?: ArrayLike<number>;
}

/**
 * The minimal frame of one input: a point set (n×d rows) for the point groups, an
 * n×n adjacency matrix for 'graph' / 'weighted-graph' (see GraphFrame).
 */
export function canonicalize(G: 'graph' | 'weighted-graph' | GraphGroup, adjacency: ArrayLike<number>, shape: GraphShape, options?: CanonicalizeOptions): GraphFrame;
export function canonicalize(G: PermutationGroup | PermutationSpec, x: Float64Array | Float32Array, shape: { n: number; d: number }, options?: CanonicalizeOptions): PermutationFrame;
export function canonicalize(G: string | Group, x: Float64Array | Float32Array, shape: { n: number; d: number }, options?: CanonicalizeOptions): Frame;
export function canonicalize(G: string | Group | GraphGroup | PermutationGroup, x: ArrayLike<number>, shape: GraphShape | { n: number; d: number }, options: CanonicalizeOptions = {}): Frame | GraphFrame | PermutationFrame {
  const gg = parseGroup(G as string) as Group | GraphGroup | PermutationGroup;
  if (isGraphGroup(gg)) return graphFrame(x, { ...(shape as GraphShape), weighted: gg.weighted, tol: options.tol });
  const tol = checkTol(options.tol, DEFAULT_TOL);
  if (isPermutationGroup(gg)) return permutationFrame(gg, x as Float64Array | Float32Array, shape as { n: number; d: number }, { tol });
  const g = gg;
  const b = checkSingle(g, x as Float64Array | Float32Array, shape as { n: number; d: number });
  const k = kernels();
  const f = computeFrame(g, b, tol, k);
  const d = g.d;
  return {
    group: g.spec,
    n: shape.n,
    d,
    canonical: f.canonical,
    size: f.sizes[0],
    rank: f.ranks[0],
    matrix: f.matrices,
    shift: f.shifts,
    elements: frameElements(g, b, tol, f, k),
    warning: f.warnings?.[0] ?? null,
  };
}

export type ErrorMode = 'throw' | 'status';

export interface BatchOptions extends CanonicalizeOptions {
  /**
   * An earlier result whose arrays this call overwrites where they have the right
   * length, instead of allocating new ones: touching fresh memory can cost more than
   * the frames themselves for large batches, so loops over batches should pass it.
   */
  into?: FrameBatch;
  /**
   * 'throw' (default): a bad input throws its own TypeError/RangeError, which carries
   * `.errors` (every bad input) and `.result` (the whole batch, bad inputs as NaN).
   * 'status': never throw for bad inputs; read `result.errors`.
   */
  errors?: ErrorMode;
}

/** Frames of a batch plus per-input status (null where the input was fine). */
export interface BatchResult extends FrameBatch {
  errors: (Error | null)[];
}

export function checkErrorMode(mode: unknown): ErrorMode {
  if (mode === undefined) return 'throw';
  if (mode !== 'throw' && mode !== 'status') throw optionRangeError(`errors must be 'throw' or 'status', got ${String(mode)}`);
  return mode;
}

/** Throw in 'throw' mode when the batch had bad inputs; else hand the result back. */
export function settle<R extends { errors: (Error | null)[] }>(result: R, mode: ErrorMode): R {
  if (mode === 'throw') {
    const bad = result.errors.filter((e): e is Error => e !== null);
    if (bad.length > 0) throw withBatchResult(bad[0], bad, result);
  }
  return result;
}

/**
 * Frames of a whole batch on this thread (the engine spreads the same work over
 * workers): point sets for the point groups; adjacency blocks back to back for
 * 'graph' / 'weighted-graph' (GraphBatchInput → GraphBatchResult); point sets for
 * S(n) and S(n) x G (→ PermutationBatchResult). `into` applies to point groups only.
 */
export function canonicalizeBatch(G: 'graph' | 'weighted-graph' | GraphGroup, batch: GraphBatchInput, options?: BatchOptions): GraphBatchResult;
export function canonicalizeBatch(G: PermutationSpec | PermutationGroup, batch: BatchInput, options?: BatchOptions): PermutationBatchResult;
export function canonicalizeBatch(G: string | Group, batch: BatchInput, options?: BatchOptions): BatchResult;
export function canonicalizeBatch(G: string | Group | GraphGroup | PermutationGroup, batch: BatchInput | GraphBatchInput, options: BatchOptions = {}): BatchResult | GraphBatchResult | PermutationBatchResult {
  const parsed = parseGroup(G as string) as Group | GraphGroup | PermutationGroup;
  if (isGraphGroup(parsed) || isPermutationGroup(parsed)) {
    const tol = checkTol(options.tol, DEFAULT_TOL);
    const mode = checkErrorMode(options.errors);
    const { b, parts } = recordsInline(parsed, batch, tol, kernels());
    return settle(recordResult(b, parts), mode);
  }
  const g = pointGroup(parsed, 'canonicalizeBatch()');
  const tol = checkTol(options.tol, DEFAULT_TOL);
  const mode = checkErrorMode(options.errors);
  // values are checked by the frames, slice by slice, as they copy them in
  const b: CheckedBatch = checkShape(g, batch as BatchInput);
  return settle({ ...computeFrames(g, b, tol, undefined, options.into), errors: b.errors }, mode);
}
