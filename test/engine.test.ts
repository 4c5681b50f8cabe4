import { afterAll, describe, expect, it } from 'vitest';
import { canonicalizeBatch, createEngine, equivariant, WorkerFailedError, type BatchResult, type Engine } from '../src/index.js';
import type { Worker } from 'node:worker_threads';
import { denseBatch as dense3, raggedBatch } from './batches.js';
import { runChunk } from '../src/engine/run.js';
import { planChunks } from '../src/engine/index.js';
import { pointJob, pointResult } from '../src/kinds/points.js';
import { LOCAL } from '../src/kinds/kind.js';
import { checkEagerly } from './helpers/eager.js';
import { ready } from '../src/wasm/module.js';
import { group } from '../src/groups.js';

/** Equal-sized SO(3) inputs with n = 64 rows (the engine's main use). */
const denseBatch = (count: number, seed: number) => dense3(count, 64, seed);

const FIELDS = ['canonical', 'matrices', 'shifts', 'ranks', 'sizes', 'offsets'] as const;

const bytes = (a: ArrayBufferView) => Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

/** Bit-for-bit equality of every array of two results (NaN payloads included). */
function expectIdentical(got: BatchResult, want: BatchResult): void {
  expect(got.count).toBe(want.count);
  expect(got.group).toBe(want.group);
  for (const key of FIELDS) expect(bytes(got[key]).equals(bytes(want[key])), key).toBe(true);
}

/** Inputs first..end-1 of two results of the same batch agree bit for bit. */
function expectSameInputs(got: BatchResult, want: BatchResult, first: number, end: number): void {
  const d = 3;
  const rows = (r: BatchResult) => [r.offsets[first] * d, r.offsets[end] * d];
  const parts = (r: BatchResult) => [r.canonical.subarray(...rows(r)), r.matrices.subarray(first * d * d, end * d * d), r.shifts.subarray(first * d, end * d), r.ranks.subarray(first, end), r.sizes.subarray(first, end)];
  const [g, w] = [parts(got), parts(want)];
  g.forEach((a, k) => expect(bytes(a).equals(bytes(w[k])), `array ${k} of inputs ${first}..${end - 1}`).toBe(true));
}

const engines: Engine[] = [];
async function engine(threads: number, chunkSize?: number): Promise<Engine> {
  const e = await createEngine({ threads, chunkSize });
  engines.push(e);
  return e;
}
afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
});

/** The piscina threads of a Node engine (tests reach into the pool to kill one). */
const workersOf = (e: Engine) => (e as unknown as { pool: { piscina: { threads: Worker[] } } }).pool.piscina.threads;

describe('engine: results', () => {
  const batch = raggedBatch(400, 40, 1);
  const want = canonicalizeBatch('E(3)', batch);

  for (const threads of [0, 1, 2]) {
    for (const chunkSize of [undefined, 1, 7, 1000]) {
      it(`threads ${threads}, chunkSize ${chunkSize ?? 'auto'}: bit-identical to canonicalizeBatch`, async () => {
        const e = await engine(threads, chunkSize);
        expect(e.threads).toBe(threads);
        expectIdentical(await e.canonicalize('E(3)', batch), want);
      });
    }
  }

  it('Float32Array input gives the frames of its values as f64, bit for bit', async () => {
    const f32 = { ...batch, data: Float32Array.from(batch.data) };
    const ref = canonicalizeBatch('SO(3)', { ...batch, data: Float64Array.from(f32.data) });
    for (const threads of [0, 2]) expectIdentical(await (await engine(threads, 13)).canonicalize('SO(3)', f32), ref);
  });

  it('rows already in a SharedArrayBuffer are read in place, f64 or f32', async () => {
    const e = await engine(2, 50);
    const len = batch.data.length;
    for (const data of [new Float64Array(new SharedArrayBuffer(len * 8)), new Float32Array(new SharedArrayBuffer(len * 4))]) {
      data.set(batch.data);
      expectIdentical(await e.canonicalize('E(3)', { ...batch, data }), canonicalizeBatch('E(3)', { ...batch, data: Float64Array.from(data) }));
    }
  });

  it('a batch of { data, dim, count } and an empty batch', async () => {
    const e = await engine(2);
    const dense = denseBatch(300, 2);
    expectIdentical(await e.canonicalize('SO(3)', dense), canonicalizeBatch('SO(3)', dense));
    const seen: [number, number][] = [];
    const empty = await e.canonicalize('O(3)', { data: new Float64Array(0), dim: 3, count: 0 }, { onProgress: (d, t) => seen.push([d, t]) });
    expect(empty.count).toBe(0);
    expect(seen).toEqual([[0, 0]]);
  });

  it('concurrent and consecutive calls on one engine each get their own results', async () => {
    const e = await engine(2, 25);
    const batches = [denseBatch(300, 7), raggedBatch(500, 30, 8), denseBatch(200, 9)];
    const wants = batches.map((b) => canonicalizeBatch('SO(3)', b));
    for (let round = 0; round < 2; round++) {
      const got = await Promise.all(batches.map((b) => e.canonicalize('SO(3)', b)));
      got.forEach((r, i) => expectIdentical(r, wants[i]));
    }
  });

  it('into: a later call overwrites an earlier result of the same shape, with the same bits', async () => {
    const first = denseBatch(300, 11);
    const second = denseBatch(300, 12);
    const want = canonicalizeBatch('SO(3)', second);
    for (const threads of [0, 2]) {
      const e = await engine(threads, 16);
      const earlier = await e.canonicalize('SO(3)', first);
      const again = await e.canonicalize('SO(3)', second, { into: earlier });
      expectIdentical(again, want);
      for (const key of ['canonical', 'matrices', 'shifts', 'ranks', 'sizes'] as const) expect(again[key], key).toBe(earlier[key]);
    }
    // inline too; arrays of another length are not reused
    const earlier = canonicalizeBatch('SO(3)', first);
    const again = canonicalizeBatch('SO(3)', second, { into: earlier });
    expectIdentical(again, want);
    expect(again.canonical).toBe(earlier.canonical);
    const other = canonicalizeBatch('SO(3)', denseBatch(10, 13), { into: earlier });
    expect(other.canonical).not.toBe(earlier.canonical);
    expect(other.canonical.length).toBe(10 * 64 * 3);
  });

  it('the default chunking gives every thread several chunks', async () => {
    const e = await engine(2);
    const calls: number[] = [];
    await e.canonicalize('SO(3)', denseBatch(2000, 3), { onProgress: (d) => calls.push(d) });
    expect(calls.length).toBeGreaterThanOrEqual(8);
    expect(calls.at(-1)).toBe(2000);
  });
});

