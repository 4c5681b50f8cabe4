/**
 * Every error path: bad input is stopped in TypeScript with a TypeError or
 * RangeError naming the input and the rule, and nothing else in the batch is lost.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeBatch, equivariant, group, invariant } from '../src/index.js';

const x3 = Float64Array.of(1, 2, 3, 4, 5, 6);

describe('group specs', () => {
  it('rejects unknown specs, listing the known ones', () => {
    expect(() => group('Q(3)')).toThrow(RangeError);
    expect(() => group('Q(3)')).toThrow(/unknown group 'Q\(3\)'; known groups: O\(d\)/);
    expect(() => group('SO(0)')).toThrow(/d must be an integer from 1 to 1024/);
    expect(() => group('O(5000)')).toThrow(RangeError);
    expect(() => group(3 as unknown as string)).toThrow(TypeError);
  });
  it('normalizes spacing and caches', () => {
    expect(group(' S O ( 3 ) ').spec).toBe('SO(3)');
    expect(group('SO(3)')).toBe(group('SO(3)'));
  });
});

describe('single inputs', () => {
  it('wrong array type', () => {
    expect(() => canonicalize('O(3)', [1, 2, 3] as unknown as Float64Array, { n: 1, d: 3 })).toThrow(TypeError);
    expect(() => canonicalize('O(3)', [1, 2, 3] as unknown as Float64Array, { n: 1, d: 3 })).toThrow(/input 0: x must be a Float64Array or Float32Array, got Array/);
  });
  it('wrong length, n and d', () => {
    expect(() => canonicalize('O(3)', x3, { n: 3, d: 3 })).toThrow(/input 0: x has 6 values, but n×d = 9/);
    expect(() => canonicalize('O(3)', x3, { n: 2, d: 2 })).toThrow(/input 0: d is 2, but O\(3\) acts on d = 3/);
    expect(() => canonicalize('O(3)', new Float64Array(0), { n: 0, d: 3 })).toThrow(/input 0: n must be a whole number >= 1, got 0/);
    expect(() => canonicalize('O(3)', x3, { n: 1.5, d: 3 })).toThrow(RangeError);
    expect(() => canonicalize('O(3)', x3, undefined as unknown as { n: number; d: number })).toThrow(/the shape \{ n, d \} is required/);
  });
  it('NaN and Infinity, with row and column', () => {
    expect(() => canonicalize('O(3)', Float64Array.of(1, 2, 3, 4, NaN, 6), { n: 2, d: 3 })).toThrow(/input 0: row 1 holds NaN at column 1; every value must be finite/);
    expect(() => canonicalize('E(3)', Float64Array.of(Infinity, 2, 3), { n: 1, d: 3 })).toThrow(/row 0 holds Infinity at column 0/);
  });
  it('bad options', () => {
    expect(() => canonicalize('O(3)', x3, { n: 2, d: 3 }, { tol: -1 })).toThrow(/tol must be a number in \[0, 1\)/);
    expect(() => equivariant('O(3)', 5 as never)).toThrow(/the model must be a function \(or the URL or path of an ES module\), got number/);
    expect(() => equivariant('O(3)', (x) => x, { output: 'scalars' as never })).toThrow(/output must be 'vectors' or 'points'/);
  });
  it('a model returning the wrong length or type', async () => {
    const f = equivariant('O(3)', () => new Float64Array(5));
    await expect(f(x3, { n: 2, d: 3 })).rejects.toThrow(/input 0: the model returned 5 values, expected n×d = 6/);
    const g = equivariant('O(3)', () => 'nope' as never);
    await expect(g(x3, { n: 2, d: 3 })).rejects.toThrow(TypeError);
  });
});

describe('batches', () => {
  const data = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, NaN, 1, 1, 1, 0, 0, 1);
  const offsets = Int32Array.of(0, 2, 3, 3, 5);
  it('batch shape errors belong to the whole batch', () => {
    expect(() => canonicalizeBatch('O(3)', { data: [1] as never, dim: 3, count: 1 })).toThrow(/batch.data must be a Float64Array or Float32Array/);
    expect(() => canonicalizeBatch('O(3)', { data, dim: 2, count: 1 })).toThrow(/batch.dim is 2, but O\(3\) acts on d = 3/);
    expect(() => canonicalizeBatch('O(3)', { data, dim: 3, count: 2 })).toThrow(/batch.data has 15 values, not a multiple of count×dim = 6/);
    expect(() => canonicalizeBatch('O(3)', { data, dim: 3, offsets: [0, 2, 1, 5] })).toThrow(/batch.offsets must not decrease/);
    expect(() => canonicalizeBatch('O(3)', { data, dim: 3, offsets: [0, 2, 6] })).toThrow(/batch.offsets end at row 6, so data needs 18 values/);
    expect(() => canonicalizeBatch('O(3)', { data, dim: 3, offsets: [1, 5] })).toThrow(/batch.offsets\[0\] must be 0/);
    expect(() => canonicalizeBatch('O(3)', { data, dim: 3, count: -1 })).toThrow(/batch.count must be a whole number >= 0/);
    expect(() => canonicalizeBatch('O(3)', { data, dim: 3, offsets }, { errors: 'ignore' as never })).toThrow(/errors must be 'throw' or 'status'/);
  });
  it("errors: 'status' reports each bad input and keeps the others", () => {
    const r = canonicalizeBatch('O(3)', { data, dim: 3, offsets }, { errors: 'status' });
    expect(r.errors[0]).toBeNull();
    expect(r.errors[1]).toBeInstanceOf(RangeError);
    expect(r.errors[1]!.message).toBe('input 1: row 0 holds NaN at column 2; every value must be finite');
    expect(r.errors[2]!.message).toBe('input 2: has no rows; every input needs n >= 1');
    expect(r.errors[3]).toBeNull();
    expect(Number.isNaN(r.sizes[1])).toBe(true);
    const alone0 = canonicalize('O(3)', data.subarray(0, 6), { n: 2, d: 3 });
    const alone3 = canonicalize('O(3)', data.subarray(9, 15), { n: 2, d: 3 });
    expect(r.canonical.subarray(0, 6)).toEqual(alone0.canonical);
    expect(r.canonical.subarray(9, 15)).toEqual(alone3.canonical);
  });
  it("errors: 'throw' throws the first input's error carrying every error and the full result", () => {
    let caught: (RangeError & { errors: Error[]; result: { canonical: Float64Array } }) | undefined;
    try {
      canonicalizeBatch('O(3)', { data, dim: 3, offsets });
    } catch (e) {
      caught = e as typeof caught;
    }
    expect(caught).toBeInstanceOf(RangeError);
    expect(caught!.message).toMatch(/^input 1: /);
    expect(caught!.errors.map((e) => e.message.slice(0, 7))).toEqual(['input 1', 'input 2']);
    expect(caught!.result.canonical.subarray(0, 6)).toEqual(canonicalize('O(3)', data.subarray(0, 6), { n: 2, d: 3 }).canonical);
  });
  it('averaging wrappers report model failures per input in status mode', async () => {
    let calls = 0;
    const f = equivariant('SO(3)', async (x) => {
      if (++calls === 2) throw new Error('out of memory');
      return x;
    });
    const r = await f.batch({ data, dim: 3, offsets }, { errors: 'status' });
    expect(r.errors.map((e) => (e ? e.message : null))).toEqual([null, expect.stringMatching(/^input 1: row 0 holds NaN/), expect.stringMatching(/^input 2: has no rows/), 'input 3: the model failed: out of memory']);
    expect(r.data.subarray(0, 6)).toEqual(await f(data.subarray(0, 6), { n: 2, d: 3 }));
    calls = 0;
    await expect(f.batch({ data: Float64Array.of(1, 0, 0, 0, 1, 0), dim: 3, count: 2 })).rejects.toThrow('input 1: the model failed: out of memory');
    const inv = invariant('SO(3)', (x) => x.length);
    const ri = await inv.batch({ data, dim: 3, offsets }, { errors: 'status' });
    expect(ri.outputs).toEqual([6, undefined, undefined, 6]);
  });
});
