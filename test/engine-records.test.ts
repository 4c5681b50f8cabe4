/**
 * Graph and S(n) (x G) batches: canonicalizeBatch and the engine at 0, 1 and 2
 * threads and several chunk sizes give the same bits; bad inputs get their own
 * errors and lose nothing of the others; equivariant / invariant batches on the
 * engine equal the inline ones.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeBatch, createEngine, equivariant, group, invariant, type Engine } from '../src/index.js';
import { graphBatch, raggedBatch } from './batches.js';

const engines: Engine[] = [];
for (const [threads, chunkSize] of [[0, undefined], [1, 3], [2, 1], [2, 7], [2, undefined]] as const) engines.push(await createEngine({ threads, chunkSize }));
afterAll(() => Promise.all(engines.map((e) => e.close())));

const bytes = (a: ArrayBufferView) => Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
const messages = (errors: (Error | null)[]) => errors.map((e) => e?.message ?? null);

/** Every typed array of two results holds the same bytes; the rest is equal. */
function expectSame(got: object, want: object): void {
  for (const [key, value] of Object.entries(want)) {
    const other = (got as Record<string, unknown>)[key];
    if (ArrayBuffer.isView(value)) expect(bytes(other as ArrayBufferView).equals(bytes(value)), key).toBe(true);
    else if (key === 'errors') expect(messages(other as (Error | null)[])).toEqual(messages(value as (Error | null)[]));
    else expect(other, key).toEqual(value);
  }
}

