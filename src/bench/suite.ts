/**
 * The benchmark suite: the same rows in Node and in a browser tab. It uses only
 * minframe's public API and minframe/testing (both handed in, so Node passes its
 * build and a page the browser bundle) and a clock; results follow one schema
 * (src/bench/results.schema.json, bench/SCHEMA.md).
 *
 * Suites (a row's `suite`):
 * - 'canonicalize': per-set time of canonicalizeBatch (threads 0: the calling
 *   thread) and of createEngine({ threads }).canonicalize (threads 1, 2: worker
 *   threads in Node, Web Workers in browsers) for every group family at
 *   n ∈ {16, 128, 1024}, plus the baselines FA, SFA, iFA for O(3) and E(3);
 * - 'average': the same with equivariant(spec, model).batch and a free model (the
 *   identity; a graph's first adjacency row), frames on the engine for threads ≥ 1;
 * - 'labeling': canonicalLabelings per graph (CSR input);
 * - 'equivariance': the reference implementation's comparison (its
 *   tests/equivariance_test.ipynb): O(6), n = 128, four backbones
 *   (src/bench/backbones.ts), generic and degenerate inputs, no averaging ('plain')
 *   and MFA, FA, SFA, iFA: time per forward and E‖g·f(x) − f(g·x)‖₁ under
 *   Haar-random g (per row: Σ over columns, mean over rows, mean over trials).
 */
import type * as Minframe from '../index.js';
import type * as Testing from '../testing/index.js';
import { BACKBONES, backbone, type Backbone } from './backbones.js';
import { measure, summarize, type MeasureOptions, type Timing } from './measure.js';

export type Api = typeof Minframe;
export type TestingApi = typeof Testing;

export type SuiteName = 'canonicalize' | 'average' | 'labeling' | 'equivariance';
export type RowMethod = 'plain' | 'mfa' | 'fa' | 'sfa' | 'ifa';

/** One measured row (see bench/SCHEMA.md for each field's meaning). */
export interface Row {
  suite: SuiteName;
  group: string;
  method: RowMethod | null;
  n: number;
  d: number | null;
  input: string;
  backbone: string | null;
  threads: number | null;
  usPerSet: Timing;
  frameSize: number | 'infinite' | null;
  modelCalls: number | null;
  equivarianceError: number | null;
  trials: number | null;
  totalSeconds: number | null;
}

export interface Machine {
  cores: number;
  platform: string;
  /** Node's version (Node) or navigator.userAgent (browsers). */
  node?: string;
  userAgent?: string;
  cpu?: string;
  simd: boolean;
  crossOriginIsolated: boolean;
  /** 1, 5 and 15 minute load averages when the runtime tells them (Node), else null. */
  loadAverage: number[] | null;
}

export interface Results {
  runtime: 'node' | 'browser';
  machine: Machine;
  date: string;
  options: { quick: boolean; trials: number; filter: string[] };
  rows: Row[];
}

export interface Progress {
  done: number;
  total: number;
  label: string;
  /** The rows finished so far. */
  rows: Row[];
}

export interface SuiteOptions {
  api: Api;
  testing: TestingApi;
  /** A clock in milliseconds (performance.now). */
  now: () => number;
  /** Small batches, 3 timed runs, 1 trial: for tests and a first look. */
  quick?: boolean;
  /** Equivariance trials (default 100, quick 1). */
  trials?: number;
  /** Only cases whose key matches every term (see caseMatches). */
  filter?: string[];
  /** Engine thread counts measured besides the calling thread (default [1, 2]). */
  threads?: number[];
  onProgress?: (p: Progress) => void;
  /** Called before each case, e.g. Node's gc (node --expose-gc). */
  collect?: () => void;
}

/** The point counts of the per-set rows. */
export const SIZES = [16, 128, 1024] as const;

