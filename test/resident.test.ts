/**
 * Frames kept in kernels of their own (src/kinds/points.ts pointFramedHere): the
 * wrappers' inline batches past RESIDENT_VALUES. A model that awaits while other
 * calls grow this thread's WASM memory, overlapping calls of one wrapper, batches
 * that grow and shrink between calls, and a model that writes over the batch it was
 * given all get the bits of an engine's path, whose frames are plain arrays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalizeBatch, createEngine, equivariant, group, invariant, type Engine } from '../src/index.js';
import { RESIDENT_VALUES } from '../src/kinds/points.js';
import { kernels, withArena } from '../src/wasm/module.js';
import { raggedBatch } from './batches.js';
import { expectSameBits } from './helpers/pipeline.js';

type Stacked = { data: Float64Array; dim: number; offsets: Int32Array; count: number };

const RUNS = { seed: Number(process.env.FUZZ_SEED ?? 20261202), numRuns: Number(process.env.FUZZ_RUNS ?? 24) };

/** A ragged SE(3) batch of about `values` values (planar and collinear inputs among them). */
const batchOf = (values: number, seed: number) => raggedBatch(Math.ceil(values / 27), 17, seed);

/** A model that depends on positions: each value cubed, plus its row's first value. */
const cubic = (x: Float64Array, dim: number) => x.map((v, j) => v * v * v + x[j - (j % dim)]);

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine({ threads: 0 });
});
afterAll(() => engine.close());

