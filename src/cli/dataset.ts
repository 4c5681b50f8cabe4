/**
 * Datasets for the `canonicalize` and `average` commands: inputs in an .npy file
 * or .npz member — equal-size inputs as (count, n, …) or ragged ones as flat rows
 * plus offsets or sizes — read a chunk of inputs at a time, optionally only one
 * shard's contiguous slice of them, and pushed through read → compute → write with
 * the three stages overlapping.
 */
import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileError, ModelError, optionRangeError } from '../errors.js';
import { type Group, type GraphGroup, type PermutationGroup } from '../index.js';
import { openArray, OutputFile, type ArrayReader, type Output } from '../io/index.js';
import { itemBytes } from '../io/npy.js';

export type AnyGroup = Group | GraphGroup | PermutationGroup;

/** Where the inputs are: the values and how they split into inputs. */
export interface Dataset {
  readonly reader: ArrayReader;
  readonly graphs: boolean;
  readonly count: number;
  /** batch.dim of point batches (the group's d; for S(n), the rows' width); 0 for graphs. */
  readonly dim: number;
  /** Rows (point sets) or vertices (graphs) before each input: count+1 values. */
  readonly rows: Float64Array;
  /** Items of the reader's leading axis before each input: count+1 values. */
  readonly items: Float64Array;
  /** Every input has the same n (a (count, n, …) array): n, else null. */
  readonly n: number | null;
}

/** A chunk's inputs as a batch for the library: point sets ({ data, dim, offsets }) or graphs ({ data, offsets }). */
export interface ChunkBatch {
  data: Float64Array | Float32Array;
  dim: number;
  offsets: Int32Array;
}

