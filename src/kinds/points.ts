/**
 * The point groups (O, SO, E, SE, O(1,d−1), SO(1,d−1), U, SU, GL, SL, Aff) as a kind
 * of input: n×d rows per input, frames from the families in src/frames/.
 *
 * A batch's results live in one set of arrays (BatchIO's outputs) that every task
 * writes its slice of: in place on the calling thread ('local') and through
 * SharedArrayBuffers on workers ('shared'); with 'transfer' a task's reply carries its
 * chunk's results back to be copied in. Rows the workers cannot see in place are
 * staged one chunk at a time into small shared buffers that are reused as chunks
 * finish, so a large call holds its input, its results and a few chunks, not a
 * second copy of its input. Each input's frame depends on that input's rows alone,
 * so results are bit-identical for any thread count and chunking.
 * This module must stay free of Node and DOM APIs: workers of both kinds import it.
 */
import { group, type Group } from '../groups.js';
import { checkCap, checkShape, checkSingle, DEFAULT_ELEMENT_CAP, type BatchInput, type CheckedBatch, type Real } from '../batch.js';
import { applyStatus, computeFrames, frameElements, restoreOutputs } from '../frames/families.js';
import { PLACED, type Elements, type FrameBatch } from '../frames/index.js';
import { describe, internalError, optionError, MemoryLimitError } from '../errors.js';
import { kernels, spawnKernels, type Kernels } from '../wasm/module.js';
import { isShared, runInline, view, LOCAL, type Framed, type Job, type OutputKind, type Slicer, type Staging, type Task } from './kind.js';

/** The minimal frame of one point set. */
export interface Frame {
  group: string;
  n: number;
  d: number;
  /** c = h⁻¹·x, n×d row-major (what the model sees). */
  canonical: Float64Array;
  /** |Stab(c)| = |frame|: 1 for generic input, 2 or Infinity for degenerate ones. */
  size: number;
  /** |frame| exactly, or null when it is infinite (a continuous stabilizer). */
  sizeExact: bigint | null;
  rank: number;
  /** h = (matrix, shift): x = c·matrixᵀ + shift. Outside the input's span the matrix is zero (Haar average). */
  matrix: Float64Array;
  shift: Float64Array;
  /**
   * Every group element of the frame (size d×d matrices and size shifts), or null
   * when the frame is continuous; a RangeError when it has more than `cap` elements.
   */
  elements(cap?: number): { matrices: Float64Array; shifts: Float64Array } | null;
  /** Why the frame may be inaccurate (GL/SL/Aff: ill-conditioned), or null. */
  warning: string | null;
}

/**
 * Frames of a batch of point sets, one per input (rows laid out by `offsets`):
 * X_i = c_i·M_iᵀ + t_i. A bad input has NaN values, rank −1 (or the rank that made it
 * fail), null in `sizesExact` and its error in `errors`.
 */
export interface BatchResult extends Omit<FrameBatch, 'status' | 'warnings'> {
  /** |frame| exactly: a bigint, or null where it is infinite or the input is bad. */
  sizesExact: (bigint | null)[];
  errors: (Error | null)[];
  /** Per input, a warning about a frame that may be inaccurate (GL/SL/Aff: ill-conditioned), or null. */
  warnings: (string | null)[];
}

/**
 * The arrays a batch's results go to (FrameBatch's, in its layout). The status codes
 * are not among them: they are rare, so each task sends back only its nonzero ones
 * (PointReply.remarks) instead of the batch holding two values per input.
 */
type Outputs = Pick<FrameBatch, 'canonical' | 'matrices' | 'shifts' | 'ranks' | 'sizes'>;

/** The FrameBatch arrays a task writes: values per input (per row for canonical). */
const OUTPUTS = ['canonical', 'matrices', 'shifts', 'ranks', 'sizes'] as const;

/**
 * A point task's reply: its chunk's results when they were not written in place, and
 * its inputs' nonzero status as (input within the chunk, code, value) triples.
 */