/** The engine's averaged outputs (frames in plain arrays) for the same model and options. */
async function reference(model: (b: Stacked) => Float64Array, batch: object, output: 'points' | 'vectors' = 'points') {
  return equivariant('SE(3)', model, { batchModel: true, output, engine }).batch(batch as never, { errors: 'status' });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('frames in kernels of their own', () => {
  it('the batches here are past the threshold', () => {
    expect(batchOf(40_000, 1).data.length).toBeGreaterThanOrEqual(RESIDENT_VALUES);
  });

  it('an async batch model reads its batch after other calls have grown this thread\'s memory', async () => {
    const b = batchOf(60_000, 2);
    const model = (s: Stacked) => cubic(s.data, s.dim);
    const f = equivariant('SE(3)', async (s: Stacked) => {
      const before = s.data.length;
      await sleep(5);
      // this thread's kernels grow their memory (detaching every view on it), run a
      // batch and another wrapper's resident batch
      const k = kernels();
      const size = k.exports.memory.buffer.byteLength;
      withArena(k, 'test', (a) => a.alloc(size + (64 << 20)));
      expect(k.exports.memory.buffer.byteLength).toBeGreaterThan(size);
      canonicalizeBatch('O(3)', batchOf(300_000, 5));
      await equivariant('SE(3)', model, { batchModel: true }).batch(batchOf(50_000, 3));
      expect(s.data.length).toBe(before);
      return model(s);
    }, { batchModel: true, output: 'points' });
    expectSameBits(await f.batch(b, { errors: 'status' }), await reference(model, b), 'async batch model');
  });

  it('an async per-input model too (its inputs are views of the same memory)', async () => {
    const b = batchOf(40_000, 4);
    const perInput = (x: Float64Array) => cubic(x, 3);
    let calls = 0;
    const f = equivariant('SE(3)', async (x: Float64Array) => {
      if (calls++ % 400 === 0) {
        await sleep(1);
        canonicalizeBatch('O(3)', batchOf(300_000, 5));
      }
      return perInput(x);
    }, { output: 'points' });
    const want = await equivariant('SE(3)', perInput, { output: 'points', engine }).batch(b, { errors: 'status' });
    expectSameBits(await f.batch(b, { errors: 'status' }), want, 'async per-input model');
  });

  it('overlapping calls of one wrapper each get their own frames', async () => {
    const model = (s: Stacked) => cubic(s.data, s.dim);
    const f = equivariant('SE(3)', async (s: Stacked) => {
      await sleep(s.count % 7);
      return model(s);
    }, { batchModel: true, output: 'points' });
    const batches = [batchOf(40_000, 6), batchOf(90_000, 7), batchOf(40_000, 8)];
    const got = await Promise.all(batches.map((b) => f.batch(b, { errors: 'status' })));
    for (let i = 0; i < batches.length; i++) expectSameBits(got[i], await reference(model, batches[i]), `call ${i}`);
  });

  it('one wrapper over batches that grow and shrink, with and without into', async () => {
    const model = (s: Stacked) => cubic(s.data, s.dim);
    const f = equivariant('SE(3)', model, { batchModel: true, output: 'vectors' });
    let last: Awaited<ReturnType<typeof f.batch>> | undefined;
    for (const [values, seed] of [[40_000, 9], [400_000, 10], [40_000, 11], [40_000, 12], [35_000, 13]]) {
      const b = batchOf(values, seed);
      const r = await f.batch(b, { errors: 'status', into: last });
      expectSameBits(r, await reference(model, b, 'vectors'), `${values} values`);
      last = r;
    }
  });

  it('a batch model that writes over the batch it was given and returns it', async () => {
    const b = batchOf(50_000, 14);
    const inPlace = equivariant('SE(3)', (s: Stacked) => {
      for (let j = 0; j < s.data.length; j++) s.data[j] *= 2;
      return s.data;
    }, { batchModel: true, output: 'points' });
    const r = await inPlace.batch(b, { errors: 'status' });
    expectSameBits(r, await reference((s) => s.data.map((v) => 2 * v), b), 'in place');
    // and the identity, whose outputs are its inputs in place
    const id = await equivariant('SE(3)', (s: Stacked) => s.data, { batchModel: true, output: 'points' }).batch(b, { errors: 'status' });
    expectSameBits(id, await reference((s) => s.data.slice(), b), 'identity');
  });

  it('invariant batch models and per-input invariants see the same canonical forms', async () => {
    const b = batchOf(50_000, 15);
    const sums = (s: Stacked) => Float64Array.from({ length: s.count }, (_, i) => s.data.subarray(s.offsets[i] * 3, s.offsets[i + 1] * 3).reduce((a, v) => a + v * v * v, 0));
    const got = await invariant('SE(3)', sums, { batchModel: true }).batch(b, { errors: 'status' });
    const want = await invariant('SE(3)', sums, { batchModel: true, engine }).batch(b, { errors: 'status' });
    expectSameBits({ data: got.data, errors: got.errors }, { data: want.data, errors: want.errors }, 'invariant batch model');
    const one = (x: Float64Array) => x.reduce((a, v) => a + v * v * v, 0);
    const per = await invariant('SE(3)', one).batch(b, { errors: 'status' });
    expect(per.outputs.map((v) => (v === undefined ? NaN : v))).toEqual(Array.from(got.data!));
  });

  it('a per-input wrapper called again hands out the same views where the forms lie in the same place, and new ones where not', async () => {
    const perInput = (x: Float64Array) => cubic(x, 3);
    const seen: Float64Array[] = [];
    const f = equivariant('SE(3)', (x: Float64Array) => {
      seen.push(x);
      return perInput(x);
    }, { output: 'points' });
    const sums = invariant('SE(3)', (x: Float64Array) => x.reduce((a, v) => a + v * v * v, 0));
    const a = batchOf(40_000, 16);
    // the same rows cut differently: as many inputs and values, the row counts reversed
    const last = a.offsets.length - 1;
    const moved = { ...a, offsets: a.offsets.map((o, i) => a.offsets[last] - a.offsets[last - i]) };
    const other = { ...a, data: batchOf(40_000, 17).data.subarray(0, a.data.length) };
    const firsts: Float64Array[] = [];
    for (const [name, b] of [['a', a], ['a again', a], ['offsets moved', moved], ['other values', other], ['a once more', a]] as const) {
      seen.length = 0;
      const want = await equivariant('SE(3)', perInput, { output: 'points', engine }).batch(b, { errors: 'status' });
      expectSameBits(await f.batch(b, { errors: 'status' }), want, name);
      firsts.push(seen[1]);
      const inv = await sums.batch(b, { errors: 'status' });
      const invWant = await invariant('SE(3)', (x: Float64Array) => x.reduce((s, v) => s + v * v * v, 0), { engine }).batch(b, { errors: 'status' });
      expect(inv.outputs, name).toEqual(invWant.outputs);
    }
    // a again: the same views; moved: new ones; other values at a's offsets: new again, then kept
    expect(firsts[1]).toBe(firsts[0]);
    expect(firsts[2]).not.toBe(firsts[1]);
    expect(firsts[3]).not.toBe(firsts[2]);
    expect(firsts[4]).toBe(firsts[3]);
  });

  it('random batches across the threshold, groups, scales and bad inputs: the engine\'s bits (fast-check)', async () => {
    const specs = ['O(3)', 'SO(3)', 'E(3)', 'SE(3)', 'O(1,3)', 'U(2)', 'SU(3)', 'GL(3)', 'SL(2)', 'Aff(3)'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...specs), fc.integer({ min: 400, max: 3000 }), fc.integer({ min: 1, max: 24 }), fc.constantFrom(1, 1e-200, 1e200),
        fc.array(fc.nat(), { maxLength: 4 }), fc.boolean(), fc.integer(),
        async (spec, count, maxN, scale, bad, stacked, seed) => {
          const G = group(spec);
          const d = G.d;
          const w = d * G.width;
          let s = seed >>> 0;
          const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
          const offsets = new Int32Array(count + 1);
          for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i] + 1 + Math.floor(rnd() * maxN);
          const data = Float64Array.from({ length: offsets[count] * w }, () => (rnd() * 2 - 1) * scale);
          for (const i of bad) data[offsets[i % count] * w] = NaN;
          const batch = { data, dim: d, offsets };
          const model = stacked ? (b: Stacked) => cubic(b.data, w) : (x: Float64Array) => cubic(x, w);
          const opts = { batchModel: stacked, output: 'vectors' as const };
          const got = await equivariant(spec, model as never, opts as never).batch(batch, { errors: 'status' });
          const want = await equivariant(spec, model as never, { ...opts, engine } as never).batch(batch, { errors: 'status' });
          expectSameBits(got, want, `${spec}, ${count} inputs of 1..${maxN} rows (${data.length} values), scale ${scale}`);
        },
      ),
      RUNS,
    );
  }, 120_000);
});