/** Every group family, with the d it is measured at. */
export const FAMILIES: readonly { spec: string; d: number | null }[] = [
  { spec: 'O(3)', d: 3 }, { spec: 'SO(3)', d: 3 }, { spec: 'E(3)', d: 3 }, { spec: 'SE(3)', d: 3 },
  { spec: 'O(1,3)', d: 4 }, { spec: 'U(3)', d: 3 }, { spec: 'SU(3)', d: 3 }, { spec: 'GL(3)', d: 3 },
  { spec: 'SL(3)', d: 3 }, { spec: 'Aff(3)', d: 3 }, { spec: 'S(n)', d: 3 }, { spec: 'S(n) x O(3)', d: 3 },
  { spec: 'graph', d: null },
];

/** Groups whose baselines get canonicalize and average rows too. */
const BASELINE_GROUPS = ['O(3)', 'E(3)'];
const BASELINES = ['fa', 'sfa', 'ifa'] as const;

/** The comparison's setting, as in the reference's notebook. */
export const EQUIVARIANCE = { group: 'O(6)', n: 128, d: 6, trials: 100, inputs: ['generic', 'degenerate'], methods: ['plain', 'mfa', 'fa', 'sfa', 'ifa'] } as const;

/**
 * The reference implementation's published figures for the comparison (its
 * tests/equivariance_test.ipynb, PyTorch in float32 on the authors' machine, not
 * measured here): seconds for 100 trials × 4 backbones, each trial and backbone
 * running the plain model twice, the averaged model twice and one timed forward.
 */
export const REFERENCE = {
  source: "the reference implementation's tests/equivariance_test.ipynb (PyTorch, float32, the authors' machine)",
  trials: 100,
  backbones: 4,
  seconds: { generic: { mfa: 10, fa: 106, sfa: 6, ifa: 113 }, degenerate: { mfa: 6, fa: 143, sfa: 7, ifa: 155 } },
  mfaError: 1e-7,
} as const;

/** Mean degree of the random graphs G(n, p), p = min(1/2, 8/(n − 1)). */
const MEAN_DEGREE = 8;

interface Case {
  key: string;
  label: string;
  run(): Promise<Row[]>;
}

/** The key a case is filtered by: its fields, space-separated. */
function caseKey(r: Pick<Row, 'suite' | 'group' | 'method' | 'n' | 'input' | 'backbone' | 'threads'>): string {
  return `${r.suite} ${r.group} ${r.method ?? '-'} n=${r.n} ${r.input} ${r.backbone ?? '-'} threads=${r.threads ?? '-'}`;
}

/**
 * Whether a case key matches every filter term: a term is a case-insensitive
 * substring, or a regular expression written /like this/.
 */
export function caseMatches(key: string, filter: readonly string[]): boolean {
  return filter.every((term) => {
    const re = /^\/(.+)\/([a-z]*)$/.exec(term);
    return re ? new RegExp(re[1], re[2]).test(key) : key.toLowerCase().includes(term.toLowerCase());
  });
}

function row(fields: Partial<Row> & Pick<Row, 'suite' | 'group' | 'n' | 'input' | 'usPerSet'>): Row {
  return {
    method: null, d: null, backbone: null, threads: null, frameSize: null, modelCalls: null, equivarianceError: null, trials: null, totalSeconds: null,
    ...fields,
  };
}

/** The mean of frame sizes, or 'infinite' when any frame is continuous. */
function meanSize(sizes: ArrayLike<number>): number | 'infinite' {
  let s = 0;
  for (let i = 0; i < sizes.length; i++) {
    if (sizes[i] === Infinity) return 'infinite';
    s += sizes[i];
  }
  return s / sizes.length;
}

/** A random graph G(n, p): its dense adjacency (n×n) and CSR neighbour lists. */
function randomGraph(u: () => number, n: number): { dense: Float64Array; rowPtr: Int32Array; col: Int32Array } {
  const p = Math.min(0.5, MEAN_DEGREE / (n - 1));
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) if (u() < p) dense[i * n + j] = dense[j * n + i] = 1;
  }
  const rowPtr = new Int32Array(n + 1);
  const col: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (dense[i * n + j]) col.push(j);
    rowPtr[i + 1] = col.length;
  }
  return { dense, rowPtr, col: Int32Array.from(col) };
}

