/**
 * Frames for a checked batch, dispatched by family. Each family's file holds its
 * whole algorithm's TypeScript side: the kernel call, the stabilizer size, and
 * how outputs of the model map back through the frame.
 */
import type { Group } from '../groups.js';
import type { CheckedBatch } from '../batch.js';
import { kernels, type Kernels } from '../wasm/module.js';
import * as orthogonal from './orthogonal.js';

/**
 * The frames of a batch: input i has the canonical form c_i (rows offsets[i]..),
 * and its frame is h_i·Stab(c_i) with h_i = (matrices[i], shifts[i]) acting as
 * x ↦ x·Mᵀ + t, so X_i = c_i·M_iᵀ + t_i. All arrays are plain, cloneable data.
 */
export interface FrameBatch {
  group: string;
  dim: number;
  count: number;
  offsets: Int32Array;
  /** Canonical forms, laid out like the input rows. */
  canonical: Float64Array;
  /** count d×d row-major matrices. */
  matrices: Float64Array;
  /** count d-vectors (zero for groups without translations). */
  shifts: Float64Array;
  /** Rank of each input (of its rows minus the shift). */
  ranks: Int32Array;
  /** |Stab(c_i)|: 1 for generic inputs, Infinity for continuous stabilizers. */
  sizes: Float64Array;
}

/** Output kinds of equivariant functions. */
export type OutputKind = 'vectors' | 'points';

interface Family {
  frames(k: Kernels, G: Group, b: CheckedBatch, tol: number): FrameBatch;
  restore(k: Kernels, G: Group, f: FrameBatch, y: Float64Array, kind: OutputKind): Float64Array;
}

const families: Record<Group['family'], Family> = { orthogonal };

/** Frames of every input of a checked batch (skipped inputs get NaN results). */
export function computeFrames(G: Group, b: CheckedBatch, tol: number, k: Kernels = kernels()): FrameBatch {
  const f = families[G.family].frames(k, G, b, tol);
  if (b.bad > 0) markSkipped(f, b.skip, G.width);
  return f;
}

/** Map model outputs on the canonical forms back through each input's frame element. */
export function restoreOutputs(G: Group, f: FrameBatch, y: Float64Array, kind: OutputKind, k: Kernels = kernels()): Float64Array {
  return families[G.family].restore(k, G, f, y, kind);
}

function markSkipped(f: FrameBatch, skip: Uint8Array, width: number): void {
  const d = f.dim;
  const rowLen = d * width;
  for (let i = 0; i < f.count; i++) {
    if (!skip[i]) continue;
    f.canonical.fill(NaN, f.offsets[i] * rowLen, f.offsets[i + 1] * rowLen);
    f.matrices.fill(NaN, i * d * d * width, (i + 1) * d * d * width);
    f.shifts.fill(NaN, i * rowLen, (i + 1) * rowLen);
    f.sizes[i] = NaN;
    f.ranks[i] = -1;
  }
}

/**
 * Copy a batch's rows into the arena as f64, writing zeros for skipped inputs so
 * that no invalid value reaches a kernel. Returns the data and offsets pointers.
 */
export function putRows(k: Kernels, b: CheckedBatch, rowLen: number): { x: number; offsets: number } {
  const a = k.arena;
  const x = a.alloc(b.data.length * 8);
  const offsets = a.putI32(b.offsets);
  const view = a.f64(x, b.data.length);
  view.set(b.data);
  if (b.bad > 0) {
    for (let i = 0; i < b.count; i++) {
      if (b.skip[i]) view.fill(0, b.offsets[i] * rowLen, b.offsets[i + 1] * rowLen);
    }
  }
  return { x, offsets };
}