export interface PointReply {
  outputs?: Outputs;
  remarks: Float64Array;
}

/**
 * Inputs first .. first+count−1 of a point-group batch. `rows` are the chunk's rows
 * (a view of the input, a staged shared copy, or a transferred copy), `offsets` its
 * count+1 row offsets from 0. With `out`, results go straight into the batch's
 * arrays at input `first` (row `row0`); without it the reply carries them.
 */
export interface PointTask extends Task {
  kind: 'points';
  /** Group spec, re-parsed on the worker. */
  group: string;
  tol: number;
  rows: Real;
  offsets: Int32Array;
  /** 1 for inputs that failed validation: computed as NaN, never passed to a kernel. */
  skip: Uint8Array;
  out: Outputs | null;
  first: number;
  row0: number;
}

/** Values each output holds for `count` inputs with `rows` rows (for the inputs before a chunk: where its results start). */
function lengths(G: Group, rows: number, count: number): Record<keyof Outputs, number> {
  const row = G.d * G.width;
  return { canonical: rows * row, matrices: count * G.d * row, shifts: count * row, ranks: count, sizes: count };
}

/**
 * Result arrays for `count` inputs with `rows` rows in total, on shared buffers or
 * plain ones — or `into`'s arrays where they fit (same length, and shared when
 * `shared`), so a caller's earlier result is overwritten instead of new memory
 * being touched. An `into` array of another type (a Float32Array `canonical`, an
 * Int8Array `ranks`) is an OptionTypeError: it would round or wrap the results.
 */
function outputs(G: Group, rows: number, count: number, shared: boolean, into?: Partial<Outputs>): Outputs {
  const n = lengths(G, rows, count);
  // a local array without an explicit ArrayBuffer: V8 keeps small ones on its heap,
  // where an ArrayBuffer of its own is an external allocation the GC must account for
  const f64s = (length: number) => (shared ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length));
  const fits = <T extends Float64Array | Int32Array>(a: T | undefined, len: number, type: typeof Float64Array | typeof Int32Array, key: string): a is T => {
    if (a === undefined) return false;
    if (!(a instanceof type)) throw optionError(`into.${key} must be a ${type.name} (an earlier result's), got ${describe(a)}`);
    return a.length === len && (!shared || isShared(a.buffer));
  };
  const f64 = (key: 'canonical' | 'matrices' | 'shifts' | 'sizes') =>
    fits(into?.[key], n[key], Float64Array, key) ? into![key]! : f64s(n[key]);
  return {
    canonical: f64('canonical'),
    matrices: f64('matrices'),
    shifts: f64('shifts'),
    ranks: fits(into?.ranks, n.ranks, Int32Array, 'ranks') ? into!.ranks! : shared ? new Int32Array(new SharedArrayBuffer(n.ranks * 4)) : new Int32Array(n.ranks),
    sizes: f64('sizes'),
  };
}

/** Offsets of inputs first .. end−1, renumbered to start at row 0. */
function rebase(offsets: Int32Array, first: number, end: number): Int32Array {
  const out = offsets.slice(first, end + 1);
  const r0 = offsets[first];
  for (let i = 0; i < out.length; i++) out[i] -= r0;
  return out;
}

