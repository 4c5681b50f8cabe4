/**
 * Fuzzing the public API with fast-check (fixed seeds, bounded runs): random
 * groups, shapes, values (finite, NaN, ±Infinity, subnormal, huge), array kinds,
 * offsets, options and model outputs. Every call either returns or throws one of
 * minframe's exported error classes, never a JS-internal TypeError and never a
 * KernelError/InternalError; a returned result of finite input holds no NaN; and in
 * `errors: 'status'` mode the good inputs of a batch are bit-identical to a clean
 * batch of the good inputs alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalize, canonicalizeBatch, canonicalLabeling, canonicalLabelings, createEngine, equivariant, invariant, group,
  InputTypeError, InputRangeError, OptionTypeError, OptionRangeError, ModelError, MemoryLimitError, type Engine, type Group,
} from '../src/index.js';

const RUNS = { seed: Number(process.env.FUZZ_SEED ?? 20261201), numRuns: Number(process.env.FUZZ_RUNS ?? 120) };

/** The errors a bad argument may raise: the user's to fix, never minframe's bugs (KernelError, InternalError). */
const ALLOWED = [InputTypeError, InputRangeError, OptionTypeError, OptionRangeError, ModelError, MemoryLimitError];

function expectAllowed(e: unknown): void {
  if (!ALLOWED.some((type) => e instanceof type)) throw new Error(`not one of minframe's input errors: ${String((e as Error)?.stack ?? e)}`);
  // a batch's error carries every input's error, itself among them
  for (const inner of (e as { errors?: unknown[] }).errors ?? []) if (inner !== null && inner !== e) expectAllowed(inner);
}

/** fn's result, or undefined when it threw an allowed error (any other error fails the test). */
async function attempt<T>(fn: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    expectAllowed(e);
    return undefined;
  }
}

const SPECS = ['SO(3)', 'O(2)', 'E(3)', 'SE(2)', 'U(2)', 'SU(2)', 'GL(3)', 'SL(2)', 'Aff(2)', 'O(1,3)', 'SO(1,2)', 'O(1)', 'S(n)', 'S(n) x O(3)', 'S(n) x SE(2)', 'S(n) x SO(1,2)'];
const BAD_SPECS: unknown[] = ['SO(0)', 'X(3)', 'O(1025)', 'S(n) x GL(2)', '', 5, null, { spec: 'SO(3)' }, { spec: 'SO(3)', d: 5000, width: 1, family: 'orthogonal' }];

/** Group specs, mostly valid, with the baselines (group() with options) among them. */
const groupArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...SPECS) },
  { weight: 2, arbitrary: fc.constantFrom('O(3)', 'SO(2)', 'E(2)', 'SE(3)').chain((s) => fc.constantFrom<unknown>(group(s, { method: 'fa' }), group(s, { method: 'ifa' }), group(s, { method: 'sfa', seed: 3 }))) },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_SPECS) },
);

/** d (and width) a spec acts on, for point groups; S(n) takes any d. */
function shapeOf(spec: unknown): { d: number; width: number } {
  if (typeof spec === 'object' && spec !== null && 'd' in spec) return { d: (spec as Group).d, width: (spec as Group).width };
  try {
    const g = group(spec as string) as unknown as { family: string; d?: number; width?: number; base?: Group | null };
    if (g.family === 'permutation') return { d: g.base?.d ?? 3, width: 1 };
    return { d: g.d ?? 3, width: g.width ?? 1 };
  } catch {
    return { d: 3, width: 1 };
  }
}

const SPECIAL = [NaN, Infinity, -Infinity, 5e-324, -1e-310, 1e300, -1e308, 0, -0, 1];
/** Mostly moderate finite values, sometimes special ones. */
const valueArb = fc.oneof(
  { weight: 20, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(...SPECIAL) },
);
const finiteArb = fc.double({ min: -100, max: 100, noNaN: true });

