/**
 * Batches: one flat typed array of rows plus its shape, checked before any WASM call.
 *
 * `{ data, dim, count }` holds `count` inputs of equal size; `{ data, dim, offsets }`
 * holds ragged ones, offsets (count+1 row indices) marking where each input starts.
 * Complex groups interleave (re, im), so a row has dim·2 values.
 */
import type { Group } from './groups.js';
import { describe, inputRangeError, inputTypeError, optionError, optionRangeError } from './errors.js';

export type Real = Float64Array | Float32Array;

export interface BatchInput {
  data: Real;
  dim: number;
  count?: number;
  offsets?: Int32Array | ArrayLike<number>;
}

export interface CheckedBatch {
  data: Real;
  dim: number;
  count: number;
  /** count+1 row indices. */
  offsets: Int32Array;
  /** Per input: the error that keeps it out of the computation, or null. */
  errors: (Error | null)[];
  /** 1 where errors[i] is set (the kernels skip those inputs). */
  skip: Uint8Array;
  /** Number of skipped inputs. */
  bad: number;
  /**
   * Whether every value is known to be finite (rows a family made itself). If not, runFrames
   * checks each slice's values in WASM memory right after copying them in, before
   * the kernel sees them, and reports the non-finite inputs in the frames' status
   * (STATUS_NONFINITE), which applyStatus turns into these inputs' errors.
   */
  checked: boolean;
}

function isReal(x: unknown): x is Real {
  return x instanceof Float64Array || x instanceof Float32Array;
}

/**
 * Whether data[from..to) is all finite: x·0 is 0 for finite x and NaN for NaN and
 * ±Infinity, so one sum answers; four partial sums keep the loop fast.
 */
function allFinite(data: Real, from: number, to: number): boolean {
  let a = 0, b = 0, c = 0, d = 0;
  let j = from;
  for (; j + 4 <= to; j += 4) {
    a += data[j] * 0;
    b += data[j + 1] * 0;
    c += data[j + 2] * 0;
    d += data[j + 3] * 0;
  }
  for (; j < to; j++) a += data[j] * 0;
  return a + b + c + d === 0;
}

/** The index of the first non-finite value of data[from..to), or −1. */
export function firstNonFinite(data: Real, from: number, to: number): number {
  if (allFinite(data, from, to)) return -1;
  for (let j = from; j < to; j++) if (!Number.isFinite(data[j])) return j;
  return -1;
}

/** The rule input i breaks when data[at] (at in its rows, from `from` on) is not finite. */
export function nonFiniteRule(data: Real, from: number, at: number, rowLen: number): string {
  const r = Math.floor((at - from) / rowLen);
  return `row ${r} holds ${data[at]} at column ${(at - from) % rowLen}; every value must be finite`;
}

/**
 * Check a batch's shape (throws for the batch) and that no input is empty
 * (collected per input); values are left to the frames (see CheckedBatch.checked).
 */
export function checkShape(G: Group, input: BatchInput): CheckedBatch {
  if (typeof input !== 'object' || input === null) throw optionError(`a batch must be { data, dim, count } or { data, dim, offsets }, got ${describe(input)}`);
  const { data, dim } = input;
  if (!isReal(data)) throw optionError(`batch.data must be a Float64Array or Float32Array, got ${describe(data)}`);
  if (dim !== G.d) throw optionRangeError(`batch.dim is ${String(dim)}, but ${G.spec} acts on d = ${G.d}`);
  const rowLen = dim * G.width;
  let offsets: Int32Array;
  if (input.offsets !== undefined) {
    offsets = checkOffsets(input.offsets, 'batch.offsets must be an Int32Array or an array of row indices');
    if (offsets.length < 1) throw optionRangeError('batch.offsets must hold count+1 row indices, starting at 0');
    if (input.count !== undefined && input.count !== offsets.length - 1) {
      throw optionRangeError(`batch.count is ${input.count} but offsets describe ${offsets.length - 1} inputs`);
    }
    if (offsets[0] !== 0) throw optionRangeError(`batch.offsets[0] must be 0, got ${offsets[0]}`);
    for (let i = 1; i < offsets.length; i++) {
      if (offsets[i] < offsets[i - 1]) throw optionRangeError(`batch.offsets must not decrease (offsets[${i}] = ${offsets[i]} < offsets[${i - 1}] = ${offsets[i - 1]})`);
    }
    const rows = offsets[offsets.length - 1];
    if (rows * rowLen !== data.length) {
      throw optionRangeError(`batch.offsets end at row ${rows}, so data needs ${rows * rowLen} values (${rows}×${rowLen}), but it has ${data.length}`);
    }
  } else {
    const count = input.count;
    if (!Number.isSafeInteger(count) || (count as number) < 0) throw optionRangeError(`batch.count must be a whole number >= 0, got ${String(count)}`);
    const c = count as number;
    const per = c === 0 ? 0 : data.length / (c * rowLen);
    if (c === 0 ? data.length !== 0 : !Number.isInteger(per)) {
      throw optionRangeError(`batch.data has ${data.length} values, not a multiple of count×dim${G.width === 2 ? '×2' : ''} = ${c * rowLen}`);
    }
    offsets = new Int32Array(c + 1);
    for (let i = 0; i <= c; i++) offsets[i] = i * per;
  }
  const count = offsets.length - 1;
  const errors: (Error | null)[] = new Array(count).fill(null);
  const skip = new Uint8Array(count);
  let bad = 0;
  for (let i = 0; i < count; i++) {
    const r0 = offsets[i];
    const r1 = offsets[i + 1];
    if (r1 === r0) {
      errors[i] = inputRangeError(i, `has no rows; every input needs n >= 1`);
      skip[i] = 1;
      bad++;
    }
  }
  return { data, dim, count, offsets, errors, skip, bad, checked: false };
}

