/**
 * What the two kinds whose tasks carry their own copies of their inputs share
 * (permutation.ts: point sets under S(n) (x G); graph.ts: adjacency blocks): a
 * chunk's copy of its values, and the batch's errors from the tasks' failures.
 * Their replies vary in length per input (permutations, generators), so they are
 * laid out flat on the calling thread once every chunk is in.
 */
import type { Real } from '../batch.js';
import { fromFailure, type InputFailure } from '../errors.js';

/** A chunk's own copy of inputs first .. end−1: values, offsets from 0, and the skip mask. */
export interface ChunkCopy {
  data: Real;
  /** count+1 offsets (rows or vertices) from 0. */
  offsets: Int32Array;
  /** 1 for inputs that failed the shape check on the calling thread. */
  skip: Uint8Array;
}

/** Inputs first .. end−1 of a batch laid out by `offsets`, their values at `values` (count+1). */
export function copyChunk(data: Real, offsets: Int32Array, values: ArrayLike<number>, skip: Uint8Array, first: number, end: number): ChunkCopy {
  const chunk = offsets.slice(first, end + 1);
  const o0 = chunk[0];
  for (let i = 0; i < chunk.length; i++) chunk[i] -= o0;
  return { data: data.slice(values[first], values[end]), offsets: chunk, skip: skip.slice(first, end) };
}

/** The buffers of a chunk copy (its own: transferable). */
export function copyBuffers(c: ChunkCopy): ArrayBuffer[] {
  return [c.data, c.offsets, c.skip].map((a) => a.buffer as ArrayBuffer);
}

/** The batch's errors: those found on the calling thread, then the tasks' failures. */
export function collectErrors(errors: (Error | null)[], failures: ArrayLike<InputFailure | null | undefined>): (Error | null)[] {
  return errors.map((e, i) => {
    const r = failures[i];
    return e ?? (r ? fromFailure(i, r) : null);
  });
}
