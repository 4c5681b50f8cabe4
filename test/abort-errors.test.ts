/**
 * Aborts and error classes. A model that never settles does not hold a call once
 * its signal aborts: the call rejects with an AbortError while the model's promise
 * is still pending — inline, on an engine with a function model, with a batch
 * model, and with a module model on a worker (whose worker is replaced: the engine
 * stays usable and gives the same bits). No timing assertions: a call either
 * rejects within a generous race, or the test fails. Then every error path that
 * can be staged in Node gives an instance of its exported class.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import {
  AbortError, canonicalize, canonicalizeBatch, createEngine, EngineClosedError, equivariant, InputRangeError, InputTypeError, InternalError, invariant,
  KernelError, MemoryLimitError, ModelError, OptionRangeError, OptionTypeError, WorkerFailedError, type Engine,
} from '../src/index.js';
import { runChunk } from '../src/engine/run.js';
import { runTask } from '../src/kinds/index.js';
import { LOCAL } from '../src/kinds/kind.js';
import type { AverageTask } from '../src/kinds/averaging.js';
import { loadKernels, ready } from '../src/wasm/module.js';
import { denseBatch, raggedBatch } from './batches.js';
import { bytes, expectSameBits, fixtureModel, graphBatchOf, petersen } from './helpers/pipeline.js';

const batch = raggedBatch(12, 6, 3);
const never = () => new Promise<never>(() => {});

/** How a promise settles within `ms` (generous: not a timing assertion, a guard against a call that hangs). */
async function settle(p: Promise<unknown>, ms = 5000): Promise<{ rejected: unknown } | { resolved: unknown } | 'pending'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  try {
    return await Promise.race([p.then((resolved) => ({ resolved }), (rejected: unknown) => ({ rejected })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The call rejects with an AbortError (the class, and the platform's name) whose cause is the signal's reason. */
async function expectAborted(call: Promise<unknown>, reason: unknown): Promise<void> {
  const s = await settle(call);
  expect(s).not.toBe('pending');
  expect(s).toHaveProperty('rejected');
  const e = (s as { rejected: unknown }).rejected as Error;
  expect(e).toBeInstanceOf(AbortError);
  expect(e.name).toBe('AbortError');
  expect(e.cause).toBe(reason);
}

/** A model that never settles and aborts the call once it has been called (its promise is pending by then). */
function abortingModel(ctl: AbortController, reason: Error) {
  let called = 0;
  const model = () => {
    called++;
    setTimeout(() => ctl.abort(reason), 0);
    return never();
  };
  return { model, called: () => called };
}

/** Resolves when a model of test/fixtures/models/hang.mjs has been called on any thread. */
function hangCalled(): { called: Promise<void>; close(): void } {
  const channel = new BroadcastChannel('minframe-hang');
  const called = new Promise<void>((resolve) => (channel.onmessage = () => resolve()));
  return { called, close: () => channel.close() };
}

/** The piscina threads of a Node engine (tests reach into the pool to find or kill one). */
const workersOf = (e: Engine) => (e as unknown as { pool: { piscina: { threads: Worker[] } } }).pool.piscina.threads;

const engines: Engine[] = [];
async function engine(threads: number, chunkSize?: number): Promise<Engine> {
  const e = await createEngine({ threads, chunkSize });
  engines.push(e);
  return e;
}
afterAll(() => Promise.all(engines.map((e) => e.close())));

describe('abort: a model that never settles does not hold the call', () => {
  let pooled: Engine;
  let inlineEngine: Engine;
  beforeAll(async () => {
    pooled = await engine(2, 4);
    inlineEngine = await engine(0, 4);
  });

  it('inline, and on engines of 0 and 2 threads with a function model: equivariant and invariant', async () => {
    for (const e of [undefined, inlineEngine, pooled]) {
      for (const make of [(m: () => Promise<never>) => equivariant('SO(3)', m, { engine: e }), (m: () => Promise<never>) => invariant('SO(3)', m, { engine: e })]) {
        const ctl = new AbortController();
        const reason = new Error('stop');
        const { model, called } = abortingModel(ctl, reason);
        await expectAborted(make(model).batch(batch, { signal: ctl.signal }), reason);
        expect(called()).toBe(1); // the call stopped at the pending input
      }
    }
  });

  it('a batch model (a function), inline and on an engine', async () => {
    for (const e of [undefined, pooled]) {
      const ctl = new AbortController();
      const reason = new Error('enough');
      const { model, called } = abortingModel(ctl, reason);
      await expectAborted(equivariant('SO(3)', model, { engine: e, batchModel: true }).batch(batch, { signal: ctl.signal }), reason);
      expect(called()).toBe(1);
    }
  });

  it('a module model on the calling thread (forever.mjs)', async () => {
    const ctl = new AbortController();
    const call = equivariant('SO(3)', fixtureModel('forever')).batch(batch, { signal: ctl.signal });
    setTimeout(() => ctl.abort('later'), 20);
    await expectAborted(call, 'later');
  });

  it('an already aborted signal rejects before the model runs', async () => {
    let called = 0;
    const model = (x: Float64Array) => (called++, x);
    for (const e of [undefined, pooled]) {
      const reason = new Error('too late');
      await expectAborted(equivariant('SO(3)', model, { engine: e }).batch(batch, { signal: AbortSignal.abort(reason) }), reason);
    }
    expect(called).toBe(0);
  });

  it('a module model on a worker: the call rejects, the worker is replaced, and the engine gives the same bits after', async () => {
    const e = await engine(2, 6);
    const sine = fixtureModel('sine');
    const want = await equivariant('SO(3)', sine).batch(batch);
    expectSameBits(await equivariant('SO(3)', sine, { engine: e }).batch(batch), want, 'before');
    const forms = [
      equivariant('SO(3)', fixtureModel('hang'), { engine: e }),
      equivariant('SO(3)', fixtureModel('hang'), { engine: e, batchModel: true }),
      invariant('SO(3)', fixtureModel('hang'), { engine: e }),
    ];
    for (const f of forms) {
      const before = new Set(workersOf(e).map((w) => w.threadId));
      const hang = hangCalled();
      const ctl = new AbortController();
      const call = f.batch(batch, { signal: ctl.signal });
      await hang.called; // the model's promise is pending on a worker
      hang.close();
      const reason = new Error('cancelled');
      ctl.abort(reason);
      await expectAborted(call, reason);
      expectSameBits(await equivariant('SO(3)', sine, { engine: e }).batch(batch), want, 'after');
      const after = workersOf(e).map((w) => w.threadId);
      expect(after).toHaveLength(2);
      expect(after.some((id) => !before.has(id))).toBe(true);
    }
  });
});

/** What a call throws or rejects with. */
async function failure(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('every error is an instance of its exported class', () => {
  const x = Float64Array.of(1, 2, 3, 4, 5, 6);

  it('input errors are InputTypeError / InputRangeError (TypeError / RangeError) with .input', async () => {
    const cases: [unknown, typeof InputTypeError | typeof InputRangeError, number][] = [
      [await failure(() => canonicalize('SO(3)', [1, 2, 3] as never, { n: 1, d: 3 })), InputTypeError, 0],
      [await failure(() => canonicalize('SO(3)', x, { n: 3, d: 3 })), InputRangeError, 0],
      [await failure(() => canonicalize('SO(3)', Float64Array.of(1, NaN, 3), { n: 1, d: 3 })), InputRangeError, 0],
      [await failure(() => canonicalize('GL(3)', x, { n: 2, d: 3 })), InputRangeError, 0],
      [await failure(() => canonicalize('graph', Float64Array.of(0, 1, 0, 0), { n: 2 })), InputRangeError, 0],
      [await failure(() => canonicalize('S(n) x O(3)', Float64Array.of(1, 2, 3, 4, Infinity, 6), { n: 2, d: 3 })), InputRangeError, 0],
      [await failure(() => canonicalizeBatch('SO(3)', { data: Float64Array.of(1, 2, 3, NaN, 0, 0), dim: 3, count: 2 })), InputRangeError, 1],
      [await failure(() => canonicalizeBatch('graph', { data: [0, 0, 1, 0, 0], offsets: [0, 1, 3] })), InputRangeError, 1],
      [await failure(() => equivariant('SO(3)', () => new Float64Array(2))(x, { n: 2, d: 3 })), InputTypeError, 0],
    ];
    for (const [e, cls, input] of cases) {
      expect(e).toBeInstanceOf(cls);
      expect(e).toBeInstanceOf(cls === InputTypeError ? TypeError : RangeError);
      expect((e as InputTypeError).input).toBe(input);
      expect((e as Error).message).toMatch(new RegExp(`^input ${input}: `));
    }
  });

  it('bad shapes and options are OptionTypeError / OptionRangeError', async () => {
    const e0 = await engine(0);
    const m = (y: Float64Array) => y;
    const types = [
      () => canonicalize('SO(3)', x, { n: 2, d: 3 }, null as never),
      () => canonicalizeBatch('SO(3)', null as never),
      () => canonicalizeBatch('SO(3)', { data: [1, 2, 3] as never, dim: 3, count: 1 }),
      () => canonicalizeBatch('graph', { data: [0], offsets: 'x' as never }),
      () => equivariant('SO(3)', m, null as never),
      () => equivariant('SO(3)', m, { engine: {} as never }),
      () => equivariant('SO(3)', 42 as never),
      () => invariant('SO(3)', m, { engine: { canonicalize() {} } as never }),
      () => equivariant('SO(3)', m).batch(batch, null as never),
      () => equivariant('SO(3)', m).batch(batch, { signal: {} as never }),
      () => createEngine(null as never),
      () => e0.canonicalize('SO(3)', batch, null as never),
      () => equivariant('SO(3)', fixtureModel('missing')).batch(batch),
      () => equivariant('SO(3)', fixtureModel('missing'))(x, { n: 2, d: 3 }),
    ];
    for (const fn of types) expect(await failure(fn), String(fn)).toBeInstanceOf(OptionTypeError);
    const ranges = [
      () => canonicalize('Q(3)', x, { n: 2, d: 3 }),
      () => canonicalize('SO(3)', x, { n: 2, d: 3 }, { tol: 2 }),
      () => canonicalizeBatch('SO(3)', { data: x, dim: 2, count: 1 }),
      () => canonicalizeBatch('graph', { data: [0, 0], offsets: [0, 1] }),
      () => canonicalizeBatch('SO(3)', batch, { errors: 'ignore' as never }),
      () => equivariant('SO(3)', m, { output: 'nodes' }),
      () => equivariant('graph', m, { output: 'vectors' }),
      () => createEngine({ threads: -1 }),
      () => createEngine({ chunkSize: 0 }),
    ];
    for (const fn of ranges) expect(await failure(fn), String(fn)).toBeInstanceOf(OptionRangeError);
  });

  it('a model module that cannot be loaded gives the same OptionTypeError on a worker, inside a WorkerFailedError never', async () => {
    const e = await engine(1);
    const inline = (await failure(() => equivariant('SO(3)', fixtureModel('missing')).batch(batch))) as Error;
    const pooled = (await failure(() => equivariant('SO(3)', fixtureModel('missing'), { engine: e }).batch(batch))) as Error;
    expect(pooled).toBeInstanceOf(OptionTypeError);
    expect(pooled.message).toMatch(/^minframe: the model module file:.*missing\.mjs could not be loaded: /);
    expect(inline.message).toMatch(/^minframe: the model module file:.*missing\.mjs could not be loaded: /);
  });

  it('a model that throws: a ModelError naming the input, single call and batch, inline and on an engine, function and module', async () => {
    const e = await engine(2, 1);
    const thrower = (y: Float64Array, { n }: { n: number }) => {
      if (n === 3) throw new Error(`no model for n = ${n}`);
      return y.map(Math.sin);
    };
    // inputs 0..2 have 3, 5, 3 rows
    const b = { data: new Float64Array(33).map((_, j) => Math.sin(j * 1.3)), dim: 3, offsets: [0, 3, 8, 11] };
    const single = await failure(() => equivariant('SO(3)', thrower)(b.data.subarray(0, 9), { n: 3, d: 3 }));
    expect(single).toBeInstanceOf(ModelError);
    expect(single).toMatchObject({ input: 0, message: 'input 0: the model failed: no model for n = 3' });
    expect((single as Error).cause).toBeInstanceOf(Error);
    for (const engine_ of [undefined, e]) {
      for (const model of [thrower, fixtureModel('throws')]) {
        for (const f of [equivariant('SO(3)', model as never, { engine: engine_ }), invariant('SO(3)', model as never, { engine: engine_ })]) {
          const err = (await failure(() => f.batch(b))) as ModelError & { errors: Error[] };
          expect(err).toBeInstanceOf(ModelError);
          expect(err.input).toBe(0);
          expect(err.message).toBe('input 0: the model failed: no model for n = 3');
          expect(err.errors.map((x) => x.message)).toEqual(['input 0: the model failed: no model for n = 3', 'input 2: the model failed: no model for n = 3']);
          const r = await f.batch(b, { errors: 'status' });
          expect(r.errors[0]).toBeInstanceOf(ModelError);
          expect(r.errors[1]).toBeNull();
          expect(r.errors[2]).toMatchObject({ input: 2 });
        }
      }
    }
  });

  it('a batch model that throws: a ModelError, inline and on a worker', async () => {
    const e = await engine(2, 2);
    const b = { data: new Float64Array(33).map((_, j) => Math.cos(j)), dim: 3, offsets: [0, 4, 8, 11] };
    for (const engine_ of [undefined, e]) {
      const err = await failure(() => equivariant('SO(3)', fixtureModel('stacked-throws'), { engine: engine_ }).batch(b, { errors: 'status' }));
      expect(err).toBeInstanceOf(ModelError);
      expect((err as Error).message).toMatch(/^input \d: the model failed: the batch model failed$/);
    }
  });

  it('an invariant batch model that returns a length not divisible by its inputs: the first valid input\'s InputTypeError, inline and with an engine', async () => {
    const e = await engine(2, 2);
    const b = { data: new Float64Array(33).map((_, j) => Math.cos(j)), dim: 3, offsets: [0, 4, 8, 11] };
    for (const engine_ of [undefined, e]) {
      const err = await failure(() => invariant('SO(3)', (s: { data: Float64Array }) => s.data.subarray(1), { engine: engine_, batchModel: true }).batch(b));
      expect(err).toBeInstanceOf(InputTypeError);
      expect((err as Error).message).toMatch(/^input 0: the model returned 32 values, expected 3 items of equal length \(k values per input\)$/);
    }
  });

  it('a closed engine: EngineClosedError, for calls after close() and for the one close() cuts short', async () => {
    const e = await createEngine({ threads: 1, chunkSize: 1 });
    const hang = hangCalled();
    const running = equivariant('SO(3)', fixtureModel('hang'), { engine: e }).batch(batch);
    running.catch(() => {}); // it rejects while this test awaits close(); settle() reads it below
    await hang.called;
    hang.close();
    await e.close();
    const cut = await settle(running);
    expect((cut as { rejected: unknown }).rejected).toBeInstanceOf(EngineClosedError);
    for (const fn of [
      () => e.canonicalize('SO(3)', batch),
      () => e.canonicalize('graph', graphBatchOf([petersen()])),
      () => equivariant('SO(3)', (y: Float64Array) => y, { engine: e }).batch(batch),
      () => invariant('SO(3)', fixtureModel('sine'), { engine: e }).batch(batch),
    ]) {
      expect(await failure(fn)).toBeInstanceOf(EngineClosedError);
    }
  });

  it('a worker that dies: WorkerFailedError naming the inputs of its chunk', async () => {
    const e = await engine(2, 3);
    const hang = hangCalled();
    const call = equivariant('SO(3)', fixtureModel('hang'), { engine: e }).batch(batch);
    call.catch(() => {}); // it rejects while this test awaits terminate(); settle() reads it below
    await hang.called;
    hang.close();
    await Promise.all(workersOf(e).map((w) => w.terminate()));
    const err = (await settle(call)) as { rejected: WorkerFailedError };
    expect(err.rejected).toBeInstanceOf(WorkerFailedError);
    expect(err.rejected.last - err.rejected.first).toBe(2);
    expect(err.rejected.first % 3).toBe(0);
    const dense = denseBatch(20, 8, 1);
    expectSameBits(await e.canonicalize('SO(3)', dense), canonicalizeBatch('SO(3)', dense), 'after the failure');
  });

  it('a kernel that traps: KernelError; the next task, of any kind, runs on a fresh WASM instance', async () => {
    const task: AverageTask = {
      kind: 'average', group: 'SO(3)', tol: 1e-9, input: denseBatch(4, 5, 2), model: fixtureModel('sine').href,
      how: { mode: 'equivariant', output: 'vectors', batchModel: false },
    };
    const good = await runChunk(task);
    const k = await ready();
    const real = k.exports;
    k.exports = { ...real, ortho_frames: () => { throw new WebAssembly.RuntimeError('memory access out of bounds'); } };
    let err: unknown;
    try {
      err = await failure(() => runChunk(task));
    } finally {
      k.exports = real;
    }
    expect(err).toBeInstanceOf(KernelError);
    expect(err).toMatchObject({ kernel: 'ortho_frames' });
    const again = (await runChunk(task)) as { data: Float64Array };
    expect(await ready()).not.toBe(k);
    expect(bytes(again.data).equals(bytes((good as { data: Float64Array }).data))).toBe(true);
  });

  it('internal errors and the WASM memory limit', async () => {
    expect(await failure(() => LOCAL.shared(8))).toBeInstanceOf(InternalError);
    expect(await failure(() => runTask({ kind: 'nope' }, loadKernels({ simd: true })))).toBeInstanceOf(InternalError);
    const mem = await failure(() => loadKernels({ simd: true }).arena.alloc(2 ** 33));
    expect(mem).toBeInstanceOf(MemoryLimitError);
    expect(mem).toBeInstanceOf(RangeError);
    expect((mem as MemoryLimitError).mebibytes).toBeGreaterThan(4096);
  });
});
