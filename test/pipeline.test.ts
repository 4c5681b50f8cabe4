/**
 * One pipeline for every kind of input (src/kinds/): a point group, S(n) and
 * S(n) x G, graphs — each through every entry point — gives the same bits.
 * Frames: canonicalize per input, canonicalizeBatch, and engine.canonicalize on
 * 0, 1 and 2 threads with chunks of 1, 3 and the default size. Averaged outputs:
 * equivariant / invariant `.batch` with a function model and a module model
 * (test/fixtures/models/), inline and on engines, per-input and batch models, and
 * the single call against its slice of the batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeBatch, createEngine, equivariant, invariant, type Engine, type Model } from '../src/index.js';
import type { OutputKind } from '../src/kinds/kind.js';
import { RESIDENT_VALUES } from '../src/kinds/points.js';
import { graphBatch, raggedBatch } from './batches.js';
import { alternatingHexagon, bytes, cubeCorners, cycleWithPendants, expectSameBits, fixtureModel, graphBatchOf, hypercube, petersen, pointBatchOf, randomRows } from './helpers/pipeline.js';

type Kind = 'points' | 'permutation' | 'graph';
type AnyBatch = { data: Float64Array; dim?: number; offsets: Int32Array; colors?: ArrayLike<number> };

interface Case {
  spec: string;
  kind: Kind;
  batch: AnyBatch;
  /** Output kinds to average with; the first is the default. */
  outputs: OutputKind[];
  /** The tolerance of every call (GL(3): small enough for an ill-conditioned frame to be kept, with its warning). */
  tol?: number;
}

/** Values per row of a point batch. */
const rowLen = (c: Case) => (c.spec.startsWith('U(') ? 2 * c.batch.dim! : c.batch.dim!);

/** SE(3): ragged, planar and collinear inputs (|frame| 2 and ∞) and one NaN input. */
function se3(): AnyBatch {
  const b = raggedBatch(24, 8, 1);
  b.data[b.offsets[5] * 3 + 4] = NaN;
  return b;
}

/** U(2): complex rows (re, im interleaved), one of rank 1. */
function u2(): AnyBatch {
  const sets = [1, 2, 3, 4, 2, 5].map((n, i) => randomRows(n, 4, 10 + i));
  const r1 = randomRows(1, 4, 20);
  sets.push(Float64Array.of(...r1, ...r1.map((v) => 2 * v)));
  return pointBatchOf(sets, 2, 4);
}

/** GL(3): rank-deficient inputs (rejected) and an ill-conditioned one (a warning). */
function gl3(): AnyBatch {
  const b = raggedBatch(20, 6, 2);
  const sets = Array.from({ length: 20 }, (_, i) => b.data.slice(b.offsets[i] * 3, b.offsets[i + 1] * 3));
  sets.push(Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1e-13, 1, 1, 1));
  return pointBatchOf(sets, 3);
}

/** Point sets with symmetries under S(n) (ties) and S(n) x O(3) (cube 48, square 8), and one NaN input. */
function symmetricSets(): AnyBatch {
  const square = Float64Array.of(1, 0, 0, 0, 1, 0, -1, 0, 0, 0, -1, 0);
  const rotated = (() => {
    const c = cubeCorners();
    const [ca, sa] = [Math.cos(0.3), Math.sin(0.3)];
    for (let r = 0; r < 8; r++) {
      const [x, y] = [c[r * 3], c[r * 3 + 1]];
      c[r * 3] = ca * x - sa * y;
      c[r * 3 + 1] = sa * x + ca * y;
    }
    return c;
  })();
  const ties = Float64Array.of(0, 0, 1, 0, 0, 1, 2, 1, 0, 2, 1, 0, 3, 3, 3);
  const nan = randomRows(4, 3, 31);
  nan[7] = NaN;
  return pointBatchOf([cubeCorners(), square, rotated, randomRows(5, 3, 30), ties, nan, randomRows(1, 3, 32)], 3);
}

