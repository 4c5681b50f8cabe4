/**
 * The frame-averaging baselines FA, SFA and iFA (src/frames/fa.ts) as a kind of
 * input: point sets under O(d), SO(d), E(d), SE(d) built with
 * `group(spec, { method: 'fa' | 'sfa' | 'ifa' })`. They run through the same
 * engine and wrappers as minimal frames; the difference the comparison is about is
 * that their frames have many elements, so the model runs once per element.
 * Each task carries its own copy of its chunk's rows (and the index of its first
 * input, which SFA's draws depend on, so any chunking gives the same draws).
 * This module must stay free of Node and DOM APIs: workers of both kinds import it.
 */
import { checkSeed, group as parseGroup, type Group } from '../groups.js';
import { checkShape, checkSingle, DEFAULT_ELEMENT_CAP, checkCap, type BatchInput, type CheckedBatch } from '../batch.js';
import { faAverage, faFrames, type FaFrames, type FaMethod } from '../frames/fa.js';
import { toFailure, type InputFailure } from '../errors.js';
import { kernels, type Kernels } from '../wasm/module.js';
import { collectErrors, copyBuffers, copyChunk, type ChunkCopy } from './copies.js';
import { view, type Framed, type Job, type Slicer, type Staging, type Task } from './kind.js';
import { exactSize, rowSlicer, rowWork } from './points.js';

/** The FA / SFA / iFA frame of one point set (canonicalize with a baseline group). */
export interface BaselineFrame {
  group: string;
  method: FaMethod;
  n: number;
  d: number;
  /** Every element's canonical input (X − t)·M, size × n rows of d values: the model's inputs. */
  canonical: Float64Array;
  /** |F|: 2^d (O, E) or 2^(d−1) (SO, SE) for FA and iFA, 1 for SFA. */
  size: number;
  sizeExact: bigint;
  /** The first element M (d×d) and the shift t: X = c·Mᵀ + t for the first canonical input c. */
  matrix: Float64Array;
  shift: Float64Array;
  /** Every element (size d×d matrices, size shifts); a RangeError past `cap`. */
  elements(cap?: number): { matrices: Float64Array; shifts: Float64Array };
  /** The seed SFA drew with (0 for FA and iFA). */
  seed: number;
  /** Always null: these frames carry no accuracy warnings. */
  warning: null;
}

/** FA / SFA / iFA frames of a batch: FaFrames' fields, with the batch's errors. */
export interface BaselineBatchResult {
  group: string;
  method: FaMethod;
  dim: number;
  count: number;
  offsets: Int32Array;
  /** |F_i| (0 for bad inputs, whose `sizesExact` is null). */
  sizes: Float64Array;
  sizesExact: (bigint | null)[];
  /** count+1 element indices: input i's elements are elementOffsets[i] .. elementOffsets[i+1]−1. */
  elementOffsets: Int32Array;
  /** Per element, M (d² values): the element acts as x ↦ x·Mᵀ + t_i. */
  matrices: Float64Array;
  /** Per input, t (d values). */
  shifts: Float64Array;
  /** Per element, its canonical input, rows laid out by canonicalOffsets (elements + 1). */
  canonical: Float64Array;
  canonicalOffsets: Int32Array;
  seed: number;
  errors: (Error | null)[];
  warnings: (string | null)[];
}

export interface BaselineTask extends Task, ChunkCopy {
  kind: 'baseline';
  group: string;
  method: FaMethod;
  seed: number;
  tol: number;
  dim: number;
  /** The batch index of the chunk's first input. */
  first: number;
}

interface Reply {
  frames: FaFrames;
  failures: (InputFailure | null)[];
}

/** A method group's method and seed: SFA without a seed draws one per call, shared by all its chunks. */
function methodOf(G: Group): { method: FaMethod; seed: number } {
  return { method: G.method as FaMethod, seed: G.method === 'sfa' ? checkSeed(G.seed) : 0 };
}