/** Run the suite: every case the filter keeps, in order, one row or more each. */
export async function runSuite(o: SuiteOptions): Promise<Row[]> {
  const { api, testing, now } = o;
  const quick = o.quick ?? false;
  const trials = o.trials ?? (quick ? 1 : EQUIVARIANCE.trials);
  const threadCounts = o.threads ?? [1, 2];
  const timing: Omit<MeasureOptions, 'items'> = quick ? { repeat: 3, minMs: 0, warmupMs: 0 } : { repeat: 7, minMs: 25, warmupMs: 150 };
  // values per call: large enough that a call's fixed cost is small, and that the
  // engine's chunk planner gives 2 workers work; small in quick mode
  const target = quick ? 1 << 12 : 1 << 17;
  const minCount = quick ? 1 : 2;
  const shared = typeof SharedArrayBuffer === 'function';

  const engines = new Map<number, Promise<Minframe.Engine>>();
  const engine = (threads: number) => {
    if (!engines.has(threads)) engines.set(threads, api.createEngine({ threads }));
    return engines.get(threads)!;
  };

  /** A batch's rows in a SharedArrayBuffer where there is one, so workers read it in place. */
  const place = (values: Float64Array): Float64Array => {
    if (!shared) return values;
    const data = new Float64Array(new SharedArrayBuffer(values.byteLength));
    data.set(values);
    return data;
  };

  // one batch per (family, n), made on first use and shared by its cases
  const batches = new Map<string, { batch: Minframe.BatchInput | Minframe.GraphBatchInput; count: number; csr?: Minframe.GraphInput[] }>();
  const batchFor = (spec: string, d: number | null, n: number) => {
    const key = `${spec}/${n}`;
    let b = batches.get(key);
    if (b) return b;
    if (d === null) {
      const count = Math.max(minCount, Math.round(target / (n * n)));
      const u = testing.rng(7000 + n);
      const dense = new Float64Array(count * n * n);
      const csr: Minframe.GraphInput[] = [];
      for (let g = 0; g < count; g++) {
        const r = randomGraph(u, n);
        dense.set(r.dense, g * n * n);
        csr.push({ adjacency: { rowPtr: r.rowPtr, col: r.col }, n });
      }
      b = { batch: { data: place(dense), offsets: Int32Array.from({ length: count + 1 }, (_, i) => i * n) }, count, csr };
    } else {
      const width = /^S?U\(/.test(spec) ? 2 : 1;
      const count = Math.max(minCount, Math.round(target / (n * d * width)));
      const data = testing.gaussianMatrix(testing.gaussian(testing.rng(5000 + n)), count * n, d * width);
      b = { batch: { data: place(data), dim: d, count }, count };
    }
    batches.set(key, b);
    return b;
  };

  // frame sizes by (group, method, n), from the canonicalize case for its average case
  const sizes = new Map<string, Row['frameSize']>();
  const sizeOf = (G: unknown, key: string, batch: unknown) => {
    if (!sizes.has(key)) sizes.set(key, meanSize((api.canonicalizeBatch(G as never, batch as never) as { sizes: Float64Array }).sizes));
    return sizes.get(key)!;
  };

  const cases: Case[] = [];
  const rows: Row[] = [];
  let done = 0;
  const progress = (label: string) => o.onProgress?.({ done, total: cases.length, label, rows });
  const add = (fields: Parameters<typeof caseKey>[0], label: string, run: () => Promise<Row[]>) => {
    const key = caseKey(fields);
    if (caseMatches(key, o.filter ?? [])) cases.push({ key, label, run });
  };

  for (const { spec, d } of FAMILIES) {
    const methods = BASELINE_GROUPS.includes(spec) ? (['mfa', ...BASELINES] as const) : (['mfa'] as const);
    const isPoints = d !== null && !spec.startsWith('S(n)');
    for (const n of SIZES) {
      const input = d === null ? 'gnp' : 'generic';
      for (const method of methods) {
        const G = method === 'mfa' ? spec : api.group(spec, method === 'sfa' ? { method, seed: 1 } : { method });
        for (const threads of method === 'mfa' ? [0, ...threadCounts] : [0]) {
          const base = { group: spec, method, n, d, input, threads };
          add({ ...base, suite: 'canonicalize', backbone: null }, `canonicalize ${spec}${method === 'mfa' ? '' : ` ${method}`}, n = ${n}, threads ${threads}`, async () => {
            const { batch, count } = batchFor(spec, d, n);
            const run = threads === 0
              ? (into?: unknown) => api.canonicalizeBatch(G as never, batch as never, isPoints && method === 'mfa' ? { into: into as never } : undefined)
              : async (into?: unknown) => (await engine(threads)).canonicalize(G as never, batch as never, isPoints && method === 'mfa' ? { into: into as never } : undefined);
            let last = (await run()) as { sizes: Float64Array };
            const usPerSet = await measure(async () => (last = (await run(last)) as { sizes: Float64Array }), { ...timing, items: count }, now);
            sizes.set(`${spec}/${method}/${n}`, meanSize(last.sizes));
            return [row({ ...base, suite: 'canonicalize', usPerSet, frameSize: sizes.get(`${spec}/${method}/${n}`)! })];
          });
          add({ ...base, suite: 'average', backbone: 'free' }, `average ${spec}${method === 'mfa' ? '' : ` ${method}`}, n = ${n}, threads ${threads}`, async () => {
            const { batch, count } = batchFor(spec, d, n);
            let calls = 0;
            // free models: the canonical input itself (the wrapper copies it), a graph's first row
            const model = d === null
              ? (x: Float64Array, s: { n: number }) => (calls++, x.subarray(0, s.n))
              : (x: Float64Array) => (calls++, x);
            const eq = api.equivariant(G as never, model, threads === 0 ? {} : { engine: await engine(threads) });
            let out = await eq.batch(batch as never);
            calls = 0;
            await eq.batch(batch as never, { into: out });
            const modelCalls = calls / count;
            const usPerSet = await measure(async () => (out = await eq.batch(batch as never, { into: out })), { ...timing, items: count }, now);
            return [row({ ...base, suite: 'average', backbone: 'free', usPerSet, frameSize: sizeOf(G, `${spec}/${method}/${n}`, batch), modelCalls })];
          });
        }
      }
      if (d === null) {
        const base = { suite: 'labeling' as const, group: 'graph', method: null, n, d: null, input: 'gnp', backbone: null, threads: 0 };
        add(base, `canonical labeling, n = ${n}`, async () => {
          const { csr, count } = batchFor(spec, d, n);
          let last = api.canonicalLabelings(csr!);
          const usPerSet = await measure(() => (last = api.canonicalLabelings(csr!)), { ...timing, items: count }, now);
          return [row({ ...base, usPerSet, frameSize: meanSize(last.map((l) => l.size)) })];
        });
      }
    }
  }

  for (const input of EQUIVARIANCE.inputs) {
    for (const method of EQUIVARIANCE.methods) {
      const fields = { suite: 'equivariance' as const, group: EQUIVARIANCE.group, method, n: EQUIVARIANCE.n, input, backbone: BACKBONES.join(','), threads: 0 };
      add(fields, `equivariance ${method}, ${input} inputs`, () => equivarianceCase(o, input, method, trials, (t) => progress(`equivariance ${method}, ${input} inputs: trial ${t}/${trials}`)));
    }
  }

  try {
    for (const c of cases) {
      progress(c.label);
      o.collect?.();
      rows.push(...(await c.run()));
      done++;
    }
    progress('done');
  } finally {
    for (const e of engines.values()) await (await e).close();
  }
  return rows;
}

/**
 * One trial's input (seeded by input kind and trial) and Haar-random g: generic
 * rows are N(0, 1); degenerate ones have singular values (a, a, a, a, 0, …, 0),
 * a = √n (rows of about the generic scale): rank 4 with four equal singular values.
 */
export function trialInput(testing: TestingApi, input: string, trial: number, n: number, d: number): { x: Float64Array; g: Float64Array } {
  const normal = testing.gaussian(testing.rng((input === 'generic' ? 1_000_000 : 2_000_000) + trial));
  const x = input === 'generic'
    ? testing.gaussianMatrix(normal, n, d)
    : testing.withSingularValues(normal, n, Array.from({ length: d }, (_, k) => (k < 4 ? Math.sqrt(n) : 0)));
  return { x, g: testing.haarOrthogonal(normal, d) };
}

/** E‖g·y1 − y2‖₁ over rows: Σ over columns of |(y1·gᵀ)_rc − y2_rc|, mean over the n rows. */
export function equivarianceError(testing: TestingApi, g: Float64Array, y1: ArrayLike<number>, y2: ArrayLike<number>, n: number, d: number): number {
  const gy = testing.actRows(g, Float64Array.from(y1), n, d);
  let s = 0;
  for (let i = 0; i < gy.length; i++) s += Math.abs(gy[i] - y2[i]);
  return s / n;
}

/**
 * One (input, method) of the comparison, looped as the reference's notebook does:
 * per trial and backbone (fresh seeded weights), the plain model's error (two
 * calls), the method's error (two calls) and one timed forward. Rows: one per
 * backbone (time per forward over trials, mean error) and one for all four
 * (backbone 'all': the loop's wall time per trial and in total).
 */
async function equivarianceCase(o: SuiteOptions, input: string, method: RowMethod, trials: number, onTrial: (t: number) => void): Promise<Row[]> {
  const { api, testing, now } = o;
  const quick = o.quick ?? false;
  const { group: spec, n, d } = EQUIVARIANCE;
  const shape = { n, d };
  const per = BACKBONES.map(() => ({ times: [] as number[], errors: [] as number[], calls: 0 }));
  const loops: number[] = [];
  const sizes: number[] = [];
  // SFA without a seed draws its one sign choice afresh on every call, as the reference does
  const G = method === 'plain' ? null : api.group(spec, method === 'mfa' ? undefined : { method });
  for (let t = 0; t < trials; t++) {
    onTrial(t + 1);
    const { x, g } = trialInput(testing, input, t, n, d);
    const gx = testing.actRows(g, x, n, d);
    const t0 = now();
    for (let b = 0; b < BACKBONES.length; b++) {
      const u = testing.rng(4_000_000 + 16 * t + b);
      const model: Backbone = backbone(BACKBONES[b], d, u, testing.gaussian(u));
      let calls = 0;
      const counted: Backbone = (z, s) => (calls++, model(z, s));
      const f = G ? api.equivariant(G, counted) : async (z: Float64Array) => counted(z, shape);
      // the reference's loop also evaluates the plain model's error for every method;
      // quick mode skips that and times the first of the error's calls instead of a third
      if (!quick) equivarianceError(testing, g, model(x, shape), model(gx, shape), n, d);
      calls = 0;
      const f0 = now();
      const y = await f(x, shape);
      let forward = now() - f0;
      per[b].calls += calls;
      const err = equivarianceError(testing, g, y, await f(gx, shape), n, d);
      if (!quick) {
        const f1 = now();
        await f(x, shape);
        forward = now() - f1;
      }
      per[b].times.push(forward * 1000);
      per[b].errors.push(err);
    }
    loops.push((now() - t0) * 1000);
    if (G) sizes.push(api.canonicalize(G, x, shape).size);
  }
  const mean = (v: number[]) => v.reduce((s, e) => s + e, 0) / v.length;
  const base = { suite: 'equivariance' as const, group: spec, method, n, d, input, threads: 0, trials };
  const rows = BACKBONES.map((name, b) => row({
    ...base, backbone: name, usPerSet: summarize(per[b].times), frameSize: sizes.length ? meanSize(sizes) : null,
    modelCalls: per[b].calls / trials, equivarianceError: mean(per[b].errors),
  }));
  rows.push(row({
    ...base, backbone: 'all', usPerSet: summarize(loops), frameSize: rows[0].frameSize,
    modelCalls: mean(rows.map((r) => r.modelCalls!)), equivarianceError: mean(rows.map((r) => r.equivarianceError!)),
    totalSeconds: loops.reduce((s, e) => s + e, 0) / 1e6,
  }));
  return rows;
}