type ArrayKind = 'f64' | 'f32' | 'i32' | 'plain' | 'big';
const kindArb = fc.oneof({ weight: 12, arbitrary: fc.constant<ArrayKind>('f64') }, { weight: 3, arbitrary: fc.constant<ArrayKind>('f32') }, { weight: 1, arbitrary: fc.constantFrom<ArrayKind>('i32', 'plain', 'big') });

function asKind(values: number[], kind: ArrayKind): unknown {
  switch (kind) {
    case 'f64': return Float64Array.from(values);
    case 'f32': return Float32Array.from(values);
    case 'i32': return Int32Array.from(values);
    case 'plain': return values;
    case 'big': return BigInt64Array.from(values, (v) => (Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n));
  }
}

const optionsArb = fc.record({
  tol: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(0, 1e-9, 0.5, 1, -1, NaN, 'x') }),
  errors: fc.oneof({ weight: 3, arbitrary: fc.constantFrom<unknown>(undefined, 'throw', 'status') }, { weight: 1, arbitrary: fc.constantFrom<unknown>('bogus', 3) }),
}, { requiredKeys: [] });

/** A batch: rows per input (0 allowed), values, array kind, offsets form. */
const batchArb = groupArb.chain((spec) => {
  const { d, width } = shapeOf(spec);
  return fc.record({
    spec: fc.constant(spec),
    d: fc.oneof({ weight: 12, arbitrary: fc.constant(d) }, { weight: 1, arbitrary: fc.constantFrom(0, d + 1, 2.5) }),
    rows: fc.array(fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 1, max: 7 }) }, { weight: 1, arbitrary: fc.constant(0) }), { minLength: 0, maxLength: 5 }),
    values: fc.array(valueArb, { minLength: 7 * 5 * d * width, maxLength: 7 * 5 * d * width }),
    kind: kindArb,
    offsets: fc.oneof({ weight: 6, arbitrary: fc.constant('int32') }, { weight: 2, arbitrary: fc.constant('plain') }, { weight: 2, arbitrary: fc.constant('count') }, { weight: 1, arbitrary: fc.constantFrom('bad', 'fraction', 'short') }),
    width: fc.constant(width),
    options: optionsArb,
  });
});

type BatchCase = { spec: unknown; d: number; rows: number[]; values: number[]; kind: ArrayKind; offsets: string; width: number; options: Record<string, unknown> };

function offsetsOf(rows: number[]): number[] {
  const o = [0];
  for (const r of rows) o.push(o[o.length - 1] + r);
  return o;
}

function batchOf(c: BatchCase): { data: unknown; dim: number; offsets?: unknown; count?: number } {
  const o = offsetsOf(c.rows);
  const total = o[o.length - 1] * c.d * c.width;
  const data = asKind(c.values.slice(0, Number.isInteger(total) ? total : 0), c.kind);
  switch (c.offsets) {
    case 'count': return { data, dim: c.d, count: c.rows.length };
    case 'plain': return { data, dim: c.d, offsets: o };
    case 'bad': return { data, dim: c.d, offsets: [0, ...o.slice(1).reverse()] };
    case 'fraction': return { data, dim: c.d, offsets: o.map((x, i) => (i === 1 ? x + 0.5 : x)) };
    case 'short': return { data, dim: c.d, offsets: Int32Array.from(o.slice(1)) };
    default: return { data, dim: c.d, offsets: Int32Array.from(o) };
  }
}

/** Whether every value the input holds is finite (so its result must hold no NaN). */
const finite = (values: ArrayLike<number>) => Array.prototype.every.call(values, (v: number) => Number.isFinite(v));

/** The typed arrays of a point or permutation result that must be NaN-free for good inputs. */
function expectNoNaN(r: { canonical: Float64Array; matrices?: Float64Array; offsets: Int32Array; errors: (Error | null)[] }, rowLen: number, dd: number): void {
  r.errors.forEach((e, i) => {
    if (e) return;
    const c = r.canonical.subarray(r.offsets[i] * rowLen, r.offsets[i + 1] * rowLen);
    expect(c.some(Number.isNaN), `canonical of input ${i}`).toBe(false);
    if (r.matrices) expect(r.matrices.subarray(i * dd, (i + 1) * dd).some(Number.isNaN), `matrix of input ${i}`).toBe(false);
  });
}

