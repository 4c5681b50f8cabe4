/**
 * Error paths of the Lorentz, unitary and linear groups: specs, complex shapes,
 * inputs without a frame (each rejected alone, naming the input and the reason),
 * and the ill-conditioning warning.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeBatch, equivariant, group, invariant } from '../src/index.js';
import { checkEagerly } from './helpers/eager.js';
import { applyStatus, computeFrames } from '../src/frames/families.js';

describe('group specs', () => {
  it('parses the new groups, with the Lorentz dimension from the signature', () => {
    expect(group('O(1,3)')).toMatchObject({ spec: 'O(1,3)', family: 'lorentz', d: 4, width: 1, special: false });
    expect(group(' SO( 1 , 1 ) ')).toMatchObject({ spec: 'SO(1,1)', d: 2, special: true });
    expect(group('U(3)')).toMatchObject({ family: 'unitary', d: 3, width: 2, special: false });
    expect(group('SU(2)')).toMatchObject({ family: 'unitary', width: 2, special: true });
    expect(group('GL(3)')).toMatchObject({ family: 'linear', special: false, translations: false });
    expect(group('SL(3)')).toMatchObject({ family: 'linear', special: true, translations: false });
    expect(group('Aff(3)')).toMatchObject({ family: 'linear', special: false, translations: true });
  });
  it('rejects bad dimensions and lists every known group', () => {
    expect(() => group('O(1,0)')).toThrow(/group 'O\(1,0\)': the space dimension d−1 must be an integer from 1 to 1023/);
    expect(() => group('SO(1,1024)')).toThrow(RangeError);
    expect(() => group('U(0)')).toThrow(/group 'U\(0\)': d must be an integer from 1 to 1024/);
    expect(() => group('O(3,1)')).toThrow(/unknown group 'O\(3,1\)'; known groups: .*O\(1,d-1\), SO\(1,d-1\), U\(d\), SU\(d\), GL\(d\), SL\(d\), Aff\(d\)/);
  });
});

describe('complex shapes', () => {
  it('a complex input needs n×d×2 values', () => {
    expect(() => canonicalize('U(3)', new Float64Array(9), { n: 3, d: 3 })).toThrow(/input 0: x has 9 values, but n×d×2 \(complex\) = 18/);
    expect(() => canonicalizeBatch('SU(2)', { data: new Float64Array(6), dim: 2, count: 1 })).toThrow(/batch.data has 6 values, not a multiple of count×dim×2 = 4/);
  });
  it('a model must return n×d×2 values for complex groups', async () => {
    const f = equivariant('U(2)', () => new Float64Array(4));
    await expect(f(new Float64Array(8).fill(1), { n: 2, d: 2 })).rejects.toThrow('input 0: the model returned 4 values, expected n×d×2 (complex) = 8');
  });
  it('NaN in an imaginary part names row and interleaved column', () => {
    expect(() => canonicalize('U(2)', Float64Array.of(1, 0, 0, 1, 0, 0, 1, NaN), { n: 2, d: 2 })).toThrow(/input 0: row 1 holds NaN at column 3/);
  });
});

describe('linear groups: rank < d has no frame', () => {
  const rank2 = Float64Array.of(1, 0, 0, 0, 1, 0, 1, 1, 0, 2, 3, 0); // four rows in the plane z = 0
  it('names the input, the group and the rank', () => {
    expect(() => canonicalize('GL(3)', rank2, { n: 4, d: 3 })).toThrow(RangeError);
    expect(() => canonicalize('GL(3)', rank2, { n: 4, d: 3 })).toThrow('input 0: GL(3) needs 3 independent rows, found rank 2');
    expect(() => canonicalize('SL(3)', rank2.subarray(0, 3), { n: 1, d: 3 })).toThrow('input 0: SL(3) needs 3 independent rows, found rank 1');
    // three points span an affine plane: rank 2 after centering
    const tri = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
    expect(() => canonicalize('Aff(3)', tri, { n: 3, d: 3 })).toThrow('input 0: Aff(3) needs 3 independent rows after subtracting the centroid, found rank 2');
  });
  it('rejects only that input of a batch, keeping the others', async () => {
    const good = Float64Array.of(2, 0, 0, 0, 3, 0, 0, 0, 4, 1, 1, 1);
    const data = new Float64Array(36);
    data.set(good, 0);
    data.set(rank2, 12);
    data.set(good, 24);
    const r = canonicalizeBatch('GL(3)', { data, dim: 3, count: 3 }, { errors: 'status' });
    expect(r.errors[0]).toBeNull();
    expect(r.errors[1]?.message).toBe('input 1: GL(3) needs 3 independent rows, found rank 2');
    expect((r.errors[1] as RangeError & { input: number }).input).toBe(1);
    expect(r.errors[2]).toBeNull();
    expect(r.canonical.subarray(12, 24).every(Number.isNaN)).toBe(true);
    expect(Array.from(r.ranks)).toEqual([3, 2, 3]); // a rejected input keeps its rank
    expect(Array.from(r.canonical.subarray(24, 33))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // throw mode: the first bad input's error, carrying every result
    try {
      canonicalizeBatch('GL(3)', { data, dim: 3, count: 3 });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe('input 1: GL(3) needs 3 independent rows, found rank 2');
      expect((e as { result: { canonical: Float64Array } }).result.canonical[0]).toBe(1);
    }
    const f = equivariant('GL(3)', (y: Float64Array) => y);
    const out = await f.batch({ data, dim: 3, count: 3 }, { errors: 'status' });
    expect(out.errors.map((e) => e?.message ?? null)).toEqual([null, 'input 1: GL(3) needs 3 independent rows, found rank 2', null]);
    expect(out.data[0]).toBeCloseTo(2, 14);
    await expect(invariant('GL(3)', () => 1)(rank2, { n: 4, d: 3 })).rejects.toThrow('input 0: GL(3) needs 3 independent rows, found rank 2');
  });
  it('an ill-conditioned frame carries a warning, a well-conditioned one none', () => {
    const bad = Float64Array.of(1, 0, 1, 1e-13);
    const fr = canonicalize('GL(2)', bad, { n: 2, d: 2 }, { tol: 1e-15 });
    expect(fr.warning).toMatch(/^input 0: GL\(2\) frame is ill-conditioned \(condition number \d\.\d\de\+1\d > 1e\+12\); the canonical form may be inaccurate$/);
    expect(canonicalize('GL(2)', Float64Array.of(1, 0, 0, 1), { n: 2, d: 2 }).warning).toBeNull();
    const r = canonicalizeBatch('SL(2)', { data: Float64Array.of(1, 0, 1, 1e-13, 1, 0, 0, 1), dim: 2, count: 2 }, { tol: 1e-15 });
    expect(r.warnings?.[0]).toMatch(/^input 0: SL\(2\) frame is ill-conditioned/);
    expect(r.warnings?.[1]).toBeNull();
    expect(canonicalize('O(2)', Float64Array.of(1, 0, 0, 1), { n: 2, d: 2 }).warning).toBeNull();
  });
  it('the averaging wrappers pass the warnings on', async () => {
    const data = Float64Array.of(1, 0, 1, 1e-13, 1, 0, 0, 1);
    const f = await equivariant('GL(2)', (y: Float64Array) => y, { tol: 1e-15 }).batch({ data, dim: 2, count: 2 });
    expect(f.warnings?.[0]).toMatch(/^input 0: GL\(2\) frame is ill-conditioned/);
    expect(f.warnings?.[1]).toBeNull();
    const g = await invariant('GL(2)', () => 1, { tol: 1e-15 }).batch({ data, dim: 2, count: 2 });
    expect(g.warnings).toEqual(f.warnings);
    const h = await invariant('GL(2)', () => 1).batch({ data: data.subarray(4), dim: 2, count: 1 });
    expect(h.warnings).toEqual([null]);
  });
});

describe('Lorentz groups: inputs without a frame', () => {
  it('a degenerate span (null pivot) names the row', () => {
    // (1,1,1,0) is not light-like, but its residual after (0,0,1,0) is (1,1,0,0)
    const x = Float64Array.of(0, 0, 1, 0, 1, 1, 1, 0);
    expect(() => canonicalize('O(1,3)', x, { n: 2, d: 4 })).toThrow('input 0: O(1,3) has no frame for this input: row 1 is light-like after projection onto the rows before it, so their span is degenerate (its stabilizer is not compact)');
  });
  it('a space-like span of dimension <= d−2 has a non-compact stabilizer', () => {
    const x = Float64Array.of(0, 1, 0, 0, 0, 0, 1, 0);
    expect(() => canonicalize('SO(1,3)', x, { n: 2, d: 4 })).toThrow('input 0: SO(1,3) has no frame for this input: its rows that are not light-like span a space-like subspace of dimension 2, whose stabilizer O(1,1) is not compact');
  });
  it('only light-like rows', () => {
    const x = Float64Array.of(1, 1, 0, 0, 1, 0, 1, 0);
    expect(() => canonicalize('O(1,3)', x, { n: 2, d: 4 })).toThrow('input 0: O(1,3) has no frame for this input: every row is light-like or zero, so no row fixes a frame (the stabilizer is not compact)');
  });
  it('a light-like row outside the span of the others', () => {
    const x = Float64Array.of(1, 0, 0, 0, 1, 1, 0, 0);
    expect(() => canonicalize('O(1,3)', x, { n: 2, d: 4 })).toThrow('input 0: O(1,3) has no frame for this input: light-like row 1 lies outside the span of the other rows (rank 1), so the frame\'s stabilizer would move it');
  });
  it('light-like rows inside the span are fine, and a space-like hyperplane (time-like complement) too', () => {
    const x = Float64Array.of(2, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0);
    expect(canonicalize('O(1,3)', x, { n: 3, d: 4 }).size).toBe(Infinity);
    const y = Float64Array.of(0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
    const fr = canonicalize('O(1,3)', y, { n: 3, d: 4 });
    expect([fr.rank, fr.size]).toEqual([3, 2]);
  });
  it('a batch keeps its other inputs', () => {
    const data = Float64Array.of(0, 1, 0, 0, 0, 0, 1, 0, 3, 1, 0, 0, 0, 0, 1, 0);
    const r = canonicalizeBatch('O(1,3)', { data, dim: 4, count: 2 }, { errors: 'status' });
    expect(r.errors[0]?.message).toMatch(/^input 0: O\(1,3\) has no frame for this input: its rows that are not light-like span a space-like subspace of dimension 2/);
    expect(r.errors[1]).toBeNull();
    expect(r.ranks[1]).toBe(2);
  });
});

describe('remarks travel as data', () => {
  it('an engine re-applies a worker’s status on the calling thread: same errors, warnings and ranks', () => {
    // input 0 invalid (NaN), 1 rank-deficient, 2 ill-conditioned, 3 fine
    const data = Float64Array.of(NaN, 0, 0, 1, 1, 0, 2, 0, 1, 0, 1, 1e-13, 3, 0, 0, 3);
    const G = group('GL(2)');
    const worker = computeFrames(G, checkEagerly(G, { data, dim: 2, count: 4 }), 1e-15);
    // the calling thread has only its own checked batch and the worker's plain arrays
    const b = checkEagerly(G, { data, dim: 2, count: 4 });
    const f = { ...worker, warnings: undefined, status: worker.status.slice() };
    applyStatus(G, b, f);
    expect(b.errors[0]?.message).toMatch(/^input 0: row 0 holds NaN/);
    expect(b.errors[1]?.message).toBe('input 1: GL(2) needs 2 independent rows, found rank 1');
    expect(b.errors[2]).toBeNull();
    expect(b.errors[3]).toBeNull();
    expect(f.warnings?.[2]).toMatch(/^input 2: GL\(2\) frame is ill-conditioned/);
    expect(f.warnings?.[3]).toBeNull();
    expect(Array.from(f.ranks)).toEqual([-1, 1, 2, 2]);
    const single = canonicalizeBatch(G, { data, dim: 2, count: 4 }, { errors: 'status', tol: 1e-15 });
    expect(single.errors.map((e) => e?.message ?? null)).toEqual(b.errors.map((e) => e?.message ?? null));
    expect(single.warnings).toEqual(f.warnings);
  });
});
