/**
 * Point-group batches go through the arena in slices of whole inputs (runFrames):
 * whatever the slicing, every input's results are those of the input alone, bit for
 * bit; values are checked as they are copied in, with the errors of an eager check; and
 * `into` is overwritten in place.
 */
import { describe, expect, it } from 'vitest';
import { canonicalizeBatch, type BatchResult } from '../src/index.js';
import { checkEagerly } from './helpers/eager.js';
import { computeFrames } from '../src/frames/families.js';
import { group } from '../src/groups.js';
import { gaussian, gaussianMatrix, rng } from '../src/testing/random.js';

const KEYS = ['canonical', 'matrices', 'shifts', 'ranks', 'sizes'] as const;
const bytes = (a: ArrayBufferView) => Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
const messages = (errors: (Error | null)[]) => errors.map((e) => e?.message ?? null);

/**
 * A ragged batch: sizes 0 (a shape error), 1, small and large; input 3 is larger
 * than a slice (2^14 values) on its own; NaN and ±Infinity in inputs on both sides
 * of slice boundaries.
 */
function ragged(rowLen: number): { data: Float64Array; offsets: Int32Array } {
  const rows = [5, 0, 1, 6000, 40, 128, 3, 128, 900, 7, 2, 128, 128, 64, 5000, 9, 128, 31];
  for (let i = 0; i < 60; i++) rows.push(1 + ((i * 37) % 130));
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (offsets[i + 1] = offsets[i] + r));
  const data = gaussianMatrix(gaussian(rng(31)), offsets[rows.length], rowLen);
  data[offsets[4] * rowLen + 7] = NaN;
  data[offsets[8] * rowLen + 3 * rowLen + 1] = Infinity;
  data[offsets[15] * rowLen] = -Infinity;
  data[offsets[40] * rowLen + rowLen - 1] = NaN;
  return { data, offsets };
}

/** Input i of a batch as a batch of one. */
function alone(spec: string, dim: number, rowLen: number, data: Float64Array | Float32Array, offsets: Int32Array, i: number): BatchResult {
  const one = data.subarray(offsets[i] * rowLen, offsets[i + 1] * rowLen);
  return canonicalizeBatch(spec, { data: one, dim, offsets: Int32Array.of(0, offsets[i + 1] - offsets[i]) }, { errors: 'status' });
}