describe('fuzz: canonicalize and canonicalizeBatch', () => {
  it('single inputs return a frame or throw an exported error; finite inputs give no NaN', async () => {
    await fc.assert(fc.asyncProperty(batchArb, fc.integer({ min: 0, max: 8 }), async (c, n) => {
      const x = asKind(c.values.slice(0, n * c.d * c.width), c.kind);
      const f = await attempt(() => canonicalize(c.spec as string, x as Float64Array, { n, d: c.d }, c.options as never));
      if (f && finite(x as Float64Array)) {
        expect((f as { canonical: Float64Array }).canonical.some(Number.isNaN)).toBe(false);
      }
    }), RUNS);
  });

  it('batches return a result or throw an exported error; good inputs of finite data give no NaN', async () => {
    await fc.assert(fc.asyncProperty(batchArb, async (c) => {
      const batch = batchOf(c);
      const r = await attempt(() => canonicalizeBatch(c.spec as string, batch as never, c.options as never));
      if (r && 'matrices' in r && ArrayBuffer.isView(batch.data) && finite(batch.data as Float64Array)) {
        expectNoNaN(r as never, c.d * c.width, c.d * c.d * c.width);
      }
    }), RUNS);
  });

  it("'status' mode: the good inputs are bit-identical to a batch of the good inputs alone", async () => {
    const caseArb = fc.record({
      spec: fc.constantFrom(...SPECS),
      inputs: fc.array(fc.record({ n: fc.integer({ min: 1, max: 6 }), bad: fc.constantFrom('good', 'good', 'good', 'nan', 'inf', 'empty') }), { minLength: 1, maxLength: 6 }),
      values: fc.array(finiteArb, { minLength: 6 * 6 * 8, maxLength: 6 * 6 * 8 }),
    });
    await fc.assert(fc.asyncProperty(caseArb, async ({ spec, inputs, values }) => {
      const { d, width } = shapeOf(spec);
      const rowLen = d * width;
      let at = 0;
      const blocks = inputs.map(({ n, bad }) => {
        const rows = bad === 'empty' ? 0 : n;
        const block = Float64Array.from(values.slice(at, at + rows * rowLen));
        at += rows * rowLen;
        if (bad === 'nan') block[block.length >> 1] = NaN;
        if (bad === 'inf') block[0] = -Infinity;
        return { rows, block, good: bad === 'good' };
      });
      const pack = (bs: typeof blocks) => {
        const data = new Float64Array(bs.reduce((s, b) => s + b.block.length, 0));
        let from = 0;
        for (const b of bs) {
          data.set(b.block, from);
          from += b.block.length;
        }
        return { data, dim: d, offsets: Int32Array.from(offsetsOf(bs.map((b) => b.rows))) };
      };
      const all = canonicalizeBatch(spec, pack(blocks), { errors: 'status' }) as unknown as Record<string, unknown> & { errors: (Error | null)[] };
      const goods = blocks.filter((b) => b.good);
      const clean = goods.length === 0 ? null : (canonicalizeBatch(spec, pack(goods), { errors: 'status' }) as unknown as Record<string, unknown> & { errors: (Error | null)[] });
      all.errors.forEach((e) => e && expectAllowed(e));
      blocks.forEach((b, i) => b.good || expect(all.errors[i], `input ${i}`).not.toBeNull());
      if (!clean) return;
      const goodIndex = blocks.map((b, i) => (b.good ? i : -1)).filter((i) => i >= 0);
      // a "good" input may still break a rule of its own (subnormal values, rank): the same in both runs
      goodIndex.forEach((i, j) => expect(all.errors[i]?.message.replace(/^input \d+: /, '')).toEqual(clean.errors[j]?.message.replace(/^input \d+: /, '')));
      const rowsAll = offsetsOf(blocks.map((b) => b.rows));
      const rowsClean = offsetsOf(goods.map((b) => b.rows));
      for (const [key, value] of Object.entries(clean)) {
        if (!ArrayBuffer.isView(value) || key === 'offsets') continue;
        const a = all[key] as Float64Array | Int32Array;
        const v = value as Float64Array | Int32Array;
        const byRows = key === 'canonical' || key === 'permutations';
        const per = byRows ? v.length / Math.max(rowsClean[goods.length], 1) : v.length / goods.length;
        goodIndex.forEach((i, j) => {
          const [a0, a1] = byRows ? [rowsAll[i] * per, rowsAll[i + 1] * per] : [i * per, (i + 1) * per];
          const [c0, c1] = byRows ? [rowsClean[j] * per, rowsClean[j + 1] * per] : [j * per, (j + 1) * per];
          expect(Array.from(a.subarray(a0, a1), String), `${key} of input ${i}`).toEqual(Array.from(v.subarray(c0, c1), String));
        });
      }
    }), RUNS);
  });
});