/** The worker side: compute a task's frames, in place (`out`) or into its reply. */
export function runPoints(task: PointTask, k: Kernels): PointReply {
  const G = group(task.group) as Group;
  const { offsets, skip } = task;
  const count = offsets.length - 1;
  let bad = 0;
  for (let i = 0; i < count; i++) bad += skip[i];
  // Workers get the skip mask, not the validation errors (those stay on the calling
  // thread). Values are checked here, in parallel, as the frames copy them in; what
  // that finds goes back as STATUS_NONFINITE with the value's position.
  const chunk: CheckedBatch = { data: task.rows, dim: G.d, count, offsets, errors: new Array<null>(count).fill(null), skip, bad, checked: false };
  const want = lengths(G, offsets[count], count);
  let slices: Outputs | undefined;
  if (task.out) {
    const at = lengths(G, task.row0, task.first);
    const out = task.out;
    // the chunk's part of each array (the array itself when the chunk is the whole
    // batch), in a literal: Object.fromEntries makes a dictionary-mode object, slow to
    // build and to read, which cost a small batch's call more than its kernel
    const part = <K extends keyof Outputs>(key: K): Outputs[K] =>
      (at[key] === 0 && want[key] === out[key].length ? out[key] : out[key].subarray(at[key], at[key] + want[key])) as Outputs[K];
    slices = { canonical: part('canonical'), matrices: part('matrices'), shifts: part('shifts'), ranks: part('ranks'), sizes: part('sizes') };
  }
  const f = computeFrames(G, chunk, task.tol, k, slices, true);
  for (const key of OUTPUTS) {
    if (f[key].length !== want[key]) throw internalError(`${G.spec} frames gave ${f[key].length} ${key} values for ${count} inputs, expected ${want[key]}`);
    if (slices && f[key] !== slices[key]) slices[key].set(f[key] as Float64Array);
  }
  const remarks: number[] = [];
  for (let i = 0; i < count; i++) if (f.status[2 * i] !== 0) remarks.push(i, f.status[2 * i], f.status[2 * i + 1]);
  const reply: PointReply = { remarks: Float64Array.from(remarks) };
  if (!slices) reply.outputs = f;
  return reply;
}

/** The transferable buffers of a point task or reply (never shared ones). */
export function pointBuffers(value: PointTask | PointReply): ArrayBuffer[] {
  const o = (value as PointReply).outputs;
  const arrays: ArrayBufferView[] = 'kind' in value ? [value.rows, value.offsets, value.skip] : [value.remarks, ...(o ? OUTPUTS.map((key) => o[key]) : [])];
  return arrays.map((a) => a.buffer).filter((b): b is ArrayBuffer => !isShared(b));
}

/**
 * The job of a checked batch: chunks staged for the pool's memory, results in one
 * set of arrays (into `into`'s where they fit), the workers' status codes turned
 * into the batch's errors and warnings at the end.
 */
export function pointJob(G: Group, b: CheckedBatch, tol: number, staging: Staging, into?: Partial<Outputs>): Job<FrameBatch & { errors: (Error | null)[] }> {
  const rowLen = G.d * G.width;
  const { memory } = staging;
  const out = outputs(G, b.offsets[b.count], b.count, memory === 'shared', into);
  const chunks = chunkRows(b, rowLen, staging);
  // the tasks' nonzero status codes, as (input, code, value) triples in batch indices
  const remarks: number[] = [];
  return {
    count: b.count,
    work: rowWork(b.offsets, rowLen),
    task(first, end) {
      const rows = chunks.rows(first, end);
      const task: PointTask = {
        kind: 'points', group: G.spec, tol, rows, offsets: rebase(b.offsets, first, end), skip: b.skip.slice(first, end),
        out: memory === 'transfer' ? null : out, first, row0: b.offsets[first],
      };
      return task;
    },
    merge(reply, first) {
      chunks.done(first);
      const r = reply as PointReply;
      for (let j = 0; j < r.remarks.length; j += 3) remarks.push(first + r.remarks[j], r.remarks[j + 1], r.remarks[j + 2]);
      if (!r.outputs) return;
      const at = lengths(G, b.offsets[first], first);
      for (const key of OUTPUTS) (out[key] as Float64Array).set(r.outputs[key] as Float64Array, at[key]);
    },
    finish() {
      const status = new Float64Array(remarks.length > 0 ? 2 * b.count : 0);
      // (named, not spread: a spread costs a small batch's call more than its kernel)
      const { canonical, matrices, shifts, ranks, sizes } = out;
      const f: FrameBatch & { errors: (Error | null)[] } = { group: G.spec, dim: G.d, count: b.count, offsets: b.offsets, canonical, matrices, shifts, ranks, sizes, status, errors: b.errors };
      if (remarks.length > 0) {
        for (let j = 0; j < remarks.length; j += 3) {
          status[2 * remarks[j]] = remarks[j + 1];
          status[2 * remarks[j] + 1] = remarks[j + 2];
        }
        // the workers' rejections and warnings become this batch's errors and warnings
        applyStatus(G, b, f);
      }
      return f;
    },
  };
}