/**
 * A batch past RESIDENT_VALUES, so that the wrappers keep its frames in kernels of
 * their own inline (src/kinds/points.ts pointFramedHere) while the engines' workers
 * do not: ragged inputs of ranks 1..3 (raggedBatch; GL(3) rejects the deficient ones,
 * so some engine chunks hold no valid input), one NaN input, and inputs scaled by
 * 1e300 and 1e-300 (the kernels compute them again, rescaled).
 */
function large(rows: number): AnyBatch {
  const b = rows === 4 ? u2Large() : raggedBatch(1600, 16, 7);
  const w = rows;
  const at = (i: number) => b.data.subarray(b.offsets[i] * w, b.offsets[i + 1] * w);
  at(9)[1] = NaN;
  at(11).forEach((v, j, a) => (a[j] = v * 1e300));
  at(13).forEach((v, j, a) => (a[j] = v * 1e-300));
  return b;
}

/** U(2): 2000 complex inputs of 1..8 rows. */
function u2Large(): AnyBatch {
  return pointBatchOf(Array.from({ length: 2000 }, (_, i) => randomRows(1 + (i % 8), 4, 100 + i)), 2, 4);
}

/** Graphs with large automorphism groups, random ones, a single vertex and an asymmetric (rejected) adjacency. */
function graphs(): AnyBatch {
  const asymmetric = { n: 3, a: Float64Array.of(0, 1, 0, 0, 0, 1, 0, 1, 0) };
  const random = graphBatch(8, 7, 3);
  const list = [petersen(), hypercube(3), cycleWithPendants(4), { n: 1, a: Float64Array.of(0) }, asymmetric];
  for (let i = 0; i < 8; i++) {
    const n = random.offsets[i + 1] - random.offsets[i];
    const at = blockStart(random.offsets, i);
    list.push({ n, a: random.data.slice(at, at + n * n) });
  }
  return graphBatchOf(list);
}

/** Where block i of a graph batch starts. */
function blockStart(offsets: Int32Array, i: number): number {
  let s = 0;
  for (let j = 0; j < i; j++) s += (offsets[j + 1] - offsets[j]) ** 2;
  return s;
}

/** Weighted graphs with tied weights (the alternating hexagon, random weights from {0, 0.5, 1.5}). */
function weightedGraphs(): AnyBatch {
  const random = graphBatch(8, 6, 4, { weighted: true });
  const hexagon = alternatingHexagon();
  const data = new Float64Array(hexagon.a.length + random.data.length);
  data.set(hexagon.a);
  data.set(random.data, hexagon.a.length);
  return { data, offsets: Int32Array.from([0, ...Array.from(random.offsets, (o) => o + 6)]) };
}

const CASES: Case[] = [
  { spec: 'SE(3)', kind: 'points', batch: se3(), outputs: ['points', 'vectors'] },
  { spec: 'U(2)', kind: 'points', batch: u2(), outputs: ['vectors'] },
  { spec: 'GL(3)', kind: 'points', batch: gl3(), outputs: ['vectors'], tol: 1e-15 },
  { spec: 'S(n)', kind: 'permutation', batch: symmetricSets(), outputs: ['vectors'] },
  { spec: 'S(n) x O(3)', kind: 'permutation', batch: symmetricSets(), outputs: ['vectors'] },
  { spec: 'graph', kind: 'graph', batch: graphs(), outputs: ['nodes', 'edges'] },
  { spec: 'graph', kind: 'graph', batch: graphBatch(10, 6, 5, { colored: true }), outputs: ['nodes', 'edges'] },
  { spec: 'weighted-graph', kind: 'graph', batch: weightedGraphs(), outputs: ['nodes', 'edges'] },
  { spec: 'SE(3)', kind: 'points', batch: large(3), outputs: ['points', 'vectors'] },
  { spec: 'U(2)', kind: 'points', batch: large(4), outputs: ['vectors'] },
  { spec: 'GL(3)', kind: 'points', batch: large(3), outputs: ['vectors'] },
];

const label = (c: Case) => `${c.spec}${c.batch.colors ? ' (coloured)' : ''}`;
const count = (c: Case) => c.batch.offsets.length - 1;

