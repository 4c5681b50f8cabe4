/**
 * S(n) and S(n) x G as a kind of input: point sets whose rows S(n) permutes, frames
 * from src/frames/permutation.ts. Each task carries its own copy of its chunk's
 * rows and replies with the chunk's PermutationFrames (plain data, stabilizers
 * included, so the wrappers average on the calling thread exactly as inline).
 * This module must stay free of Node and DOM APIs: workers of both kinds import it.
 */
import { group as parseGroup, type PermutationGroup } from '../groups.js';
import { checkShape, type BatchInput, type CheckedBatch } from '../batch.js';
import { emptyFrames, permutationFrames, restorePermutationOutputs, rowGroup, singleFrames, type PermutationFrames } from '../frames/permutation.js';
import { optionRangeError } from '../errors.js';
import { kernels, type Kernels } from '../wasm/module.js';
import { collectErrors, copyBuffers, copyChunk, type ChunkCopy } from './copies.js';
import { view, type Framed, type Job, type Task } from './kind.js';
import { rowWork } from './points.js';

/** S(n) and S(n) x G frames of a batch of point sets (rows laid out by `offsets`). */
export interface PermutationBatchResult extends Omit<PermutationFrames, 'sizesExact' | 'failures' | 'stabilizers'> {
  /** |frame| exactly, or null for bad inputs. */
  sizesExact: (bigint | null)[];
  errors: (Error | null)[];
  /** Always null per input: these frames carry no accuracy warnings. */
  warnings: (string | null)[];
}

export interface PermutationTask extends Task, ChunkCopy {
  kind: 'permutation';
  group: string;
  tol: number;
  dim: number;
}

/** A checked batch of point sets under a permutation group. */
export interface PermutationBatch {
  G: PermutationGroup;
  b: CheckedBatch;
}

/** Check a batch's shape (a bad shape throws for the whole batch; an empty input is its own error). */
export function checkPermutationBatch(G: PermutationGroup, batch: BatchInput): PermutationBatch {
  const d = (batch as { dim?: unknown } | null)?.dim;
  if (!Number.isSafeInteger(d) || (d as number) < 1) throw optionRangeError(`batch.dim must be a whole number >= 1, got ${String(d)}`);
  return { G, b: checkShape(rowGroup(G, d as number), batch) };
}

/** The worker side: the chunk's frames (values are checked here, input by input). */
export function runPermutation(task: PermutationTask, k: Kernels): PermutationFrames {
  const G = parseGroup(task.group as 'S(n)');
  const count = task.offsets.length - 1;
  let bad = 0;
  for (let i = 0; i < count; i++) bad += task.skip[i];
  const chunk: CheckedBatch = { data: task.data, dim: task.dim, count, offsets: task.offsets, errors: new Array(count).fill(null), skip: task.skip, bad, checked: false };
  return permutationFrames(G, chunk, { tol: task.tol }, k);
}

export const permutationBuffers = (task: PermutationTask): ArrayBuffer[] => copyBuffers(task);

/** The frames of a whole batch and its errors, as the wrappers average with. */
export interface PermutationFramed {
  frames: PermutationFrames;
  errors: (Error | null)[];
}

/** The job of a checked batch: a copy of each chunk's rows, the chunks' frames laid out flat at the end. */
export function permutationJob({ G, b }: PermutationBatch, tol: number): Job<PermutationFramed> {
  const d = b.dim;
  const values = Int32Array.from(b.offsets, (r) => r * d);
  const parts: [number, PermutationFrames][] = [];
  return {
    count: b.count,
    work: rowWork(b.offsets, d),
    task: (first, end): PermutationTask => ({ kind: 'permutation', group: G.spec, tol, dim: d, ...copyChunk(b.data, b.offsets, values, b.skip, first, end) }),
    merge: (reply, first) => void parts.push([first, reply as PermutationFrames]),
    finish() {
      let frames: PermutationFrames;
      if (parts.length === 1 && parts[0][0] === 0) frames = { ...parts[0][1], offsets: b.offsets };
      else {
        frames = emptyFrames(G.spec, d, b.offsets, true);
        for (const [first, p] of parts) {
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
      return { frames, errors: collectErrors(b.errors, frames.failures) };
    },
  };
}

/** The public form of a batch's frames. */
export function permutationResult({ frames, errors }: PermutationFramed): PermutationBatchResult {
  const { group, dim, count, offsets, canonical, permutations, matrices, shifts, ranks, sizes, complementSizes } = frames;
  const sizesExact = frames.sizesExact.map((s) => (s === '' ? null : BigInt(s)));
  return { group, dim, count, offsets, canonical, permutations, matrices, shifts, ranks, sizes, sizesExact, complementSizes, errors, warnings: new Array(count).fill(null) };
}

/** A batch's frames as the wrappers average with: rows of d values under S(n) x G, of any width under S(n). */
export function permutationFramed(G: PermutationGroup, { frames, errors }: PermutationFramed, k: Kernels = kernels()): Framed {
  const d = frames.dim;
  const rows = (i: number) => frames.offsets[i + 1] - frames.offsets[i];
  return {
    count: frames.count,
    dim: d,
    errors,
    warnings: new Array<string | null>(frames.count).fill(null),
    input: (i) => ({ x: view(frames.canonical, frames.offsets[i] * d, frames.offsets[i + 1] * d), shape: { n: rows(i), d } }),
    stacked: () => ({ data: frames.canonical, dim: d, offsets: frames.offsets, count: frames.count }),
    items: rows,
    width: () => (G.base ? d : null),
    restore(y, width, output, out) {
      restorePermutationOutputs(G, frames, y, output === 'points' ? 'points' : 'vectors', k, width, out);
    },
  };
}

/** The frame of one point set as the wrappers average with. */
export function permutationFramedOne(G: PermutationGroup, x: unknown, shape: { n: number; d: number }, tol: number, k: Kernels = kernels()): Framed {
  return permutationFramed(G, { frames: singleFrames(G, x, shape, { tol }, k), errors: [null] }, k);
}