/** The worker side: the chunk's frames, and the failures of inputs found non-finite here. */
export function runBaseline(task: BaselineTask, k: Kernels): Reply {
  const G = parseGroup(task.group) as Group;
  const count = task.offsets.length - 1;
  let bad = 0;
  for (let i = 0; i < count; i++) bad += task.skip[i];
  const b: CheckedBatch = { data: task.data, dim: task.dim, count, offsets: task.offsets, errors: new Array(count).fill(null), skip: task.skip.slice(), bad, checked: false };
  const frames = faFrames(task.method, G, b, { tol: task.tol, seed: task.seed, first: task.first }, k);
  return { frames, failures: b.errors.map((e, i) => (e && !task.skip[i] ? toFailure(e) : null)) };
}

export const baselineBuffers = (task: BaselineTask): ArrayBuffer[] => copyBuffers(task);

/** Chunks' frames laid out as one FaFrames over the whole batch. */
function concat(b: CheckedBatch, parts: [number, Reply][]): FaFrames {
  parts.sort((p, q) => p[0] - q[0]);
  const f0 = parts[0][1].frames;
  if (parts.length === 1) return { ...f0, offsets: b.offsets };
  const d = f0.dim;
  const all = (pick: (f: FaFrames) => ArrayLike<number>) => parts.reduce((s, [, r]) => s + pick(r.frames).length, 0);
  const elements = all((f) => f.inputOf);
  const out: FaFrames = {
    ...f0, count: b.count, offsets: b.offsets,
    sizes: new Int32Array(b.count), elementOffsets: new Int32Array(b.count + 1), inputOf: new Int32Array(elements),
    matrices: new Float64Array(elements * d * d), shifts: new Float64Array(b.count * d), values: new Float64Array(b.count * d),
    canonical: new Float64Array(all((f) => f.canonical)), canonicalOffsets: new Int32Array(elements + 1), perturbed: new Uint8Array(b.count),
  };
  let e0 = 0;
  let r0 = 0;
  for (const [first, { frames: f }] of parts) {
    const n = f.count;
    out.sizes.set(f.sizes, first);
    for (let i = 1; i <= n; i++) out.elementOffsets[first + i] = e0 + f.elementOffsets[i];
    for (let e = 0; e < f.inputOf.length; e++) {
      out.inputOf[e0 + e] = first + f.inputOf[e];
      out.canonicalOffsets[e0 + e + 1] = r0 + f.canonicalOffsets[e + 1];
    }
    out.matrices.set(f.matrices, e0 * d * d);
    out.shifts.set(f.shifts, first * d);
    out.values.set(f.values, first * d);
    out.canonical.set(f.canonical, r0 * d);
    out.perturbed.set(f.perturbed, first);
    e0 += f.inputOf.length;
    r0 += f.canonical.length / d;
  }
  return out;
}

/** The job of a batch: a copy of each chunk's rows, the chunks' frames concatenated at the end. */
function baselineJob(G: Group, b: CheckedBatch, tol: number, first0 = 0): Job<{ frames: FaFrames; errors: (Error | null)[] }> {
  const d = G.d;
  const { method, seed } = methodOf(G);
  const values = Int32Array.from(b.offsets, (r) => r * d);
  const parts: [number, Reply][] = [];
  return {
    count: b.count,
    work: rowWork(b.offsets, d),
    task: (first, end): BaselineTask => ({ kind: 'baseline', group: G.spec, method, seed, tol, dim: d, first: first0 + first, ...copyChunk(b.data, b.offsets, values, b.skip, first, end) }),
    merge: (reply, first) => void parts.push([first, reply as Reply]),
    finish() {
      const failures: (InputFailure | null)[] = new Array(b.count).fill(null);
      for (const [first, r] of parts) r.failures.forEach((f, j) => (failures[first + j] = f));
      const frames = parts.length > 0 ? concat(b, parts) : faFrames(method, G, b, { tol, seed }, kernels());
      return { frames, errors: collectErrors(b.errors, failures) };
    },
  };
}

