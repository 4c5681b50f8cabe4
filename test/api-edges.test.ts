/**
 * Loose edges of the public API: arguments that were once silently converted,
 * reused or let through, each now its own TypeError or RangeError from
 * src/errors.ts, with the argument and the rule in the message.
 */
import { describe, expect, it } from 'vitest';
import {
  canonicalize, canonicalizeBatch, canonicalLabeling, canonicalLabelings, createEngine, equivariant, equitablePartitions, group,
  InputRangeError, InputTypeError, OptionRangeError, OptionTypeError, type Group,
} from '../src/index.js';

const points = (rows: number) => Float64Array.from({ length: rows * 3 }, (_, i) => Math.sin(i + 1) * 3);
/** Triangle plus an isolated vertex, then an edge: 4 + 2 vertices. */
const graphs = { data: Float64Array.from([0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0]), offsets: Int32Array.of(0, 4, 6) };

/** fn() throws an instance of `type` whose message matches `message`. */
function throwsAs(fn: () => unknown, type: new (...a: never[]) => Error, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  expect((caught as Error).message).toMatch(message);
}

describe('plain-array offsets are checked before they become an Int32Array', () => {
  const data = points(4);
  it.each([
    [[0, 2.7, 4], OptionRangeError, /^minframe: batch\.offsets\[1\] must be a whole number in \[0, 2\^31\), got 2\.7$/],
    [[0, 2 ** 32 + 4], OptionRangeError, /^minframe: batch\.offsets\[1\] must be a whole number in \[0, 2\^31\), got 4294967300$/],
    [[0, '4'], OptionTypeError, /^minframe: batch\.offsets\[1\] must be a number, got string$/],
    [[0, NaN, 4], OptionRangeError, /^minframe: batch\.offsets\[1\] must be a whole number in \[0, 2\^31\), got NaN$/],
    [[-1, 4], OptionRangeError, /^minframe: batch\.offsets\[0\] must be a whole number/],
  ])('point batch offsets %j', (offsets, type, message) => {
    throwsAs(() => canonicalizeBatch('SO(3)', { data, dim: 3, offsets: offsets as number[] }), type, message);
    throwsAs(() => canonicalizeBatch('S(n) x O(3)', { data, dim: 3, offsets: offsets as number[] }), type, message);
  });

  it.each([
    [[0, 2.7, 4], OptionRangeError, /^minframe: batch\.offsets\[1\] must be a whole number in \[0, 2\^31\), got 2\.7$/],
    [[0, 2 ** 32 + 2], OptionRangeError, /^minframe: batch\.offsets\[1\] must be a whole number in \[0, 2\^31\), got 4294967298$/],
    [[0, '2'], OptionTypeError, /^minframe: batch\.offsets\[1\] must be a number, got string$/],
    [[0, NaN, 2], OptionRangeError, /got NaN$/],
  ])('graph batch offsets %j', (offsets, type, message) => {
    throwsAs(() => canonicalizeBatch('graph', { data: new Float64Array(4), offsets: offsets as number[] }), type, message);
  });

  it('whole-number plain arrays still work, as their Int32Array would', () => {
    const a = canonicalizeBatch('SO(3)', { data, dim: 3, offsets: [0, 2, 4] });
    const b = canonicalizeBatch('SO(3)', { data, dim: 3, offsets: Int32Array.of(0, 2, 4) });
    expect(a.canonical).toEqual(b.canonical);
    expect(canonicalizeBatch('graph', { data: graphs.data, offsets: [0, 4, 6] }).sizes).toEqual(canonicalizeBatch('graph', graphs).sizes);
  });
});