describe('engine: averaging wrappers', () => {
  it('equivariant(…, { engine }) computes frames on the workers, bit-identical to inline', async () => {
    const batch = raggedBatch(200, 20, 6);
    const model = (x: Float64Array) => x.map((v, j) => Math.sin(v) * (1 + (j % 3)));
    const inline = await equivariant('SE(3)', model, { output: 'points' }).batch(batch);
    const pooled = await equivariant('SE(3)', model, { output: 'points', engine: await engine(2, 16) }).batch(batch);
    expect(bytes(pooled.data).equals(bytes(inline.data))).toBe(true);
  });
});

describe('engine: bad inputs', () => {
  const batch = raggedBatch(60, 10, 4);
  const bad = { ...batch, data: batch.data.slice() };
  bad.data[batch.offsets[31] * 3 + 1] = NaN;

  it("errors: 'status' reports the NaN input and loses nothing of the others", async () => {
    const good = canonicalizeBatch('SE(3)', batch);
    for (const threads of [0, 2]) {
      const r = await (await engine(threads, 4)).canonicalize('SE(3)', bad, { errors: 'status' });
      expect(r.errors.filter(Boolean)).toHaveLength(1);
      expect(r.errors[31]).toBeInstanceOf(RangeError);
      expect(r.errors[31]?.message).toMatch(/^input 31: row 0 holds NaN at column 1/);
      expect(r.ranks[31]).toBe(-1);
      expect(Number.isNaN(r.sizes[31])).toBe(true);
      // The other inputs are exactly what they are without the bad one.
      expectSameInputs(r, good, 0, 31);
      expectSameInputs(r, good, 32, 60);
      expectIdentical(r, canonicalizeBatch('SE(3)', bad, { errors: 'status' }));
    }
  });

  it("errors: 'throw' rejects with the input's own error, carrying every error and the result", async () => {
    const e = await engine(2, 4);
    const err = (await e.canonicalize('SE(3)', bad).then(
      () => null,
      (x: unknown) => x,
    )) as RangeError & { errors: Error[]; result: BatchResult };
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toMatch(/^input 31: /);
    expect(err.errors).toHaveLength(1);
    expect(err.result.count).toBe(60);
    expect(Number.isFinite(err.result.sizes[30])).toBe(true);
  });

  it('bad batches and options reject before any work', async () => {
    const e = await engine(1);
    await expect(e.canonicalize('SO(3)', { data: new Float64Array(5), dim: 3, count: 1 })).rejects.toThrow(RangeError);
    await expect(e.canonicalize('SO(3)', batch, { tol: -1 })).rejects.toThrow(/tol must be a number in \[0, 1\)/);
    await expect(e.canonicalize('SO(3)', batch, { onProgress: 3 as never })).rejects.toThrow(/onProgress must be a function/);
    await expect(e.canonicalize('SO(3)', batch, { signal: {} as never })).rejects.toThrow(/signal must be an AbortSignal/);
    await expect(createEngine({ threads: -1 })).rejects.toThrow(/threads must be a whole number >= 0, got -1/);
    await expect(createEngine({ threads: 1.5 })).rejects.toThrow(RangeError);
    await expect(createEngine({ chunkSize: 0 })).rejects.toThrow(/chunkSize must be a whole number >= 1/);
  });
});