/** Input i of a case, as the single calls take it. */
function single(c: Case, i: number): { x: Float64Array; shape: { n: number; d?: number; colors?: number[] } } {
  const { data, offsets, colors } = c.batch;
  const n = offsets[i + 1] - offsets[i];
  if (c.kind === 'graph') {
    const at = blockStart(offsets, i);
    return { x: data.subarray(at, at + n * n), shape: colors ? { n, colors: Array.from(colors).slice(offsets[i], offsets[i + 1]) } : { n } };
  }
  const w = rowLen(c);
  return { x: data.subarray(offsets[i] * w, offsets[i + 1] * w), shape: { n, d: c.batch.dim } };
}

type Result = Record<string, unknown> & { errors: (Error | null)[]; offsets: Int32Array };

/** Input i's part of a batch result, in the vocabulary of the single result. */
function part(c: Case, r: Result, i: number): Record<string, unknown> {
  const at = (key: string, per: number) => (r[key] as Float64Array).subarray(i * per, (i + 1) * per);
  const rows = (key: string, per: number) => (r[key] as Float64Array).subarray(r.offsets[i] * per, r.offsets[i + 1] * per);
  const common = { size: (r.sizes as Float64Array)[i], sizeExact: (r.sizesExact as unknown[])[i], warning: (r.warnings as unknown[])[i] };
  if (c.kind === 'graph') {
    const e = r.entries as Int32Array;
    const n = r.offsets[i + 1] - r.offsets[i];
    const go = r.generatorOffsets as Int32Array;
    return {
      ...common, group: r.group, n, canonical: (r.canonical as Float64Array).subarray(e[i], e[i + 1]), permutation: rows('permutations', 1), orbits: rows('orbits', 1),
      generators: (r.generators as Int32Array).subarray(go[i], go[i + 1]),
    };
  }
  const d = r.dim as number;
  const w = rowLen(c);
  const base = { ...common, group: r.group, n: r.offsets[i + 1] - r.offsets[i], d, canonical: rows('canonical', w), matrix: at('matrices', d * w), shift: at('shifts', w), rank: (r.ranks as Int32Array)[i] };
  if (c.kind === 'points') return base;
  return { ...base, permutation: rows('permutations', 1), complementSize: (r.complementSizes as Float64Array)[i] };
}

/** A single result's data, in the same vocabulary (its methods left out, generators concatenated). */
function singleData(c: Case, f: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of fieldsOf(f)) if (typeof f[k] !== 'function') out[k] = f[k];
  if (c.kind === 'graph') {
    const gens = f.generators as Int32Array[];
    const all = new Int32Array(gens.reduce((s, g) => s + g.length, 0));
    gens.forEach((g, j) => all.set(g, j * (f.n as number)));
    out.generators = all;
  }
  return out;
}

/** An object's fields: its own keys and its class's getters (a graph frame makes its arrays on first read). */
function fieldsOf(f: object): string[] {
  const keys = new Set(Object.keys(f));
  for (let p = Object.getPrototypeOf(f); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) if (d.get) keys.add(k);
  }
  return [...keys];
}

const thrown = (fn: () => unknown): Error | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return e as Error;
  }
};

const reference = new Map<Case, Result>();
for (const c of CASES) reference.set(c, canonicalizeBatch(c.spec, c.batch as never, { errors: 'status', tol: c.tol }) as unknown as Result);

const ENGINES: [threads: number, chunkSize: number | undefined][] = [0, 1, 2].flatMap((t) => [1, 3, undefined].map((s) => [t, s] as [number, number | undefined]));
const engines = new Map<string, Engine>();
const engineKey = (threads: number, chunkSize?: number) => `${threads}/${chunkSize ?? 'auto'}`;
beforeAll(async () => {
  for (const [t, s] of ENGINES) engines.set(engineKey(t, s), await createEngine({ threads: t, chunkSize: s }));
});
afterAll(async () => {
  await Promise.all([...engines.values()].map((e) => e.close()));
});

