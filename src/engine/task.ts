/**
 * The one task every engine runs: frames for a chunk of whole inputs.
 *
 * The Node pool (piscina), the browser pool (comlink) and the inline engine all call
 * `runChunk`, so a chunk is computed by the same code wherever it runs. Each input's
 * frame depends on that input's rows alone, so results are bit-identical for any
 * thread count and chunking.
 *
 * A task names a range of inputs in a `BatchIO`: the batch's rows and the arrays its
 * results go to. With shared memory (SharedArrayBuffer, or plain buffers on the
 * calling thread) the IO is the whole batch and the task writes its slice in place;
 * otherwise the task carries a copy of its chunk (`chunkIO`), computes it from 0, and
 * the outputs travel back to be copied into the whole batch (`mergeChunk`).
 * This module must stay free of Node and DOM APIs: workers of both kinds import it.
 */
import { pointGroup, type Group } from '../groups.js';
import type { CheckedBatch, Real } from '../batch.js';
import { computeFrames, type FrameBatch } from '../frames/index.js';
import { ready, type Kernels } from '../wasm/module.js';
import { internalError } from '../errors.js';
import { runRecords, type RecordTask, type Reply } from './records.js';

/**
 * A batch's rows and its outputs (FrameBatch's arrays, in its layout), all plain
 * typed arrays (cloneable, transferable).
 */
export interface BatchIO extends Pick<FrameBatch, 'canonical' | 'matrices' | 'shifts' | 'ranks' | 'sizes' | 'status'> {
  /** Rows of every input, laid out as in the batch: the input's own array, or a shared f64 copy. */
  data: Real;
  /** count+1 row indices. */
  offsets: Int32Array;
  /** 1 for inputs that failed validation: computed as NaN, never passed to a kernel. */
  skip: Uint8Array;
}

/** The FrameBatch arrays a task writes: values per input (per row for canonical). */
const OUTPUTS = ['canonical', 'matrices', 'shifts', 'ranks', 'sizes', 'status'] as const;

/** Inputs of a point-group batch (the other kind, RecordTask, is in records.ts). */
export interface PointTask {
  kind: 'points';
  /** Group spec, re-parsed on the worker (a Group is plain data, but a spec is smaller). */
  group: string;
  tol: number;
  io: BatchIO;
  /** The chunk: inputs first .. end-1 of `io`. */
  first: number;
  end: number;
  /** The io is this chunk's own copy: the worker sends it back when done. */
  transfer: boolean;
}

export type Task = PointTask | RecordTask;

type Outputs = Pick<BatchIO, (typeof OUTPUTS)[number]>;

/**
 * How many values each output holds for `count` inputs with `rows` rows in total,
 * as computeFrames lays them out. For the inputs before a chunk, this is also where
 * the chunk's results start.
 */
function lengths(G: Group, rows: number, count: number): Record<keyof Outputs, number> {
  const row = G.d * G.width;
  return { canonical: rows * row, matrices: count * G.d * row, shifts: count * row, ranks: count, sizes: count, status: 2 * count };
}

type Alloc = (bytes: number) => ArrayBufferLike;

/**
 * Result arrays for `count` inputs holding `rows` rows in total, on buffers from
 * `alloc` — or `into`'s arrays where they fit (same length, and shared when `alloc`
 * makes shared buffers), so a caller's earlier result is overwritten instead of new
 * memory being touched.
 */
function outputs(G: Group, rows: number, count: number, alloc: Alloc, into?: Partial<Outputs>): Outputs {
  const n = lengths(G, rows, count);
  // (a page that is not cross-origin isolated has no SharedArrayBuffer at all)
  const isShared = (buffer: ArrayBufferLike) => typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;
  const shared = isShared(alloc(0));
  const fits = <T extends Float64Array | Int32Array>(a: T | undefined, len: number): a is T =>
    a !== undefined && a.length === len && (!shared || isShared(a.buffer));
  const f64 = (key: 'canonical' | 'matrices' | 'shifts' | 'sizes' | 'status') =>
    fits(into?.[key], n[key]) ? into![key]! : new Float64Array(alloc(n[key] * 8), 0, n[key]);
  return {
    canonical: f64('canonical'),
    matrices: f64('matrices'),
    shifts: f64('shifts'),
    ranks: fits(into?.ranks, n.ranks) ? into!.ranks! : new Int32Array(alloc(n.ranks * 4), 0, n.ranks),
    sizes: f64('sizes'),
    status: f64('status'),
  };
}

const plain: Alloc = (bytes) => new ArrayBuffer(bytes);

/**
 * The IO of a whole checked batch. With `shared`, the rows and the results live in
 * SharedArrayBuffers that every worker sees: the input's own rows when they already
 * do, else f64 rows on `shared.staging(bytes)` (a buffer the caller may reuse across
 * calls), which `stageRows` fills chunk by chunk so that copying overlaps the
 * workers' compute. Otherwise the input's rows are used as they are and the results
 * are plain arrays. Results go into `into`'s arrays where they fit (see outputs).
 */