/** The public form of a batch's frames. */
function baselineResult({ frames: f, errors }: { frames: FaFrames; errors: (Error | null)[] }): BaselineBatchResult {
  const sizes = Float64Array.from(f.sizes, (s, i) => (errors[i] ? NaN : s));
  return {
    group: f.group, method: f.method, dim: f.dim, count: f.count, offsets: f.offsets, sizes, sizesExact: Array.from(sizes, exactSize),
    elementOffsets: f.elementOffsets, matrices: f.matrices, shifts: f.shifts, canonical: f.canonical, canonicalOffsets: f.canonicalOffsets,
    seed: f.seed, errors, warnings: new Array(f.count).fill(null),
  };
}

/** A batch's baseline frames as the wrappers average with: one model call per element. */
function baselineFramed({ frames: f, errors }: { frames: FaFrames; errors: (Error | null)[] }, k: Kernels): Framed {
  const d = f.dim;
  const rows = (i: number) => f.offsets[i + 1] - f.offsets[i];
  return {
    count: f.count,
    dim: d,
    errors,
    warnings: new Array<string | null>(f.count).fill(null),
    calls: (i) => f.sizes[i],
    input(i, j = 0) {
      const e = f.elementOffsets[i] + j;
      return { x: view(f.canonical, f.canonicalOffsets[e] * d, f.canonicalOffsets[e + 1] * d), shape: { n: rows(i), d } };
    },
    stacked: () => ({ data: f.canonical, dim: d, offsets: f.canonicalOffsets, count: f.elementOffsets[f.count] }),
    items: rows,
    width: () => d,
    restore(y, _width, output, out) {
      out.set(faAverage(f, y, output === 'points' ? 'points' : 'vectors', k));
    },
  };
}

/** The baseline kind's pieces, for the registry (src/kinds/index.ts). */
export const baseline = {
  single(G: Group, x: unknown, shape: { n: number; d: number }, tol: number, k: Kernels = kernels()): BaselineFrame {
    const b = checkSingle(G, x, shape);
    const { method, seed } = methodOf(G);
    const f = faFrames(method, G, b, { tol, seed }, k);
    if (b.errors[0]) throw b.errors[0];
    const d = G.d;
    const size = f.sizes[0];
    return {
      group: G.spec, method, n: shape.n, d, canonical: f.canonical, size, sizeExact: BigInt(size),
      matrix: f.matrices.slice(0, d * d), shift: f.shifts.slice(0, d), seed: f.seed, warning: null,
      elements(cap = DEFAULT_ELEMENT_CAP) {
        checkCap(cap, BigInt(size), `the ${method.toUpperCase()} frame`);
        return { matrices: f.matrices.slice(), shifts: Float64Array.from({ length: size * d }, (_, v) => f.shifts[v % d]) };
      },
    };
  },
  batch: (G: Group, batch: unknown, tol: number): Job<BaselineBatchResult> => {
    const job = baselineJob(G, checkShape(G, batch as BatchInput), tol);
    return { ...job, finish: () => baselineResult(job.finish()) };
  },
  framedOne(G: Group, x: unknown, shape: { n: number; d: number }, tol: number, k: Kernels = kernels()): Framed {
    const b = checkSingle(G, x, shape);
    const { method, seed } = methodOf(G);
    const frames = faFrames(method, G, b, { tol, seed }, k);
    if (b.errors[0]) throw b.errors[0];
    return baselineFramed({ frames, errors: [null] }, k);
  },
  framed(G: Group, batch: unknown, tol: number, k: Kernels = kernels()): Job<Framed> {
    // a chunk cut by slicer() below knows where it starts in its batch
    const job = baselineJob(G, checkShape(G, batch as BatchInput), tol, (batch as { first?: number }).first ?? 0);
    return { ...job, finish: () => baselineFramed(job.finish(), k) };
  },
  slicer(G: Group, batch: unknown, staging: Staging): Slicer {
    const s = rowSlicer(checkShape(G, batch as BatchInput), G.d, G.d, staging);
    return { ...s, slice: (first, end) => ({ ...(s.slice(first, end) as object), first }) };
  },
};