describe('frames: every kind through every entry point', () => {
  it('the cases cover what they should: symmetric inputs, warnings and bad inputs of every kind', () => {
    const sizes = (c: Case) => Array.from(reference.get(c)!.sizes as Float64Array);
    expect(sizes(CASES[0])).toContain(Infinity);
    expect(sizes(CASES[4]).slice(0, 3)).toEqual([48, 8, 48]);
    expect(sizes(CASES[3])[4]).toBe(4); // two pairs of tied rows
    expect(sizes(CASES[5]).slice(0, 4)).toEqual([120, 48, 8, 1]);
    expect(sizes(CASES[7])[0]).toBe(6);
    expect((reference.get(CASES[2])!.warnings as (string | null)[]).at(-1)).toMatch(/^input 20: /);
    for (const c of CASES.slice(-3)) {
      expect(c.batch.data.length, label(c)).toBeGreaterThanOrEqual(RESIDENT_VALUES);
      expect(reference.get(c)!.errors[9], label(c)).not.toBeNull();
      expect(reference.get(c)!.errors[11], label(c)).toBeNull();
      expect(reference.get(c)!.errors[13], label(c)).toBeNull();
    }
    for (const c of CASES.filter((c) => !c.batch.colors && c.spec !== 'weighted-graph' && c.spec !== 'U(2)')) {
      expect(reference.get(c)!.errors.some(Boolean), label(c)).toBe(true);
    }
  });

  it('canonicalize per input gives the bits of canonicalizeBatch, and the same errors', () => {
    for (const c of CASES) {
      const r = reference.get(c)!;
      for (let i = 0; i < count(c); i++) {
        const { x, shape } = single(c, i);
        let f: Record<string, unknown> | undefined;
        const e = thrown(() => (f = canonicalize(c.spec, x, shape as never, { tol: c.tol }) as unknown as Record<string, unknown>));
        const want = r.errors[i];
        if (want) {
          expect(e?.constructor, `${label(c)} input ${i}`).toBe(want.constructor);
          expect(e?.message, `${label(c)} input ${i}`).toBe(want.message.replace(/^input \d+:/, 'input 0:'));
          continue;
        }
        expect(e, `${label(c)} input ${i}`).toBeNull();
        // a single input is input 0 of its own
        const p = part(c, r, i);
        if (typeof p.warning === 'string') p.warning = p.warning.replace(/^input \d+:/, 'input 0:');
        expectSameBits(singleData(c, f!), p, `${label(c)} input ${i}`);
      }
    }
  });

  for (const [threads, chunkSize] of ENGINES) {
    it(`engine.canonicalize on ${threads} thread(s), chunks of ${chunkSize ?? 'default'}: the bits of canonicalizeBatch`, async () => {
      const e = engines.get(engineKey(threads, chunkSize))!;
      for (const c of CASES) expectSameBits(await e.canonicalize(c.spec, c.batch as never, { errors: 'status', tol: c.tol }), reference.get(c)!, label(c));
    });
  }
});