/**
 * Offsets as an Int32Array: one given as is, or a plain array whose entries are
 * checked first (whole numbers in [0, 2^31)), since converting would round 2.7,
 * wrap 2^32 + 4, turn '4' into 4 and NaN into 0. `notArray` is the rule for
 * anything else; order and length are the caller's to check.
 */
export function checkOffsets(o: unknown, notArray: string): Int32Array {
  if (o instanceof Int32Array) return o;
  if (!Array.isArray(o)) throw optionError(`${notArray}, got ${describe(o)}`);
  for (let i = 0; i < o.length; i++) {
    const x: unknown = o[i];
    if (typeof x !== 'number') throw optionError(`batch.offsets[${i}] must be a number, got ${describe(x)}`);
    if (!Number.isInteger(x) || x < 0 || x >= 2 ** 31) throw optionRangeError(`batch.offsets[${i}] must be a whole number in [0, 2^31), got ${x}`);
  }
  return Int32Array.from(o as number[]);
}

/** Check one input given as (x, { n, d }) and return it as a batch of one. */
export function checkSingle(G: Group, x: unknown, shape: { n: number; d: number } | undefined): CheckedBatch {
  if (!isReal(x)) throw inputTypeError(0, `x must be a Float64Array or Float32Array, got ${describe(x)}`);
  if (typeof shape !== 'object' || shape === null) throw optionError('the shape { n, d } is required');
  const { n, d } = shape;
  if (d !== G.d) throw inputRangeError(0, `d is ${String(d)}, but ${G.spec} acts on d = ${G.d}`);
  if (!Number.isSafeInteger(n) || n < 1) throw inputRangeError(0, `n must be a whole number >= 1, got ${String(n)}`);
  const rowLen = d * G.width;
  if (x.length !== n * rowLen) {
    throw inputRangeError(0, `x has ${x.length} values, but n×d${G.width === 2 ? '×2 (complex)' : ''} = ${n * rowLen}`);
  }
  // (its values are checked where its frame is made, as a batch's are)
  return checkShape(G, { data: x, dim: d, offsets: Int32Array.of(0, n) });
}

/** Check `tol`: a finite number in [0, 1). */
export function checkTol(tol: unknown, fallback: number): number {
  if (tol === undefined) return fallback;
  if (typeof tol !== 'number' || !(tol >= 0 && tol < 1)) throw optionRangeError(`tol must be a number in [0, 1), got ${String(tol)}`);
  return tol;
}

/** Default cap on the group elements an `elements(cap)` call lists. */
export const DEFAULT_ELEMENT_CAP = 100_000;

/** Check an `elements(cap)` cap (a whole number >= 1) against a frame of `size` elements. */
export function checkCap(cap: unknown, size: bigint, what: string): number {
  if (!Number.isSafeInteger(cap) || (cap as number) < 1) throw optionRangeError(`cap must be a whole number >= 1, got ${String(cap)}`);
  if (size > BigInt(cap as number)) throw optionRangeError(`${what} has ${size} elements, more than the cap of ${cap as number}; raise the cap or average in closed form`);
  return cap as number;
}

/** Check an options argument: undefined (no options) or an object. */
export function checkOptions(options: unknown, what = 'options'): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw optionError(`${what} must be an object, got ${describe(options)}`);
  return options as Record<string, unknown>;
}
