/**
 * The registry of the point-group families (orthogonal, lorentz, unitary, linear):
 * computeFrames runs a group's family over a checked batch and turns its status
 * codes into per-input errors and warnings; restoreOutputs maps model outputs back
 * through the frames; frameElements lists a finite frame. Each family's file holds
 * its whole algorithm's TypeScript side (kernel flags, |Stab|, restore, elements).
 */
import type { Group } from '../groups.js';
import { nonFiniteRule, type CheckedBatch } from '../batch.js';
import { kernels, type Kernels } from '../wasm/module.js';
import { inputRangeError } from '../errors.js';
import { overflowRule, runFrames, PLACED, subnormalRule, STATUS_NONFINITE, STATUS_OVERFLOW, STATUS_SUBNORMAL, type Elements, type FamilyKernel, type FrameBatch, type OutputKind, type Remark } from './index.js';
import * as orthogonal from './orthogonal.js';
import * as lorentz from './lorentz.js';
import * as unitary from './unitary.js';
import * as linear from './linear.js';

/**
 * A family: its kernel (prefix of assembly's `<prefix>_frames` / `<prefix>_work`),
 * the kernel flags for a group, |Stab| by rank, how outputs map back, its frame
 * elements, and — for families that reject or warn about inputs — the words for a
 * status code (FrameBatch.status).
 */
interface Family extends FamilyKernel {
  restore(k: Kernels, G: Group, f: FrameBatch, y: Float64Array, kind: OutputKind, out?: Float64Array): Float64Array;
  elements(k: Kernels, G: Group, b: CheckedBatch, tol: number, f: FrameBatch): Elements;
  explain?(G: Group, code: number, value: number, rank: number): Remark;
}

const families: Record<Group['family'], Family> = { orthogonal, lorentz, unitary, linear };

/**
 * Frames of every input of a checked batch (skipped and rejected inputs get NaN
 * results). A worker passes `keepNonFinite`: the status of its non-finite inputs
 * stays in f.status for the calling thread's applyStatus, which owns the errors.
 */
export function computeFrames(G: Group, b: CheckedBatch, tol: number, k: Kernels = kernels(), into?: Partial<FrameBatch> | typeof PLACED, keepNonFinite = false): FrameBatch {
  const f = runFrames(k, families[G.family], G, b, tol, 0, into);
  applyStatus(G, b, f, keepNonFinite);
  if (b.bad > 0) markSkipped(f, b.skip, G.width);
  return f;
}

/**
 * Turn f.status into per-input errors (the input joins b's skipped inputs, named
 * by a RangeError) and f.warnings. Inputs that failed validation (skipped in b) keep
 * only their validation error. computeFrames runs it; an engine that computed f in
 * workers runs it once more on the calling thread, whose b holds the batch's errors.
 */
export function applyStatus(G: Group, b: CheckedBatch, f: FrameBatch, keepNonFinite = false): void {
  const family = families[G.family];
  const rowLen = G.d * G.width;
  for (let i = 0; i < f.count; i++) {
    const code = f.status[2 * i];
    if (code === 0) continue;
    if (code === STATUS_NONFINITE) {
      // found by runFrames' check: the error of an input found non-finite
      const from = f.offsets[i] * rowLen;
      reject(b, i, nonFiniteRule(b.data, from, from + f.status[2 * i + 1], rowLen));
      if (!keepNonFinite) f.status[2 * i] = f.status[2 * i + 1] = 0;
      continue;
    }
    if (b.skip[i]) {
      f.status[2 * i] = f.status[2 * i + 1] = 0; // the kernel saw zeros in place of an invalid input
      continue;
    }
    if (code === STATUS_SUBNORMAL || code === STATUS_OVERFLOW) {
      reject(b, i, code === STATUS_SUBNORMAL ? subnormalRule(f.status[2 * i + 1]) : overflowRule(G));
      continue;
    }
    const remark = family.explain!(G, code, f.status[2 * i + 1], f.ranks[i]);
    if ('error' in remark) reject(b, i, remark.error);
    else (f.warnings ??= new Array<string | null>(f.count).fill(null))[i] = `input ${i}: ${remark.warning}`;
  }
}

/** The frame of a batch of one (checkSingle): throws that input's error, if any. */
export function computeFrame(G: Group, b: CheckedBatch, tol: number, k: Kernels = kernels()): FrameBatch {
  const f = computeFrames(G, b, tol, k);
  if (b.errors[0]) throw b.errors[0];
  return f;
}

/** The group elements of a batch of one's frame (see Frame.elements). */
export function frameElements(G: Group, b: CheckedBatch, tol: number, f: FrameBatch, k: Kernels = kernels()): Elements {
  return families[G.family].elements(k, G, b, tol, f);
}

/** Keep input i out of the results: it breaks `rule` (a family found no frame for it). */
function reject(b: CheckedBatch, i: number, rule: string): void {
  if (b.skip[i]) return;
  b.errors[i] = inputRangeError(i, rule);
  b.skip[i] = 1;
  b.bad++;
}

/**
 * Map model outputs on the canonical forms back through each input's frame element,
 * to `out` when given (y's length; it may be y itself).
 */
export function restoreOutputs(G: Group, f: FrameBatch, y: Float64Array, kind: OutputKind, k: Kernels = kernels(), out?: Float64Array): Float64Array {
  return families[G.family].restore(k, G, f, y, kind, out);
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
    // an input the family rejected (a positive code) keeps its rank (the reason names it)
    if (!(f.status[2 * i] > 0)) f.ranks[i] = -1;
    if (f.warnings) f.warnings[i] = null;
  }
}