/** Batches of up to this many inputs get `sizesExact` and `warnings` made at once (pointResult). */
const EAGER_RESULT = 16;

/** The public form of a batch's frames: no status codes, sizes exactly, a warning slot per input. */
export function pointResult(f: FrameBatch & { errors: (Error | null)[] }): BatchResult {
  const { group, dim, count, offsets, canonical, matrices, shifts, ranks, sizes, errors } = f;
  if (count <= EAGER_RESULT) {
    // a small batch's are made now: a literal with getters costs about 1 µs to make,
    // more than these arrays of a few inputs
    const sizesExact: (bigint | null)[] = [];
    const warnings: (string | null)[] = [];
    for (let i = 0; i < count; i++) {
      sizesExact.push(exactSize(sizes[i]));
      warnings.push(f.warnings?.[i] ?? null);
    }
    return { group, dim, count, offsets, canonical, matrices, shifts, ranks, sizes, errors, sizesExact, warnings };
  }
  // |frame| of a point group is 1, 2 or infinite, and warnings are rare: both arrays
  // are made on first read, so a large batch does not hold them unless asked (getters
  // in the literal: defineProperty would turn the object into a slow dictionary)
  let exact: (bigint | null)[] | null = null;
  let warnings = f.warnings ?? null;
  return {
    group, dim, count, offsets, canonical, matrices, shifts, ranks, sizes, errors,
    get sizesExact() {
      return (exact ??= Array.from(sizes, exactSize));
    },
    get warnings() {
      return (warnings ??= new Array<string | null>(count).fill(null));
    },
  };
}

/** A size as a bigint, or null when it is infinite or NaN. */
export function exactSize(size: number): bigint | null {
  return Number.isFinite(size) ? BigInt(size) : null;
}

/** The frame of one point set (canonicalize). */
export function pointFrame(G: Group, x: unknown, shape: { n: number; d: number }, tol: number, k: Kernels = kernels()): Frame {
  const b = checkSingle(G, x, shape);
  const f = computeFrames(G, b, tol, k);
  if (b.errors[0]) throw b.errors[0];
  let elements: Elements | undefined;
  return {
    group: G.spec,
    n: shape.n,
    d: G.d,
    canonical: f.canonical,
    size: f.sizes[0],
    sizeExact: exactSize(f.sizes[0]),
    rank: f.ranks[0],
    matrix: f.matrices,
    shift: f.shifts,
    elements(cap = DEFAULT_ELEMENT_CAP) {
      if (Number.isFinite(f.sizes[0])) checkCap(cap, BigInt(f.sizes[0]), `the ${G.spec} frame`);
      return elements === undefined ? (elements = frameElements(G, b, tol, f, k)) : elements;
    },
    warning: f.warnings?.[0] ?? null,
  };
}

/** A batch's shape checked on the calling thread (values are checked by the tasks, chunk by chunk). */
export function checkPoints(G: Group, batch: BatchInput): CheckedBatch {
  return checkShape(G, batch);
}