describe('averaged outputs: every kind, every model form, inline and on engines', () => {
  const sine = (x: Float64Array) => x.map(Math.sin);
  const stacked = (b: { data: Float64Array }) => b.data.map(Math.sin);
  let graphNodes: Model;
  let graphEdges: Model;
  beforeAll(async () => {
    graphNodes = ((await import(fixtureModel('graph-nodes').href)) as { default: Model }).default;
    graphEdges = ((await import(fixtureModel('graph-edges').href)) as { default: Model }).default;
  });

  /** The model of a case and output: a function and the same code as a module. */
  const models = (c: Case, output: OutputKind): { fn: Model; module: URL } =>
    c.kind !== 'graph' ? { fn: sine, module: fixtureModel('sine') } : output === 'edges' ? { fn: graphEdges, module: fixtureModel('graph-edges') } : { fn: graphNodes, module: fixtureModel('graph-nodes') };

  /** Inline, and engines of 0, 1 and 2 threads (chunks of 3 inputs, and the default on 1 thread). */
  const variants = () =>
    [undefined, engines.get(engineKey(0, 3)), engines.get(engineKey(1)), engines.get(engineKey(2, 3))].map((engine) => ({ engine, name: engine ? `engine ${engine.threads} thread(s)` : 'inline' }));

  it('equivariant(…).batch: function and module models, per input and batch models, inline and on engines of 0/1/2 threads', async () => {
    for (const c of CASES) {
      for (const output of c.outputs) {
        const { fn, module } = models(c, output);
        const want = await equivariant(c.spec, fn, { output, tol: c.tol }).batch(c.batch as never, { errors: 'status' });
        expect(want.data.some((v) => !Number.isNaN(v)), label(c)).toBe(true);
        for (const { engine, name } of variants()) {
          const forms: [string, ReturnType<typeof equivariant>][] = [
            ['function', equivariant(c.spec, fn, { output, engine, tol: c.tol })],
            ['module', equivariant(c.spec, module, { output, engine, tol: c.tol })],
          ];
          if (c.kind !== 'graph') {
            forms.push(['batch function', equivariant(c.spec, stacked, { output, engine, tol: c.tol, batchModel: true })]);
            forms.push(['batch module', equivariant(c.spec, fixtureModel('stacked'), { output, engine, tol: c.tol })]);
          }
          for (const [form, f] of forms) expectSameBits(await f.batch(c.batch as never, { errors: 'status' }), want, `${label(c)} ${output}, ${form} model, ${name}`);
        }
      }
    }
  });

  it('a module model on chunks of one input: chunks whose only input is bad still give the inline bits', async () => {
    const e = engines.get(engineKey(2, 1))!;
    for (const c of CASES.filter((c) => reference.get(c)!.errors.some(Boolean))) {
      const output = c.outputs[0];
      const { fn, module } = models(c, output);
      const want = await equivariant(c.spec, fn, { output }).batch(c.batch as never, { errors: 'status' });
      expectSameBits(await equivariant(c.spec, module, { output, engine: e }).batch(c.batch as never, { errors: 'status' }), want, label(c));
    }
  });

  it('a module model that fails some inputs (throws.mjs: every set of 3 points), on chunks of one and of three: the inline bits and errors', async () => {
    const thrower = fixtureModel('throws');
    // sets of 4, 3, 5, 3, 3 and 6 points: chunks of one whose only input fails, chunks of three where some do
    const sets = { data: Float64Array.from({ length: 3 * 24 }, (_, j) => Math.cos(1.3 * j)), dim: 3, offsets: [0, 4, 7, 12, 15, 18, 24] };
    for (const spec of ['SO(3)', 'SE(3)', 'S(n) x O(3)']) {
      const want = await equivariant(spec, thrower).batch(sets, { errors: 'status' });
      expect(want.errors.map((e) => e?.name ?? null), spec).toEqual([null, 'ModelError', null, 'ModelError', 'ModelError', null]);
      for (const chunk of [1, 3]) {
        const engine = engines.get(engineKey(2, chunk))!;
        expectSameBits(await equivariant(spec, thrower, { engine }).batch(sets, { errors: 'status' }), want, `${spec}, chunks of ${chunk}`);
      }
    }
  });

  it('a module model on workers writes outputs of a width the group fixes in place: into a shared result, a shared into; a plain into is filled', async () => {
    const e = engines.get(engineKey(2, 3))!;
    for (const c of CASES.filter((c) => c.kind !== 'graph')) {
      const output = c.outputs[0];
      const { fn, module } = models(c, output);
      const want = await equivariant(c.spec, fn, { output, tol: c.tol }).batch(c.batch as never, { errors: 'status' });
      const f = equivariant(c.spec, module, { output, engine: e, tol: c.tol });
      const r = await f.batch(c.batch as never, { errors: 'status' });
      expectSameBits(r, want, label(c));
      // (S(n) alone: the model chooses the width, so its outputs come back to be laid out)
      expect(r.data.buffer instanceof SharedArrayBuffer, label(c)).toBe(c.spec !== 'S(n)');
      for (const into of [new Float64Array(new SharedArrayBuffer(r.data.byteLength)), new Float64Array(r.data.length)]) {
        into.fill(7);
        const again = await f.batch(c.batch as never, { errors: 'status', into });
        expect(again.data, label(c)).toBe(into);
        expectSameBits(again, want, `${label(c)}, into`);
      }
    }
  });

  it('invariant(…).batch: function and module models, inline and on engines of 0/1/2 threads', async () => {
    for (const c of CASES) {
      const { fn, module } = models(c, c.outputs[0]);
      const want = await invariant(c.spec, fn, { tol: c.tol }).batch(c.batch as never, { errors: 'status' });
      for (const { engine, name } of variants()) {
        for (const [form, g] of [['function', invariant(c.spec, fn, { engine, tol: c.tol })], ['module', invariant(c.spec, module, { engine, tol: c.tol })]] as const) {
          expectSameBits(await g.batch(c.batch as never, { errors: 'status' }), want, `${label(c)}, ${form} model, ${name}`);
        }
      }
    }
  });

  it('invariant(…).batch with a batch model: k values per input, flat and as outputs, the per-input model\'s bits, inline and on engines of 0/1/2 threads', async () => {
    const summary = ((await import(fixtureModel('stacked-summary').href)) as { default: (b: unknown) => Float64Array }).default;
    // the same values from one input at a time
    const perInput = (x: Float64Array, shape: { n: number }) => summary({ data: x, offsets: Int32Array.of(0, shape.n), count: 1 });
    for (const c of CASES.filter((c) => c.kind !== 'graph')) {
      const want = await invariant(c.spec, perInput, { tol: c.tol }).batch(c.batch as never, { errors: 'status' });
      for (const { engine, name } of variants()) {
        for (const [form, g] of [['function', invariant(c.spec, summary, { engine, tol: c.tol, batchModel: true })], ['module', invariant(c.spec, fixtureModel('stacked-summary'), { engine, tol: c.tol })]] as const) {
          const r = await g.batch(c.batch as never, { errors: 'status' });
          expectSameBits({ outputs: r.outputs, errors: r.errors, warnings: r.warnings, count: r.count }, want, `${label(c)}, batch ${form} model, ${name}`);
          expect(r.width, label(c)).toBe(2);
          r.errors.forEach((e, i) => expect(Array.from(r.data!.subarray(2 * i, 2 * i + 2)), `${label(c)} input ${i}`).toEqual(e ? [NaN, NaN] : Array.from(want.outputs[i] as Float64Array)));
        }
      }
      const i = want.errors.indexOf(null);
      const { x, shape } = single(c, i);
      expect(bytes(await invariant(c.spec, summary, { tol: c.tol, batchModel: true })(x, shape as never)).equals(bytes(want.outputs[i] as Float64Array)), label(c)).toBe(true);
    }
    // a baseline's frame elements: the mean of their calls' outputs, as per input
    const b = { data: randomRows(12, 3, 4), dim: 3, offsets: Int32Array.of(0, 4, 8, 12) };
    const want = await invariant('O(3)', perInput, { method: 'fa' }).batch(b);
    const r = await invariant('O(3)', summary, { method: 'fa', batchModel: true }).batch(b);
    expect(r.outputs.map((v) => Array.from(v!))).toEqual(want.outputs.map((v) => Array.from(v as Float64Array)));
  });

  it('invariant outputs that are views of the canonical forms outlive the next call; numbers let it reuse the frames', async () => {
    for (const c of CASES) {
      // the identity returns views of what it was given, the sum numbers
      const views = invariant(c.spec, (x: Float64Array) => x, { tol: c.tol });
      const first = await views.batch(c.batch as never, { errors: 'status' });
      const kept = first.outputs.map((v) => (v ? bytes(v) : null));
      const other = { ...c.batch, data: c.batch.data.map((v) => 2 * v + 1) };
      await views.batch(other as never, { errors: 'status' });
      first.outputs.forEach((v, i) => expect(v ? bytes(v).equals(kept[i]!) : kept[i] === null, `${label(c)} input ${i}`).toBe(true));
      const sums = invariant(c.spec, (x: Float64Array) => x.reduce((s, v) => s + v, 0), { tol: c.tol });
      const want = await sums.batch(c.batch as never, { errors: 'status' });
      await sums.batch(other as never, { errors: 'status' });
      expectSameBits(await sums.batch(c.batch as never, { errors: 'status' }), want, label(c));
    }
  });

  it('a module model\'s invariant outputs that are views of its chunk\'s frames survive the chunks after it (engines of 0 and 2 threads, chunks of 3)', async () => {
    for (const c of CASES.filter((c) => c.kind !== 'graph')) {
      const want = await invariant(c.spec, (x: Float64Array) => x, { tol: c.tol }).batch(c.batch as never, { errors: 'status' });
      for (const engine of [engines.get(engineKey(0, 3)), engines.get(engineKey(2, 3))]) {
        const got = await invariant(c.spec, fixtureModel('identity'), { engine, tol: c.tol }).batch(c.batch as never, { errors: 'status' });
        expectSameBits(got, want, `${label(c)}, ${engine!.threads} threads`);
      }
    }
  });

  it('the single call gives its input\'s slice of the batch, bit for bit (function and module models)', async () => {
    for (const c of CASES) {
      for (const output of c.outputs) {
        const { fn, module } = models(c, output);
        const r = await equivariant(c.spec, fn, { output, tol: c.tol }).batch(c.batch as never, { errors: 'status' });
        const inv = await invariant(c.spec, fn, { tol: c.tol }).batch(c.batch as never, { errors: 'status' });
        for (const model of [fn, module]) {
          const f = equivariant(c.spec, model, { output, tol: c.tol });
          const g = invariant(c.spec, model, { tol: c.tol });
          for (let i = 0; i < count(c); i++) {
            if (r.errors[i]) continue;
            const { x, shape } = single(c, i);
            const slice = r.data.subarray(r.offsets[i] * r.width, r.offsets[i + 1] * r.width);
            expect(bytes(await f(x, shape as never)).equals(bytes(slice)), `${label(c)} ${output} input ${i}`).toBe(true);
            expect(bytes((await g(x, shape as never)) as Float64Array).equals(bytes(inv.outputs[i] as Float64Array)), `${label(c)} invariant input ${i}`).toBe(true);
          }
        }
      }
    }
  });
});