describe('into arrays must have the result types', () => {
  const batch = { data: points(4), dim: 3, count: 2 };
  it('a Float32Array canonical or an Int8Array ranks is an OptionTypeError', () => {
    const r = canonicalizeBatch('SO(3)', batch);
    throwsAs(() => canonicalizeBatch('SO(3)', batch, { into: { ...r, canonical: new Float32Array(12) as never } }), OptionTypeError, /^minframe: into\.canonical must be a Float64Array \(an earlier result's\), got Float32Array$/);
    throwsAs(() => canonicalizeBatch('SO(3)', batch, { into: { ...r, ranks: new Int8Array(2) as never } }), OptionTypeError, /^minframe: into\.ranks must be a Int32Array \(an earlier result's\), got Int8Array$/);
    throwsAs(() => canonicalizeBatch('SO(3)', batch, { into: { ...r, sizes: new Int32Array(2) as never } }), OptionTypeError, /^minframe: into\.sizes must be a Float64Array/);
  });

  it('an into of the right types and lengths is overwritten; of other lengths, left alone', () => {
    const r = canonicalizeBatch('SO(3)', batch);
    const again = canonicalizeBatch('SO(3)', batch, { into: r });
    expect(again.canonical).toBe(r.canonical);
    const short = { ...r, canonical: new Float64Array(3) };
    expect(canonicalizeBatch('SO(3)', batch, { into: short }).canonical).not.toBe(short.canonical);
  });

  it('the engine checks into the same way', async () => {
    const engine = await createEngine({ threads: 0 });
    const r = canonicalizeBatch('SO(3)', batch);
    await expect(engine.canonicalize('SO(3)', batch, { into: { ...r, matrices: new Float32Array(18) as never } })).rejects.toThrow(OptionTypeError);
    await engine.close();
  });

  it("the wrappers' into must be a Float64Array or a result with Float64Array data", async () => {
    const f = equivariant('SO(3)', (x: Float64Array) => x.slice());
    const r = await f.batch(batch);
    expect((await f.batch(batch, { into: r })).data).toBe(r.data);
    await expect(f.batch(batch, { into: new Float32Array(12) as never })).rejects.toThrow(/^minframe: into must be a Float64Array or an earlier result with Float64Array data, got Float32Array$/);
    await expect(f.batch(batch, { into: { ...r, data: new Float32Array(12) } as never })).rejects.toBeInstanceOf(OptionTypeError);
  });
});

describe('canonicalLabelings and equitablePartitions take an array', () => {
  it.each([[5], [null], ['graph'], [{ adjacency: [0], n: 1 }]])('%j is an OptionTypeError', (x) => {
    throwsAs(() => canonicalLabelings(x as never), OptionTypeError, /^minframe: graphs must be an array of \{ adjacency, n \}, got /);
    throwsAs(() => equitablePartitions(x as never), OptionTypeError, /^minframe: graphs must be an array/);
  });
});

describe('group() accepts only the groups it made', () => {
  it('a forged group is an OptionTypeError, however it is shaped', () => {
    const forged = [{ spec: 'SO(3)' }, { ...group('SO(3)') }, { ...group('SO(3)'), d: 5000 }, { ...group('SO(3)'), d: 0 }, Object.freeze({ ...group('graph') })];
    for (const g of forged) {
      throwsAs(() => group(g as Group), OptionTypeError, /^minframe: a group must be a spec string such as 'SO\(3\)' or a group that group\(\) returned, got an object group\(\) did not make$/);
      throwsAs(() => canonicalize(g as Group, points(3), { n: 3, d: 3 }), OptionTypeError, /group\(\) did not make/);
    }
    throwsAs(() => group(5 as never), OptionTypeError, /got number$/);
  });

  it('every group group() returns is accepted back, with options too', () => {
    for (const spec of ['SO(3)', 'E(2)', 'U(2)', 'O(1,3)', 'graph', 'weighted-graph', 'S(n)', 'S(n) x SE(3)']) {
      const g = group(spec);
      expect(group(g as Group)).toBe(g);
    }
    const fa = group('O(3)', { method: 'fa' });
    expect(group(fa)).toBe(fa);
    const sfa = group('SO(3)', { method: 'sfa', seed: 7 });
    expect(group(sfa)).toBe(sfa);
    expect(canonicalize(sfa, points(3), { n: 3, d: 3 }).size).toBe(1);
  });
});

describe('bigint arrays are TypeErrors that name the array type', () => {
  const big = new BigInt64Array(4);
  it('single graphs', () => {
    throwsAs(() => canonicalLabeling(big as never, { n: 2 }), InputTypeError, /^input 0: adjacency must hold numbers, got a BigInt64Array$/);
    throwsAs(() => canonicalize('graph', big as never, { n: 2 }), InputTypeError, /^input 0: adjacency must hold numbers, got a BigInt64Array$/);
    throwsAs(() => canonicalize('weighted-graph', new BigUint64Array(4) as never, { n: 2 }), InputTypeError, /^input 0: adjacency must hold numbers, got a BigUint64Array$/);
    throwsAs(() => canonicalize('graph', new Float64Array(4), { n: 2, colors: new BigInt64Array(2) as never }), InputTypeError, /^input 0: colors must hold numbers, got a BigInt64Array$/);
  });

  it('graph batches', () => {
    throwsAs(() => canonicalizeBatch('graph', { data: big as never, offsets: [0, 2] }), OptionTypeError, /^minframe: batch\.data must be an array or typed array of numbers, got BigInt64Array$/);
    throwsAs(() => canonicalizeBatch('graph', { ...graphs, colors: new BigInt64Array(6) as never }), OptionTypeError, /^minframe: batch\.colors must be an array or typed array of colour ids, got BigInt64Array$/);
  });
});

describe('graph-batch colours of the wrong length', () => {
  it('say the expected and the actual length', () => {
    throwsAs(() => canonicalizeBatch('graph', { ...graphs, colors: new Int32Array(5) }), OptionRangeError, /^minframe: batch\.colors must hold one colour id per vertex, 6 values, got 5$/);
    throwsAs(() => canonicalizeBatch('graph', { ...graphs, colors: [] }), OptionRangeError, /6 values, got 0$/);
    throwsAs(() => canonicalizeBatch('graph', { ...graphs, colors: null as never }), OptionTypeError, /^minframe: batch\.colors must be an array or typed array of colour ids, got null$/);
  });
});

describe('baselines reject values their covariance would overflow (found by test/fuzz.test.ts)', () => {
  it('a value beyond 2^500 is an InputRangeError, not NaN frames', () => {
    const x = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 1.35, -1e308]);
    for (const method of ['fa', 'sfa', 'ifa'] as const) {
      const G = group('SE(3)', { method, ...(method === 'sfa' ? { seed: 1 } : {}) });
      throwsAs(() => canonicalize(G, x, { n: 3, d: 3 }), InputRangeError, /^input 0: holds a value of magnitude 1\.00e\+308; the baselines take values up to 2\^500/);
      const r = canonicalizeBatch(G, { data: Float64Array.from([...x, 1, 2, 3, 0, 1, 0, 0, 0, 1]), dim: 3, count: 2 }, { errors: 'status' });
      expect(r.errors[0]).toBeInstanceOf(InputRangeError);
      expect(r.errors[1]).toBeNull();
    }
    expect(canonicalize(group('SE(3)', { method: 'fa' }), x.map((v) => v * 1e-200), { n: 3, d: 3 }).canonical.some(Number.isNaN)).toBe(false);
  });
});

describe('options of the wrappers and the graph tolerance', () => {
  it("batchModel must be a boolean, weighted graphs take tol in [0, 1), and a model's outputs must be numbers", async () => {
    const { equivariant: eq, canonicalize: canon, OptionTypeError: OTE, OptionRangeError: ORE, InputTypeError: ITE } = await import('../src/index.js');
    expect(() => eq('O(3)', (x: Float64Array) => x, { batchModel: 'yes' as never })).toThrow(OTE);
    expect(() => eq('O(3)', (x: Float64Array) => x, { batchModel: 'yes' as never })).toThrow('minframe: batchModel must be true or false, got string');
    expect(() => canon('weighted-graph', new Float64Array(4), { n: 2 }, { tol: 5 })).toThrow(ORE);
    expect(() => canon('weighted-graph', new Float64Array(4), { n: 2 }, { tol: 5 })).toThrow('minframe: tol must be a number in [0, 1), got 5');
    const f = eq('O(3)', () => ['a', 'b', 'c', 'd', 'e', 'f'] as never);
    await expect(f(Float64Array.of(1, 2, 3, 4, 5, 6), { n: 2, d: 3 })).rejects.toThrow(ITE);
    await expect(f(Float64Array.of(1, 2, 3, 4, 5, 6), { n: 2, d: 3 })).rejects.toThrow('input 0: the model returned string at position 0; outputs must be numbers');
  });

  it('a batch model may return a Float32Array or numbers, with or without bad inputs in the batch', async () => {
    const { equivariant: eq } = await import('../src/index.js');
    const data = points(12);
    const batch = { data, dim: 3, count: 4 };
    const bad = { data: data.map((v, i) => (i === 10 ? NaN : v)), dim: 3, count: 4 };
    for (const b of [batch, bad]) {
      const want = await eq('O(3)', (s: { data: Float64Array }) => s.data, { batchModel: true }).batch(b, { errors: 'status' });
      const asNumbers = await eq('O(3)', (s: { data: Float64Array }) => Array.from(s.data), { batchModel: true }).batch(b, { errors: 'status' });
      expect(asNumbers.data).toEqual(want.data);
      const asFloat32 = await eq('O(3)', (s: { data: Float64Array }) => Float32Array.from(s.data), { batchModel: true }).batch(b, { errors: 'status' });
      // the same outputs to float32 rounding; the bad input's NaN where it was
      asFloat32.data.forEach((v, i) => (Number.isNaN(want.data[i]) ? expect(v).toBeNaN() : expect(Math.abs(v - want.data[i])).toBeLessThan(1e-6 * 10)));
      expect(asFloat32.errors.map(Boolean)).toEqual(b === bad ? [false, true, false, false] : [false, false, false, false]);
    }
  });
});