const shapeText = (s: readonly number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

/** Row (vertex) offsets from an --offsets or --sizes file: count+1 non-decreasing whole numbers from 0. */
async function readIndex(spec: string, sizes: boolean): Promise<Float64Array> {
  const r = await openArray(spec);
  try {
    if (r.shape.length !== 1 || (r.dtype !== 'int32' && r.dtype !== 'int64')) {
      throw fileError(r.file, `${sizes ? 'sizes' : 'offsets'} must be a 1-D int32 or int64 array, got ${r.dtype} of shape ${shapeText(r.shape)}`);
    }
    const v = await r.read(0, r.length);
    if (sizes) {
      const out = new Float64Array(v.length + 1);
      for (let i = 0; i < v.length; i++) {
        if (v[i] < 0) throw fileError(r.file, `sizes must be >= 0, got ${v[i]} at ${i}`);
        out[i + 1] = out[i] + v[i];
      }
      return out;
    }
    if (v.length === 0 || v[0] !== 0) throw fileError(r.file, 'offsets must hold count+1 values starting at 0');
    for (let i = 1; i < v.length; i++) if (v[i] < v[i - 1]) throw fileError(r.file, `offsets must not decrease, got ${v[i - 1]} then ${v[i]} at ${i}`);
    return Float64Array.from(v);
  } finally {
    await r.close();
  }
}

/**
 * Open the dataset of `input` for group `G`: point sets (float32 or float64) as
 * (count, n, d) — trailing axes of d·2 values, or (d, 2), for complex groups — or
 * flat (rows, d) with offsets; graphs as (count, n, n) adjacency, or flat (Σ n_i²,)
 * blocks with vertex offsets. Every mismatch is a FileFormatError naming the file.
 */
export async function openDataset(G: AnyGroup, input: string, index: { offsets?: string; sizes?: string }): Promise<Dataset> {
  const ragged = index.offsets ?? index.sizes;
  const rows = ragged === undefined ? null : await readIndex(ragged, index.offsets === undefined);
  const reader = await openArray(input);
  try {
    const shape = reader.shape;
    const bad = (rule: string) => fileError(reader.file, `${rule}, got ${reader.dtype} of shape ${shapeText(shape)}`);
    if (G.family === 'graph') {
      if (rows === null) {
        if (shape.length !== 3 || shape[1] !== shape[2]) throw bad(`${G.spec} inputs must be (count, n, n) adjacency matrices, or flat blocks with --offsets or --sizes`);
        return equalSizes(reader, true, 0);
      }
      if (shape.length !== 1) throw bad(`ragged ${G.spec} inputs must be flat: every n_i×n_i block back to back, 1-D`);
      const items = new Float64Array(rows.length);
      for (let i = 0; i + 1 < rows.length; i++) items[i + 1] = items[i] + (rows[i + 1] - rows[i]) ** 2;
      if (items[rows.length - 1] !== reader.length) throw fileError(ragged!, `the vertex offsets describe ${items[rows.length - 1]} adjacency values (Σ n_i²), but ${reader.file} holds ${reader.length}`);
      return dataset(reader, true, 0, null, rows, items);
    }
    if (reader.dtype !== 'float64' && reader.dtype !== 'float32') throw bad('point sets must be float64 or float32');
    const base = G.family === 'permutation' ? G.base : G;
    const lead = rows === null ? 2 : 1; // (count, n, …) or (rows, …)
    if (shape.length < lead + 1) throw bad(rows === null ? `${G.spec} inputs must be (count, n, d) point sets` : `ragged ${G.spec} inputs must be (rows, d)`);
    let trailing = 1;
    for (const s of shape.slice(lead)) trailing *= s;
    const want = base ? base.d * base.width : trailing;
    if (trailing !== want || want === 0) throw bad(`${G.spec} acts on rows of ${want} values${base?.width === 2 ? ` (d = ${base.d} complex coordinates, re and im)` : ''}`);
    const dim = base ? base.d : want;
    if (rows === null) {
      return equalSizes(reader, false, dim);
    }
    if (rows[rows.length - 1] !== reader.length) throw fileError(ragged!, `the offsets end at row ${rows[rows.length - 1]}, but ${reader.file} has ${reader.length} rows`);
    return dataset(reader, false, dim, null, rows, rows);
  } catch (e) {
    await reader.close();
    throw e;
  }
}

/** A (count, n, …) array: input i is item i, with n rows (vertices) each. */
function equalSizes(reader: ArrayReader, graphs: boolean, dim: number): Dataset {
  const [count, n] = reader.shape;
  return dataset(reader, graphs, dim, n, Float64Array.from({ length: count + 1 }, (_, i) => i * n), Float64Array.from({ length: count + 1 }, (_, i) => i));
}

function dataset(reader: ArrayReader, graphs: boolean, dim: number, n: number | null, rows: Float64Array, items: Float64Array): Dataset {
  return { reader, graphs, count: rows.length - 1, dim, rows, items, n };
}

/** Shape of an output laid out like inputs first .. end-1 of the dataset (same trailing axes). */
export function slicedShape(ds: Dataset, first: number, end: number): number[] {
  return [ds.items[end] - ds.items[first], ...ds.reader.shape.slice(1)];
}

export interface Shard {
  index: number;
  count: number;
}

/**
 * The shard of `--shard i/N` or `--shard auto`: from a Slurm array job
 * (i = SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN, N = SLURM_ARRAY_TASK_COUNT) or a
 * Kubernetes Indexed Job (i = JOB_COMPLETION_INDEX, N = --shard-count).
 */
export function resolveShard(spec: string | undefined, shardCount: number | undefined, env: Record<string, string | undefined>): Shard | null {
  if (spec === undefined) {
    if (shardCount !== undefined) throw optionRangeError('--shard-count goes with --shard auto');
    return null;
  }
  const whole = (name: string, v: string | undefined) => {
    if (v === undefined || !/^\d+$/.test(v.trim())) throw optionRangeError(`--shard auto: ${name} must be a whole number, got ${v === undefined ? 'nothing' : `'${v}'`}`);
    return Number(v.trim());
  };
  let shard: Shard;
  if (spec === 'auto') {
    if (env.SLURM_ARRAY_TASK_ID !== undefined) {
      const min = env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : whole('SLURM_ARRAY_TASK_MIN', env.SLURM_ARRAY_TASK_MIN);
      shard = { index: whole('SLURM_ARRAY_TASK_ID', env.SLURM_ARRAY_TASK_ID) - min, count: whole('SLURM_ARRAY_TASK_COUNT', env.SLURM_ARRAY_TASK_COUNT) };
      if (shardCount !== undefined && shardCount !== shard.count) throw optionRangeError(`--shard-count ${shardCount} disagrees with SLURM_ARRAY_TASK_COUNT=${shard.count}`);
    } else if (env.JOB_COMPLETION_INDEX !== undefined) {
      if (shardCount === undefined) throw optionRangeError('--shard auto in a Kubernetes Indexed Job needs --shard-count N (the Job\'s completions)');
      shard = { index: whole('JOB_COMPLETION_INDEX', env.JOB_COMPLETION_INDEX), count: shardCount };
    } else {
      throw optionRangeError('--shard auto needs a Slurm array job (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shard-count N)');
    }
  } else {
    const m = /^(\d+)\/(\d+)$/.exec(spec);
    if (!m) throw optionRangeError(`--shard must be i/N (0 <= i < N) or auto, got '${spec}'`);
    if (shardCount !== undefined) throw optionRangeError('--shard-count goes with --shard auto');
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  if (!(shard.count >= 1 && shard.index >= 0 && shard.index < shard.count)) throw optionRangeError(`shard ${shard.index} of ${shard.count} does not exist (0 <= i < N)`);
  return shard;
}

/** Inputs first .. end-1 of shard i of N: contiguous slices, as equal as whole inputs allow. */
export function shardRange(count: number, shard: Shard | null): [number, number] {
  if (!shard) return [0, count];
  return [Math.floor((shard.index * count) / shard.count), Math.floor(((shard.index + 1) * count) / shard.count)];
}

/** `path` with `{shard}` replaced by the shard's index, zero-padded to N−1's width (so names sort in order). */
export function shardPath(path: string, shard: Shard | null): string {
  if (!path.includes('{shard}')) return path;
  if (!shard) throw optionRangeError(`'{shard}' in ${path} needs --shard`);
  return path.replaceAll('{shard}', String(shard.index).padStart(String(shard.count - 1).length, '0'));
}

/** Input bytes per chunk when --chunk is not given: large enough to amortize each call, small enough to stream. */
const CHUNK_BYTES = 16 << 20;

/** Chunk bounds over inputs first .. end-1: `chunk` inputs each, or about CHUNK_BYTES of input each. */
export function planChunks(ds: Dataset, first: number, end: number, chunk?: number): number[] {
  const bounds = [first];
  const itemSize = ds.reader.itemValues * itemBytes(ds.reader.dtype);
  let bytes = 0;
  for (let i = first; i < end; i++) {
    bytes += (ds.items[i + 1] - ds.items[i]) * itemSize;
    if (i + 1 < end && (chunk !== undefined ? i + 1 - bounds[bounds.length - 1] >= chunk : bytes >= CHUNK_BYTES)) {
      bounds.push(i + 1);
      bytes = 0;
    }
  }
  if (end > first) bounds.push(end);
  return bounds;
}

/** Rebased offsets of inputs first .. end-1 (rows or vertices). */
function chunkOffsets(ds: Dataset, first: number, end: number): Int32Array {
  const o = new Int32Array(end - first + 1);
  for (let i = first; i <= end; i++) o[i - first] = ds.rows[i] - ds.rows[first];
  return o;
}

/**
 * Read inputs first .. end-1 as a batch, into `buffer` when given (a
 * SharedArrayBuffer lets the engine's workers read the rows in place).
 */
export async function readChunk(ds: Dataset, first: number, end: number, buffer?: ArrayBufferLike): Promise<ChunkBatch> {
  const values = await ds.reader.read(ds.items[first], ds.items[end] - ds.items[first], buffer);
  const data = values instanceof Float64Array || values instanceof Float32Array ? values : Float64Array.from(values);
  return { data, dim: ds.dim, offsets: chunkOffsets(ds, first, end) };
}

/** Bytes of the largest chunk of `bounds`, for read buffers. */
export function largestChunk(ds: Dataset, bounds: readonly number[]): number {
  let most = 0;
  for (let k = 0; k + 1 < bounds.length; k++) most = Math.max(most, ds.items[bounds[k + 1]] - ds.items[bounds[k]]);
  return most * ds.reader.itemValues * itemBytes(ds.reader.dtype);
}

/**
 * Run chunks 0 .. chunks-1 through read → compute → write, overlapping: chunk k+1 is
 * read while chunk k is computed, and chunk k is written while chunk k+1 is
 * computed. Writes run in chunk order; compute(k) starts once write(k−2) is done,
 * so a ring of two read buffers and two results is enough.
 */
export async function pipeline<I, R>(chunks: number, read: (k: number) => Promise<I>, compute: (k: number, input: I) => Promise<R>, write: (k: number, r: R) => Promise<void>): Promise<void> {
  let next: Promise<I> | null = chunks > 0 ? read(0) : null;
  let writing: Promise<void> = Promise.resolve();
  try {
    for (let k = 0; k < chunks; k++) {
      const input = await next!;
      next = k + 1 < chunks ? read(k + 1) : null;
      const r = await compute(k, input);
      await writing;
      writing = write(k, r);
    }
    await writing;
  } finally {
    // what is still in flight after a failure settles here, so nothing rejects unheard
    await Promise.allSettled([next, writing]);
  }
}

/**
 * Error codes of the frames file's `errors` array: 0 the input is fine, 1 it breaks
 * a rule (a RangeError: too few rows, NaN, a rank the group cannot frame, …), 2 a
 * value of the wrong kind (a TypeError: a model output of the wrong length or type),
 * 3 the model threw.
 */
export function errorCode(e: Error | null): number {
  if (e === null) return 0;
  if (e instanceof ModelError) return 3;
  return e instanceof TypeError ? 2 : 1;
}

/**
 * Per-input failures of a run: counted, their codes kept for the frames file, and
 * their messages — one line each, "input <index in the whole dataset>: <rule>" —
 * appended to the errors text file when there is one.
 */
export class Failures {
  count = 0;
  /** The first few messages, for the summary. */
  readonly first: string[] = [];

  constructor(private readonly text: OutputFile | null) {}

  /** Codes of a chunk's inputs (from `first` in the dataset), after recording its failures. */
  async record(errors: readonly (Error | null)[], first: number): Promise<Int32Array> {
    const codes = new Int32Array(errors.length);
    let lines = '';
    errors.forEach((e, j) => {
      if (e === null) return;
      codes[j] = errorCode(e);
      const line = `input ${first + j}: ${e.message.replace(/^input \d+: /, '').replace(/\s*\n\s*/g, ' ')}`;
      this.count++;
      if (this.first.length < 3) this.first.push(line);
      lines += line + '\n';
    });
    if (this.text && lines) await this.text.append(new TextEncoder().encode(lines));
    return codes;
  }
}

/**
 * Refuse a run that would write over one of its inputs (an output replaces its
 * target when the run completes, so the input would be lost): paths compared as
 * resolved, through symbolic links for the files that exist.
 */
export function rejectOverwrite(writes: (string | null)[], reads: (string | undefined)[]): void {
  const real = (path: string) => (existsSync(path) ? realpathSync(path) : resolve(path));
  const read = new Set(reads.filter((path) => path !== undefined).map(real));
  for (const path of writes) {
    if (path && read.has(real(path))) throw optionRangeError(`${path} is also an input of this run; write the outputs to another file`);
  }
}

/** The errors text file next to a frames file: frames.npz → frames.errors.txt. */
export function errorsPath(frames: string): string {
  return frames.replace(/(\.npz)?$/i, '.errors.txt');
}

/** Outputs of a run: committed together at the end, or discarded together on failure. */
export class Outputs {
  private readonly all: Output[] = [];

  add<O extends Output>(o: O): O {
    this.all.push(o);
    return o;
  }

  async commit(): Promise<void> {
    for (const o of this.all) await o.commit();
  }

  async discard(): Promise<void> {
    await Promise.all(this.all.map((o) => o.discard()));
  }
}