/** A batch's point frames as the wrappers average with (outputs are rows of the input's width). */
export function pointFramed(G: Group, f: FrameBatch & { errors: (Error | null)[] }, k: Kernels = kernels(), reusable: unknown = f, views?: Float64Array[]): Framed {
  const rowLen = G.d * G.width;
  const rows = (i: number) => f.offsets[i + 1] - f.offsets[i];
  const c = f.canonical;
  return {
    reusable,
    count: f.count,
    dim: G.d,
    errors: f.errors,
    warnings: f.warnings ?? new Array<string | null>(f.count).fill(null),
    input(i) {
      const from = f.offsets[i] * rowLen;
      const len = f.offsets[i + 1] * rowLen - from;
      const x = views ? (views[i] ??= view(c, from, from + len)) : view(c, from, from + len);
      return { x, shape: { n: rows(i), d: G.d } };
    },
    stacked: () => ({ data: f.canonical, dim: G.d, offsets: f.offsets, count: f.count }),
    items: rows,
    itemOffsets: () => f.offsets,
    width: () => rowLen,
    restore(y, _width, output, out) {
      restoreOutputs(G, f, y, output === 'points' ? 'points' : 'vectors', k, out);
    },
  };
}

/**
 * Batches of at least this many values keep their frames in kernels of their own
 * when they are averaged on this thread (pointFramedHere): below it, making the
 * instance (about 0.1 ms, once per wrapper) costs more than the copies it saves.
 */
export const RESIDENT_VALUES = 1 << 15;

/** Frames kept in kernels of their own (Framed.reusable of pointFramedHere). */
interface Resident {
  resident: Kernels;
  views: Views;
}

/**
 * The views of resident canonical forms handed to per-input models, input by input,
 * and what they view. A later call whose forms lie in the same place hands out the
 * same views: making one costs as much as a model summing 48 values, and checking
 * an old one input by input (its buffer getter) costs more.
 */
interface Views {
  list: Float64Array[];
  buffer: ArrayBufferLike;
  at: number;
  offsets: Int32Array;
}

/** `prior` if its views are of these canonical forms at these row offsets, else an empty list for them. */
function viewsOf(prior: Views | undefined, canonical: Float64Array, offsets: Int32Array): Views {
  const same = prior !== undefined && prior.buffer === canonical.buffer && prior.at === canonical.byteOffset && prior.offsets.length === offsets.length && prior.offsets.every((o, i) => o === offsets[i]);
  return same ? prior : { list: [], buffer: canonical.buffer, at: canonical.byteOffset, offsets: offsets.slice() };
}

/**
 * A checked batch's frames for the wrappers on this thread. A batch of at least
 * RESIDENT_VALUES values is framed on kernels of its own (spawnKernels), with the
 * results left where the kernel writes them (runFrames' PLACED): the model reads
 * the canonical forms there, and mapping back reads the matrices, shifts and a
 * batch model's outputs in place when it returns the batch it was given, so the
 * batch is not copied out of WASM memory and back. Nothing else allocates in that
 * memory, so the views stay valid while the model is awaited, and until the next
 * call that reuses them. Those kernels are `reuse`'s when it kept its frames so and
 * they are not more than twice the size this batch needs. Smaller batches, and a
 * batch too large for a WASM memory of its own, run pointJob as canonicalizeBatch
 * does. Either way the frames are computeFrames' on the same kernels code: the
 * same bits.
 */
export function pointFramedHere(G: Group, b: CheckedBatch, tol: number, k: Kernels, reuse?: Framed): Framed {
  const rowLen = G.d * G.width;
  const values = b.offsets[b.count] * rowLen;
  if (values >= RESIDENT_VALUES) {
    const prior = reuse?.reusable as Partial<Resident> | undefined;
    const held = prior?.resident;
    const need = (values + b.count * (G.d * rowLen + rowLen + 1)) * 8;
    const resident = held && held.exports.memory.buffer.byteLength <= 2 * need + (1 << 20) ? held : spawnKernels(k);
    // everything above the module's static data is this batch's (the arena starts there)
    resident.arena.release(resident.exports.mem_base());
    try {
      const f = computeFrames(G, b, tol, resident, PLACED) as FrameBatch & { errors: (Error | null)[] };
      f.errors = b.errors;
      const r: Resident = { resident, views: viewsOf(resident === held ? prior!.views : undefined, f.canonical, f.offsets) };
      return pointFramed(G, f, resident, r, r.views.list);
    } catch (e) {
      if (!(e instanceof MemoryLimitError)) throw e;
      // past what one WASM memory holds: the frames go to plain arrays
    }
  }
  return pointFramed(G, runInline(pointJob(G, b, tol, LOCAL, reusedArrays(reuse)), (t, k) => runPoints(t as PointTask, k), k), k);
}