describe('graph batches', () => {
  const cases = [
    ['graph', {}],
    ['graph', { colored: true }],
    ['weighted-graph', { weighted: true }],
    ['weighted-graph', { weighted: true, colored: true }],
  ] as const;
  it.each(cases)('%s %o: inline and engine results are bit-identical and match canonicalize', async (spec, options) => {
    const batch = graphBatch(40, 9, 11, options);
    const want = canonicalizeBatch(spec, batch);
    expect(want.errors.every((e) => e === null)).toBe(true);
    for (const engine of engines) expectSame(await engine.canonicalize(group(spec), batch), want);
    // each input as canonicalize computes it alone
    for (const i of [0, 1, 6, 39]) {
      const v0 = batch.offsets[i];
      const n = batch.offsets[i + 1] - v0;
      const f = canonicalize(spec, batch.data.subarray(want.entries[i], want.entries[i + 1]), { n, colors: batch.colors?.subarray(v0, v0 + n) });
      expect(want.canonical.subarray(want.entries[i], want.entries[i + 1])).toEqual(f.canonical);
      expect(want.permutations.subarray(v0, v0 + n)).toEqual(f.permutation);
      expect(want.orbits.subarray(v0, v0 + n)).toEqual(f.orbits);
      expect(want.sizes[i]).toBe(f.size);
      expect(want.sizesExact[i]).toBe(f.sizeExact);
      const gens = want.generators.subarray(want.generatorOffsets[i], want.generatorOffsets[i + 1]);
      expect(gens.length).toBe(f.generators.length * n);
      f.generators.forEach((g, j) => expect(gens.subarray(j * n, j * n + n)).toEqual(g));
    }
    // a cycle C_n has |Aut| = 2n (n >= 3)
    const n0 = batch.offsets[1];
    if (!('colors' in batch) && n0 >= 3) expect(want.sizes[0]).toBe(2 * n0);
  });

  it('bad inputs (asymmetric, n = 0, NaN, a bad colour) get their own errors; the rest is kept', async () => {
    const batch = graphBatch(12, 6, 5, { weighted: true, colored: true });
    const offsets = Int32Array.from(batch.offsets);
    // input 4 loses its vertices (its block goes too)
    const entries = (i: number) => [0, ...Array.from({ length: 12 }, (_, j) => (offsets[j + 1] - offsets[j]) ** 2)].slice(0, i + 1).reduce((a, b) => a + b, 0);
    const n4 = offsets[5] - offsets[4];
    const data = Float64Array.from([...batch.data.subarray(0, entries(4)), ...batch.data.subarray(entries(5))]);
    const colors = Int32Array.from([...batch.colors!.subarray(0, offsets[4]), ...batch.colors!.subarray(offsets[5])]);
    for (let i = 5; i <= 12; i++) offsets[i] -= n4;
    const at = (i: number) => data.length - [...Array(12 - i)].reduce((s: number, _, j) => s + (offsets[12 - j] - offsets[11 - j]) ** 2, 0);
    const n2 = offsets[3] - offsets[2];
    const n7 = offsets[8] - offsets[7];
    expect(n2 > 1 && n7 > 0).toBe(true);
    data[at(2) + 1] = 7; // A[0][1] = 7, A[1][0] unchanged: asymmetric
    data[at(7)] = NaN;
    const good = canonicalizeBatch('weighted-graph', { data: data.slice(), offsets: offsets.slice(), colors }, { errors: 'status' });
    expect(messages(good.errors).filter((m) => m !== null)).toEqual([
      expect.stringMatching(/^input 2: graph adjacency must be symmetric \(A\[0\]\[1\] = 7, /),
      'input 4: a graph needs at least one vertex, got n = 0',
      expect.stringMatching(/^input 7: adjacency must be finite, A\[0\]\[0\] = NaN/),
    ]);
    expect(good.errors.findIndex((e) => e !== null)).toBe(2);
    expect(Number.isNaN(good.sizes[2]) && Number.isNaN(good.sizes[7]) && good.sizesExact[7] === null).toBe(true);
    expect(good.permutations[offsets[7]]).toBe(-1);
    for (const engine of engines) expectSame(await engine.canonicalize('weighted-graph', { data, offsets, colors }, { errors: 'status' }), good);
    // the good inputs equal a batch without the bad ones, input by input
    const alone = canonicalizeBatch('weighted-graph', { data: data.subarray(at(3), at(4)), offsets: Int32Array.of(0, offsets[4] - offsets[3]), colors: colors.subarray(offsets[3], offsets[4]) });
    expect(good.canonical.subarray(at(3), at(4))).toEqual(alone.canonical);
    // throw mode: the first bad input's error, carrying every error and the result
    await expect(engines[3].canonicalize('weighted-graph', { data, offsets, colors })).rejects.toMatchObject({ message: expect.stringMatching(/^input 2: /), errors: { length: 3 } });
    expect(() => canonicalizeBatch('graph', { data: Float64Array.of(0, 0.5, 0.5, 0), offsets: [0, 2] })).toThrow(/^input 0: /);
    expect(() => canonicalizeBatch('graph', { data: new Float64Array(5), offsets: [0, 2] })).toThrow(/batch.data must hold the n_i×n_i blocks of the 1 graphs, 4 values, got 5/);
    expect(() => canonicalizeBatch('graph', { data: new Float64Array(4), offsets: [0, 2], colors: [0, 0.5] })).toThrow(/^input 0: colors\[1\] must be a 32-bit integer colour id, got 0.5/);
  });
});

describe('S(n) and S(n) x G batches', () => {
  it.each(['S(n)', 'S(n) x O(3)', 'S(n) x SE(3)', 'S(n) x SO(3)', 'S(n) x SO(1,2)'] as const)('%s: inline and engine results are bit-identical, per-input errors kept', async (spec) => {
    const ragged = raggedBatch(30, 7, 3);
    ragged.data[ragged.offsets[4] * 3 + 1] = NaN;
    // a symmetric last input: a square in the plane z = 0
    const rows = ragged.offsets[30];
    const batch = { dim: 3, data: Float64Array.of(...ragged.data, 1, 0, 0, 0, 1, 0, -1, 0, 0, 0, -1, 0), offsets: Int32Array.of(...ragged.offsets, rows + 4) };
    const want = canonicalizeBatch(spec, batch, { errors: 'status' });
    expect(messages(want.errors)[4]).toMatch(/^input 4: row 0 holds NaN at column 1/);
    // (the Lorentz group also rejects inputs it has no frame for)
    if (!spec.includes('1,')) expect(want.errors.filter((e) => e !== null).length).toBe(1);
    for (const engine of engines) expectSame(await engine.canonicalize(spec, batch, { errors: 'status' }), want);
    for (const i of [0, 7, 30]) {
      if (want.errors[i]) continue;
      const [r0, r1] = [batch.offsets[i], batch.offsets[i + 1]];
      const f = canonicalize(spec, batch.data.subarray(r0 * 3, r1 * 3), { n: r1 - r0, d: 3 });
      expect(want.sizes[i]).toBe(f.size);
      expect(want.sizesExact[i]).toBe(f.sizeExact);
      expect(want.canonical.subarray(r0 * 3, r1 * 3)).toEqual(f.canonical);
      expect(want.permutations.subarray(r0, r1)).toEqual(f.permutation);
      expect(want.matrices.subarray(i * 9, i * 9 + 9)).toEqual(f.matrix);
      expect(want.shifts.subarray(i * 3, i * 3 + 3)).toEqual(f.shift);
    }
    if (spec === 'S(n) x O(3)') expect(want.sizes[30]).toBe(8);
  });
});

describe('equivariant / invariant batches under S(n) x G on the engine', () => {
  it.each(['S(n)', 'S(n) x O(3)', 'S(n) x SE(3)', 'S(n) x SO(3)'] as const)('%s: the same bits as inline, the model once per input on the calling thread', async (spec) => {
    const ragged = raggedBatch(25, 6, 8);
    ragged.data[ragged.offsets[3] * 3] = Infinity;
    // a cube's corners, symmetric under 48 elements of S(n) x O(3)
    const cube = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [k & 1 ? 1 : -1, k & 2 ? 1 : -1, k & 4 ? 1 : -1]);
    const rows = ragged.offsets[25];
    const batch = { dim: 3, data: Float64Array.of(...ragged.data, ...cube), offsets: Int32Array.of(...ragged.offsets, rows + 8) };
    let calls = 0;
    const model = (c: Float64Array) => {
      calls++;
      return c.map((v, i) => Math.sin(3 * v + i) + (i % 3) * v * v);
    };
    const output = spec === 'S(n) x SE(3)' ? 'points' : 'vectors';
    const want = await equivariant(spec, model, { output }).batch(batch, { errors: 'status' });
    expect(calls).toBe(25);
    expect(messages(want.errors)[3]).toMatch(/^input 3: row 0 holds Infinity at column 0/);
    const invWant = await invariant(spec, (c: Float64Array) => c.reduce((s, v) => s + v * v, 0)).batch(batch, { errors: 'status' });
    for (const engine of engines) {
      calls = 0;
      const got = await equivariant(spec, model, { output, engine }).batch(batch, { errors: 'status' });
      expect(calls).toBe(25);
      expectSame(got, want);
      expect(await invariant(spec, (c: Float64Array) => c.reduce((s, v) => s + v * v, 0), { engine }).batch(batch, { errors: 'status' })).toEqual(invWant);
    }
    await expect(equivariant(spec, model, { engine: engines[3] }).batch(batch)).rejects.toThrow(/^input 3: /);
  });
});

describe('record batches share the engine scheduling', () => {
  it('progress reports whole chunks, an abort rejects, and the engine stays usable', async () => {
    const engine = engines[3]; // 2 threads, chunks of 7
    const batch = graphBatch(50, 8, 21);
    const seen: number[] = [];
    await engine.canonicalize('graph', batch, { onProgress: (done, total) => seen.push(done, total) });
    expect(seen.slice(-2)).toEqual([50, 50]);
    // chunks of 7 and a last one of 1 finish in any order: each report adds one whole chunk
    const done = seen.filter((_, j) => j % 2 === 0);
    expect(done.every((v, j) => [7, 1].includes(v - (j === 0 ? 0 : done[j - 1])))).toBe(true);
    const ctl = new AbortController();
    const call = engine.canonicalize('S(n) x O(3)', raggedBatch(200, 6, 2), { signal: ctl.signal, onProgress: () => ctl.abort() });
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expectSame(await engine.canonicalize('graph', batch), canonicalizeBatch('graph', batch));
  });
});