describe('engine: progress, faults, abort, close', () => {
  const dense = denseBatch(2000, 5);
  const want = canonicalizeBatch('SO(3)', dense);

  it('progress rises to the total', async () => {
    for (const threads of [0, 2]) {
      const seen: number[] = [];
      await (await engine(threads, 100)).canonicalize('SO(3)', dense, { onProgress: (done, total) => (expect(total).toBe(2000), seen.push(done)) });
      expect(seen).toHaveLength(20);
      expect(seen.every((d, i) => i === 0 || d > seen[i - 1])).toBe(true);
      expect(seen.at(-1)).toBe(2000);
    }
  });

  it('a killed worker fails its call with WorkerFailedError naming the inputs; the engine stays usable', async () => {
    const e = await engine(2, 10);
    let killed = false;
    const err = await e
      .canonicalize('SO(3)', dense, {
        onProgress: () => {
          // Both workers hold a chunk whenever chunks remain (the engine starts the
          // next one before reporting progress), so this kill hits a running task.
          if (!killed) void workersOf(e)[0].terminate();
          killed = true;
        },
      })
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(WorkerFailedError);
    const w = err as WorkerFailedError;
    expect(w.last - w.first).toBe(9);
    expect(w.first % 10).toBe(0);
    expect(w.message).toBe(`minframe: the worker computing inputs ${w.first}..${w.last} failed: ${(w.cause as Error).message}`);
    expectIdentical(await e.canonicalize('SO(3)', dense), want);
    expect(workersOf(e)).toHaveLength(2);
  });

  it('an aborted call rejects with an AbortError; the engine stays usable', async () => {
    for (const threads of [0, 2]) {
      const e = await engine(threads, 10);
      const ctl = new AbortController();
      const seen: number[] = [];
      const err = (await e.canonicalize('SO(3)', dense, { signal: ctl.signal, onProgress: (d) => (seen.push(d), ctl.abort()) }).then(
        () => null,
        (x: unknown) => x,
      )) as Error;
      expect(err.name).toBe('AbortError');
      expect(seen).toHaveLength(1);
      await expect(e.canonicalize('SO(3)', dense, { signal: AbortSignal.abort(new Error('not now')) })).rejects.toThrow('not now');
      expectIdentical(await e.canonicalize('SO(3)', dense), want);
    }
  });

  it('a task whose kernel traps rejects naming the kernel; the next task runs on a fresh instance', async () => {
    const G = group('SO(3)');
    const small = denseBatch(4, 11);
    const job = pointJob(G, checkEagerly(G, small), 1e-9, LOCAL);
    const task = job.task(0, 4);
    await runChunk(task); // the next task runs on this thread's instance
    // Tasks size every WASM access from checked offsets, so the trap is staged: the
    // instance's ortho_frames traps as on an access outside its memory.
    const k = await ready();
    const real = k.exports;
    k.exports = { ...real, ortho_frames: () => { throw new WebAssembly.RuntimeError('memory access out of bounds'); } };
    try {
      await expect(runChunk(task)).rejects.toThrow(/^minframe: WASM kernel ortho_frames trapped: memory access out of bounds/);
    } finally {
      k.exports = real;
    }
    const got = pointResult(job.finish());
    got.canonical.fill(0);
    await runChunk(task);
    const want = canonicalizeBatch('SO(3)', small);
    expectIdentical(got, want);
  });

  it('close() is idempotent, cuts running calls short, and later calls reject', async () => {
    const e = await createEngine({ threads: 2, chunkSize: 10 });
    const running = e.canonicalize('SO(3)', dense).then(
      () => null,
      (x: unknown) => x,
    );
    await Promise.all([e.close(), e.close()]);
    expect(await running).toMatchObject({ message: expect.stringMatching(/the engine is closed/) });
    await expect(e.canonicalize('SO(3)', dense)).rejects.toThrow('minframe: the engine is closed; create a new one with createEngine()');
    await e.close();
  });
});

describe('planChunks', () => {
  // 20,000 inputs of 96 values of work each (with the fixed cost per input of rowWork)
  const work = (i: number) => i * 104;
  const sizes = (b: number[]) => b.slice(1).map((e, j) => e - b[j]);
  it('covers every input once, in order, for every thread count and chunks per thread', () => {
    for (const threads of [0, 1, 2, 8]) {
      for (const perThread of [4, 16]) {
        for (const count of [0, 1, 7, 20_000]) {
          const b = planChunks(count, work, threads, undefined, perThread);
          expect(b[0]).toBe(0);
          expect(b[b.length - 1]).toBe(count);
          expect(sizes(b).every((s) => s > 0)).toBe(true);
        }
      }
    }
  });
  it('equal chunks: 4 per thread by default, as many as a job asks for (a module model: 16)', () => {
    const even = sizes(planChunks(20_000, work, 2));
    expect(even).toHaveLength(8);
    const fine = sizes(planChunks(20_000, work, 2, undefined, 16));
    expect(fine).toHaveLength(32);
    expect(Math.max(...fine) - Math.min(...fine)).toBeLessThanOrEqual(1);
  });
});