/** The arrays of an earlier Framed that pointJob may overwrite (none of resident frames: their kernels are reused instead). */
export function reusedArrays(reuse: Framed | undefined): Partial<Outputs> | undefined {
  const r = reuse?.reusable as Partial<Resident> & Partial<Outputs> | undefined;
  return r?.resident ? undefined : r;
}

/** The frame of one point set as the wrappers average with. */
export function pointFramedOne(G: Group, x: unknown, shape: { n: number; d: number }, tol: number, k: Kernels = kernels()): Framed {
  const b = checkSingle(G, x, shape);
  const f = computeFrames(G, b, tol, k) as FrameBatch & { errors: (Error | null)[] };
  if (b.errors[0]) throw b.errors[0];
  f.errors = b.errors; // (set, not spread, as in pointJob)
  return pointFramed(G, f, k);
}

/** The output kinds of the point groups: 'vectors' (the default) rotate, 'points' also translate. */
export const POINT_OUTPUTS: readonly OutputKind[] = ['vectors', 'points'];

/** Cumulative work of a batch of rows: an input's values, plus 8 rows for its fixed per-input work. */
export function rowWork(offsets: Int32Array, rowLen: number): (i: number) => number {
  return (i) => (offsets[i] + 8 * i) * rowLen;
}

/**
 * The rows (`rowLen` values each) of a batch's chunks as the pool's memory has them
 * read: the batch's own (memory 'local', or rows already shared), a copy per chunk
 * to transfer, or copies into shared buffers lent by the engine and taken again by
 * later chunks once a chunk is `done`, so that a call on shared memory allocates
 * nothing per chunk.
 */
export function chunkRows(b: CheckedBatch, rowLen: number, staging: Staging): { rows(first: number, end: number): Real; done(first: number): void } {
  const { data, offsets } = b;
  const { memory } = staging;
  const inPlace = memory === 'local' || (memory === 'shared' && isShared(data.buffer));
  // shared buffers of finished chunks, for the next chunks' rows
  const free: SharedArrayBuffer[] = [];
  const staged = new Map<number, SharedArrayBuffer>();
  return {
    rows(first, end) {
      const v0 = offsets[first] * rowLen;
      const v1 = offsets[end] * rowLen;
      if (inPlace) return data.subarray(v0, v1);
      if (memory === 'transfer') return data.slice(v0, v1);
      const bytes = (v1 - v0) * 8;
      const j = free.findIndex((buf) => buf.byteLength >= bytes);
      const buf = j >= 0 ? free.splice(j, 1)[0] : staging.shared(bytes);
      staged.set(first, buf);
      const rows = new Float64Array(buf, 0, v1 - v0);
      rows.set(data.subarray(v0, v1));
      return rows;
    },
    done(first) {
      const buf = staged.get(first);
      if (buf === undefined) return;
      staged.delete(first);
      free.push(buf);
    },
  };
}

/** Chunks of a checked batch of rows (`rowLen` values each) as batches of their own, whose output items have `width` values (null: the model's choice). */
export function rowSlicer(b: CheckedBatch, rowLen: number, width: number | null, staging: Staging): Slicer {
  const chunks = chunkRows(b, rowLen, staging);
  return {
    count: b.count,
    work: rowWork(b.offsets, rowLen),
    items: (i) => b.offsets[i + 1] - b.offsets[i],
    width: () => width,
    slice: (first, end) => ({ data: chunks.rows(first, end), dim: b.dim, offsets: rebase(b.offsets, first, end) }),
    done: (first) => chunks.done(first),
  };
}