describe('fuzz: engines', () => {
  let inline: Engine;
  let pool: Engine;
  beforeAll(async () => {
    inline = await createEngine({ threads: 0 });
    pool = await createEngine({ threads: 2, chunkSize: 64 });
  });
  afterAll(async () => {
    await inline.close();
    await pool.close();
  });

  it('an inline engine returns what canonicalizeBatch returns, or an exported error', async () => {
    await fc.assert(fc.asyncProperty(batchArb, async (c) => {
      const batch = batchOf(c);
      const want = await attempt(() => canonicalizeBatch(c.spec as string, batch as never, c.options as never));
      const got = await attempt(() => inline.canonicalize(c.spec as string, batch as never, c.options as never));
      if (want && got && 'canonical' in want && 'canonical' in got) expect(Array.from(got.canonical, String)).toEqual(Array.from(want.canonical, String));
    }), { ...RUNS, numRuns: 60 });
  });

  it('a 2-thread engine returns what canonicalizeBatch returns, or an exported error', async () => {
    await fc.assert(fc.asyncProperty(batchArb, async (c) => {
      const batch = batchOf(c);
      const want = await attempt(() => canonicalizeBatch(c.spec as string, batch as never, c.options as never));
      const got = await attempt(() => pool.canonicalize(c.spec as string, batch as never, c.options as never));
      expect(got === undefined).toBe(want === undefined);
      if (want && got && 'canonical' in want && 'canonical' in got) expect(Array.from(got.canonical, String)).toEqual(Array.from(want.canonical, String));
    }), { ...RUNS, numRuns: 15 });
  });
});

/** Models that behave, misbehave, or return the wrong thing. */
const modelArb = fc.constantFrom<[string, (c: Float64Array) => unknown]>(
  ['sin', (c) => c.map(Math.sin)],
  ['async', async (c) => c.map((v) => v * 2)],
  ['short', (c) => c.slice(1)],
  ['nan', (c) => c.map(() => NaN)],
  ['string', () => 'no'],
  ['throws', () => { throw new Error('model broke'); }],
  ['rejects', () => Promise.reject(new Error('model rejected'))],
  ['null', () => null],
);