export function batchIO(G: Group, b: CheckedBatch, shared: { staging(bytes: number): SharedArrayBuffer } | null, into?: Partial<Outputs>): BatchIO {
  const rows = b.offsets[b.count];
  if (!shared) return { data: b.data, offsets: b.offsets, skip: b.skip, ...outputs(G, rows, b.count, plain, into) };
  const alloc: Alloc = (bytes) => new SharedArrayBuffer(bytes);
  const copy = <T extends Int32Array | Uint8Array>(a: T): T => {
    const c = new (a.constructor as new (buffer: ArrayBufferLike) => T)(alloc(a.byteLength));
    c.set(a);
    return c;
  };
  const data = b.data.buffer instanceof SharedArrayBuffer ? b.data : new Float64Array(shared.staging(b.data.length * 8), 0, b.data.length);
  return { data, offsets: copy(b.offsets), skip: copy(b.skip), ...outputs(G, rows, b.count, alloc, into) };
}

/** Copy the rows of inputs first .. end-1 from the batch's own data into io.data (when that is a copy). */
export function stageRows(G: Group, io: BatchIO, source: Real, first: number, end: number): void {
  if (io.data === source) return;
  const rowLen = G.d * G.width;
  const from = io.offsets[first] * rowLen;
  io.data.set(source.subarray(from, io.offsets[end] * rowLen), from);
}

/** A copy of inputs first .. end-1 of `io`, rows renumbered from 0, with empty results. */
export function chunkIO(G: Group, io: BatchIO, first: number, end: number): BatchIO {
  const rowLen = G.d * G.width;
  const r0 = io.offsets[first];
  const offsets = rebase(io.offsets, first, end);
  const rows = offsets[end - first];
  return {
    data: io.data.slice(r0 * rowLen, (r0 + rows) * rowLen),
    offsets,
    skip: io.skip.slice(first, end),
    ...outputs(G, rows, end - first, plain),
  };
}

/** Offsets of inputs first .. end-1, renumbered to start at row 0. */
function rebase(offsets: Int32Array, first: number, end: number): Int32Array {
  const out = offsets.slice(first, end + 1);
  const r0 = offsets[first];
  for (let i = 0; i < out.length; i++) out[i] -= r0;
  return out;
}

/** Copy the results of a chunk (its inputs numbered from 0) into the whole batch's IO at input `first`. */
export function mergeChunk(G: Group, io: BatchIO, chunk: Outputs, first: number): void {
  const at = lengths(G, io.offsets[first], first);
  for (const key of OUTPUTS) (io[key] as Float64Array).set(chunk[key] as Float64Array, at[key]);
}

/** Every buffer of an IO (for transfer lists). */
export function buffersOf(io: BatchIO): ArrayBuffer[] {
  return [io.data, io.offsets, io.skip, ...OUTPUTS.map((k) => io[k])].map((a) => a.buffer as ArrayBuffer);
}

/**
 * Kernels for the next task. A task that threw may have left its instance mid-kernel
 * (a trap), so the next one starts from a fresh instance of the same build.
 */
let fresh: Promise<Kernels> | null = null;

/**
 * Run a task. A point task computes inputs task.first .. task.end-1 of task.io and
 * writes their results into task.io in place; a record task resolves with its
 * records. Throws what the kernels throw (the engine reports it naming the chunk's
 * inputs).
 */
export async function runChunk(task: Task): Promise<Reply | void> {
  const k = await (fresh ?? ready());
  fresh = null;
  try {
    if (task.kind === 'records') return runRecords(task, k);
    const G = pointGroup(task.group, 'a worker task');
    const { io, first, end } = task;
    const rowLen = G.d * G.width;
    const r0 = io.offsets[first];
    const offsets = rebase(io.offsets, first, end);
    const count = end - first;
    const skip = io.skip.slice(first, end);
    let bad = 0;
    for (let i = 0; i < count; i++) bad += skip[i];
    // Workers receive the skip mask, not the validation errors (they stay on the
    // calling thread); computeFrames reads only the mask. The values are checked
    // here, in parallel, as the frames copy them in (checked: false); what that
    // finds goes back as STATUS_NONFINITE with the value's position.
    const chunk: CheckedBatch = {
      data: io.data.subarray(r0 * rowLen, io.offsets[end] * rowLen),
      dim: G.d,
      count,
      offsets,
      errors: new Array<null>(count).fill(null),
      skip,
      bad,
      checked: false,
    };
    // the chunk's slices of the batch's outputs: results are written there directly
    const want = lengths(G, offsets[count], count);
    const at = lengths(G, r0, first);
    const slices = Object.fromEntries(OUTPUTS.map((key) => [key, io[key].subarray(at[key], at[key] + want[key])])) as Outputs;
    const f: FrameBatch = computeFrames(G, chunk, task.tol, k, slices, true);
    for (const key of OUTPUTS) {
      if (f[key].length !== want[key]) throw internalError(`${G.spec} frames gave ${f[key].length} ${key} values for ${count} inputs, expected ${want[key]}`);
      if (f[key] !== slices[key]) slices[key].set(f[key] as Float64Array);
    }
  } catch (e) {
    fresh = ready({ simd: k.simd });
    throw e;
  }
}