describe('batches in slices', () => {
  const cases = [['SO(3)', 3, 1], ['E(3)', 3, 1], ['O(6)', 6, 1], ['O(1,3)', 4, 1], ['U(2)', 2, 2], ['GL(3)', 3, 1]] as const;
  it.each(cases)('%s: each input as if alone, errors as an eager check words them', (spec, dim, w) => {
    const rowLen = dim * w;
    const { data, offsets } = ragged(rowLen);
    const r = canonicalizeBatch(spec, { data, dim, offsets }, { errors: 'status' });
    const G = group(spec);
    const eager = checkEagerly(G, { data, dim, offsets });
    // the eagerly checked batch takes the same path with the check done up front
    const f = computeFrames(G, eager, 1e-9);
    expect(messages(r.errors)).toEqual(messages(eager.errors));
    for (const key of KEYS) expect(bytes(r[key]).equals(bytes(f[key])), key).toBe(true);
    expect(r.errors[1]?.message).toBe('input 1: has no rows; every input needs n >= 1');
    expect(r.errors[4]?.message).toBe(`input 4: row ${Math.floor(7 / rowLen)} holds NaN at column ${7 % rowLen}; every value must be finite`);
    expect(r.errors[8]?.message).toBe('input 8: row 3 holds Infinity at column 1; every value must be finite');
    expect(r.errors[15]?.message).toBe('input 15: row 0 holds -Infinity at column 0; every value must be finite');
    expect(r.errors[40]?.message).toBe(`input 40: row 0 holds NaN at column ${rowLen - 1}; every value must be finite`);
    for (const i of [1, 4, 8, 15, 40]) expect(r.ranks[i], `input ${i}`).toBe(-1);
    for (let i = 0; i < r.count; i++) {
      if (i === 1) continue;
      const one = alone(spec, dim, rowLen, data, offsets, i);
      expect(messages(one.errors)[0]?.replace('input 0:', '') ?? null, `input ${i}`).toBe(messages(r.errors)[i]?.replace(`input ${i}:`, '') ?? null);
      const range = (key: (typeof KEYS)[number], per: number) => bytes(r[key].subarray(i * per, (i + 1) * per));
      expect(bytes(r.canonical.subarray(offsets[i] * rowLen, offsets[i + 1] * rowLen)).equals(bytes(one.canonical)), `canonical ${i}`).toBe(true);
      expect(range('matrices', dim * rowLen).equals(bytes(one.matrices)), `matrices ${i}`).toBe(true);
      expect(range('shifts', rowLen).equals(bytes(one.shifts)), `shifts ${i}`).toBe(true);
      expect(range('ranks', 1).equals(bytes(one.ranks)), `ranks ${i}`).toBe(true);
      expect(range('sizes', 1).equals(bytes(one.sizes)), `sizes ${i}`).toBe(true);
      expect(one.warnings[0], `warnings ${i}`).toBe(r.warnings[i]);
    }
  });

  it('Float32 rows: checked and converted slice by slice, as their f64 copy', () => {
    const { data, offsets } = ragged(3);
    const f32 = Float32Array.from(data);
    const r = canonicalizeBatch('SE(3)', { data: f32, dim: 3, offsets }, { errors: 'status' });
    const want = canonicalizeBatch('SE(3)', { data: Float64Array.from(f32), dim: 3, offsets }, { errors: 'status' });
    for (const key of KEYS) expect(bytes(r[key]).equals(bytes(want[key])), key).toBe(true);
    expect(messages(r.errors)).toEqual(messages(want.errors));
  });

  it('into: every array overwritten in place, results as a fresh call', () => {
    const a = gaussianMatrix(gaussian(rng(5)), 300 * 64, 3);
    const b = gaussianMatrix(gaussian(rng(6)), 300 * 64, 3);
    b[77 * 64 * 3 + 5] = NaN;
    const first = canonicalizeBatch('O(3)', { data: a, dim: 3, count: 300 });
    const again = canonicalizeBatch('O(3)', { data: b, dim: 3, count: 300 }, { into: first, errors: 'status' });
    const fresh = canonicalizeBatch('O(3)', { data: b, dim: 3, count: 300 }, { errors: 'status' });
    for (const key of KEYS) {
      expect(again[key], key).toBe(first[key]);
      expect(bytes(again[key]).equals(bytes(fresh[key])), key).toBe(true);
    }
    expect(again.errors[77]?.message).toBe('input 77: row 1 holds NaN at column 2; every value must be finite');
    expect(Number.isNaN(again.canonical[77 * 64 * 3])).toBe(true);
  });

  it('into may hold the input itself: a result canonicalized again in place', () => {
    const data = gaussianMatrix(gaussian(rng(8)), 500 * 40, 3);
    const r = canonicalizeBatch('SO(3)', { data, dim: 3, count: 500 });
    const want = canonicalizeBatch('SO(3)', { data: r.canonical.slice(), dim: 3, count: 500 });
    const again = canonicalizeBatch('SO(3)', { data: r.canonical, dim: 3, count: 500 }, { into: r });
    for (const key of KEYS) expect(bytes(again[key]).equals(bytes(want[key])), key).toBe(true);
  });

  it('throw mode still carries every result', () => {
    const { data, offsets } = ragged(3);
    let caught: (Error & { result?: BatchResult; errors?: Error[] }) | undefined;
    try {
      canonicalizeBatch('SO(3)', { data, dim: 3, offsets });
    } catch (e) {
      caught = e as typeof caught;
    }
    expect(caught?.message).toBe('input 1: has no rows; every input needs n >= 1');
    expect(caught?.errors?.map((e) => e.message.split(':')[0])).toEqual(['input 1', 'input 4', 'input 8', 'input 15', 'input 40']);
    const ok = canonicalizeBatch('SO(3)', { data, dim: 3, offsets }, { errors: 'status' });
    expect(bytes(caught!.result!.canonical).equals(bytes(ok.canonical))).toBe(true);
  });
});