describe('fuzz: equivariant and invariant', () => {
  it('single calls and batches return or throw an exported error; a good model on finite input gives no NaN', async () => {
    await fc.assert(fc.asyncProperty(batchArb, modelArb, fc.integer({ min: 0, max: 6 }), async (c, [name, model], n) => {
      const f = await attempt(() => equivariant(c.spec as string, model as never));
      const g = await attempt(() => invariant(c.spec as string, (x: Float64Array) => (name === 'sin' ? x.reduce((s, v) => s + v * v, 0) : model(x)) as never));
      const x = asKind(c.values.slice(0, n * c.d * c.width), c.kind);
      const good = name === 'sin' || name === 'async';
      if (f) {
        const y = await attempt(() => f(x as Float64Array, { n, d: c.d }));
        if (y && good && finite(x as Float64Array)) expect((y as Float64Array).some(Number.isNaN)).toBe(false);
        const batch = batchOf(c);
        const yb = await attempt(() => f.batch(batch as never, { errors: c.options.errors as never }));
        if (yb && good && ArrayBuffer.isView(batch.data) && finite(batch.data as Float64Array)) {
          yb.errors.forEach((e, i) => e || expect(yb.data.subarray(yb.offsets[i] * yb.width, yb.offsets[i + 1] * yb.width).some(Number.isNaN)).toBe(false));
        }
      }
      if (g) {
        await attempt(() => g(x as Float64Array, { n, d: c.d }));
        await attempt(() => g.batch(batchOf(c) as never, { errors: c.options.errors as never }));
      }
    }), { ...RUNS, numRuns: 80 });
  });
});

describe('fuzz: graphs', () => {
  const graphArb = fc.record({
    n: fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 1, max: 9 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 2.5) }),
    edges: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 81, maxLength: 81 }),
    flaw: fc.constantFrom('none', 'none', 'none', 'asymmetric', 'nan', 'fraction', 'short', 'big', 'weights'),
    colors: fc.option(fc.array(fc.integer({ min: -2, max: 3 }), { minLength: 0, maxLength: 10 })),
  });
  type GraphCase = { n: number; edges: number[]; flaw: string; colors: number[] | null };
  const adjacencyOf = ({ n, edges, flaw }: GraphCase): unknown => {
    const m = Number.isInteger(n) && n > 0 ? n : 1;
    const a = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) a[i * m + j] = a[j * m + i] = edges[i * 9 + j];
    if (flaw === 'asymmetric' && m > 1) a[1] += 1;
    if (flaw === 'nan') a[0] = NaN;
    if (flaw === 'fraction' && m > 1) a[1] = a[m] = 0.5;
    if (flaw === 'weights' && m > 1) a[1] = a[m] = 1e-12;
    if (flaw === 'short') return a.subarray(1);
    if (flaw === 'big') return BigInt64Array.from(a, (v) => BigInt(Math.trunc(Number.isFinite(v) ? v : 0)));
    return a;
  };

  it('canonicalLabeling(s), canonicalize and canonicalizeBatch on graphs return or throw an exported error', async () => {
    await fc.assert(fc.asyncProperty(fc.array(graphArb, { minLength: 1, maxLength: 4 }), fc.constantFrom('graph', 'weighted-graph'), async (cases, spec) => {
      for (const c of cases) {
        const colors = c.colors === null ? undefined : c.colors.slice(0, c.flaw === 'short' ? 0 : c.n);
        await attempt(() => canonicalLabeling(adjacencyOf(c) as never, { n: c.n, colors }));
        await attempt(() => canonicalize(spec, adjacencyOf(c) as never, { n: c.n, colors }));
      }
      await attempt(() => canonicalLabelings(cases.map((c) => ({ adjacency: adjacencyOf(c) as never, n: c.n }))));
      const blocks = cases.map((c) => ({ n: Number.isInteger(c.n) && c.n > 0 ? c.n : 1, a: adjacencyOf({ ...c, flaw: c.flaw === 'big' || c.flaw === 'short' ? 'none' : c.flaw }) as Float64Array }));
      const data = Float64Array.from(blocks.flatMap((b) => Array.from(b.a)));
      const offsets = offsetsOf(blocks.map((b) => b.n));
      const r = await attempt(() => canonicalizeBatch(spec, { data, offsets }, { errors: 'status' }));
      if (r) {
        r.errors.forEach((e, i) => {
          if (e) return expectAllowed(e);
          expect(r.canonical.subarray(r.entries[i], r.entries[i + 1]).some(Number.isNaN)).toBe(false);
        });
      }
    }), { ...RUNS, numRuns: 80 });
  });
});