describe('one vocabulary for every kind', () => {
  it('every single result has group, canonical, size, sizeExact, elements(cap) and warning', () => {
    for (const c of CASES) {
      const r = reference.get(c)!;
      for (let i = 0; i < count(c); i++) {
        if (r.errors[i]) continue;
        const { x, shape } = single(c, i);
        const f = canonicalize(c.spec, x, shape as never, { tol: c.tol }) as unknown as Record<string, unknown> & { elements(cap?: number): unknown };
        const where = `${label(c)} input ${i}`;
        expect(f.group, where).toBe(r.group);
        expect(f.canonical, where).toBeInstanceOf(Float64Array);
        expect(typeof f.size, where).toBe('number');
        expect(f.sizeExact, where).toBe(Number.isFinite(f.size) ? BigInt(f.size as number) : null);
        expect(f.warning === null || typeof f.warning === 'string', where).toBe(true);
        expect(typeof f.elements, where).toBe('function');
        if (f.sizeExact !== null && (f.sizeExact as bigint) > 1n) expect(() => f.elements(Number(f.sizeExact) - 1), where).toThrow(RangeError);
        if (f.sizeExact !== null && (f.sizeExact as bigint) <= 1000n) expect(f.elements(1000), where).not.toBeNull();
      }
    }
  });

  it('every batch result has sizes, sizesExact (bigint | null), errors and warnings, and no status', async () => {
    for (const c of CASES) {
      const r = reference.get(c)!;
      const sizes = r.sizes as Float64Array;
      expect(sizes, label(c)).toBeInstanceOf(Float64Array);
      expect(r.sizesExact, label(c)).toEqual(Array.from(sizes, (s) => (Number.isFinite(s) ? BigInt(s) : null)));
      const model = c.kind === 'graph' ? (_x: Float64Array, { n }: { n: number }) => new Float64Array(n) : (x: Float64Array) => x;
      const averaged = [
        r,
        await equivariant(c.spec, model, { tol: c.tol }).batch(c.batch as never, { errors: 'status' }),
        await invariant(c.spec, (x: Float64Array) => x.length, { tol: c.tol }).batch(c.batch as never, { errors: 'status' }),
      ];
      for (const a of averaged as unknown as Record<string, unknown>[]) {
        expect(a.errors, label(c)).toHaveLength(count(c));
        expect(a.warnings, label(c)).toHaveLength(count(c));
        expect(a.warnings, label(c)).toEqual(r.warnings);
        expect('status' in a, label(c)).toBe(false);
      }
    }
  });
});
