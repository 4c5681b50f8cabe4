/**
 * The dataset commands end to end (dist/node/cli.js on .npy / .npz files made here
 * and by NumPy): canonical forms invariant under per-input random group elements
 * and averaged outputs equivariant, for SE(3), S(n) x O(3) and graphs, with model
 * modules and the ONNX fixture; ragged inputs, big-endian and float32 files;
 * streaming in small chunks equal to the in-memory library bit for bit; shards
 * joined by concat equal to the unsharded run byte for byte, --shard auto under
 * Slurm and Kubernetes; every error path with its exit status and no output left
 * behind; progress; a killed run.
 */
import { PYTHON } from './helpers/python.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { canonicalizeBatch, equivariant, type Model } from '../src/index.js';
import { NpyWriter, NpzWriter, openArray, type DTypeName } from '../src/io/index.js';
import { actRows, gaussian, gaussianMatrix, haarOrthogonal, haarSpecialOrthogonal, permuteRows, randomPermutation, relativeError, rng } from '../src/testing/index.js';

// spawned processes share a busy machine: time is no measure of these tests
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist/node/cli.js');
const onnx = join(root, 'test/fixtures/onnx/model.onnx');
const dir = mkdtempSync(join(tmpdir(), 'minframe-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the command in the test directory (runs of one test go in parallel). */
function run(args: string[], env: Record<string, string> = {}, script = cli): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: dir, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const ok = (r: Run) => expect(r.status, r.stderr).toBe(0);

async function save(name: string, dtype: DTypeName, shape: number[], values: ArrayLike<number>): Promise<void> {
  const w = await NpyWriter.create(at(name), dtype, shape);
  await w.write(values);
  await w.commit();
}

async function load(spec: string): Promise<{ shape: readonly number[]; v: Float64Array }> {
  const r = await openArray(spec.includes('/') ? spec : at(spec));
  const v = Float64Array.from(await r.read(0, r.length));
  await r.close();
  return { shape: r.shape, v };
}

const bytes = (name: string) => readFileSync(at(name));
const leftovers = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));
const normal = gaussian(rng(2024));
const uniform = rng(99);

// SE(3): 24 point sets of 8 points, and each moved by its own random rigid motion
const N = 24, n = 8;
const X = gaussianMatrix(normal, N * n, 3);
const motions = Array.from({ length: N }, () => ({ g: haarSpecialOrthogonal(normal, 3), t: Float64Array.of(3 * normal(), 3 * normal(), 3 * normal()) }));
const moved = (x: Float64Array) => {
  const y = new Float64Array(x.length);
  motions.forEach(({ g, t }, i) => y.set(actRows(g, x.subarray(i * n * 3, (i + 1) * n * 3), n, 3, t), i * n * 3));
  return y;
};
const GX = moved(X);

// S(n) x O(3): ragged sets (one empty), each permuted and rotated
const sizes = [5, 3, 7, 0, 6, 4, 8, 5, 3, 6];
const offsets = [0];
for (const s of sizes) offsets.push(offsets[offsets.length - 1] + s);
const R = gaussianMatrix(normal, offsets[sizes.length], 3);
const ragged = sizes.map((s) => ({ q: randomPermutation(uniform, s), g: haarOrthogonal(normal, 3) }));
const permutedSets = (x: Float64Array) => {
  const y = new Float64Array(x.length);
  ragged.forEach(({ q, g }, i) => y.set(permuteRows(q, actRows(g, x.subarray(offsets[i] * 3, offsets[i + 1] * 3), sizes[i], 3), 3), offsets[i] * 3));
  return y;
};
const GR = permutedSets(R);

// graphs: 12 random graphs on 7 vertices (one asymmetric, so invalid), each relabeled
const G = 12, v = 7;
const graphs = new Int32Array(G * v * v);
for (let i = 0; i < G; i++) {
  for (let a = 0; a < v; a++) for (let b = a + 1; b < v; b++) graphs[i * v * v + a * v + b] = graphs[i * v * v + b * v + a] = uniform() < 0.4 ? 1 : 0;
}
graphs[5 * v * v + 1] = 1 - graphs[5 * v * v + v]; // input 5: A[0][1] ≠ A[1][0]
const relabel = Array.from({ length: G }, () => randomPermutation(uniform, v));
/** Graph i relabeled by relabel[i]: vertex x of the result is vertex relabel[i][x] of the input. */
const relabeled = (a: ArrayLike<number>) => {
  const b = new Int32Array(G * v * v);
  for (let i = 0; i < G; i++) {
    const q = relabel[i];
    for (let x = 0; x < v; x++) for (let y = 0; y < v; y++) b[i * v * v + x * v + y] = a[i * v * v + q[x] * v + q[y]];
  }
  return b;
};

const models = {
  'points.mjs': `export default function (x, { n, d }) {
  const y = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let a = 0; a < d; a++) y[r * d + a] = x[r * d + a] + 0.1 * Math.sin(3 * x[r * d + ((a + 1) % d)]) + 0.05 * a;
  return y;
}`,
  'stacked.mjs': `export const batchModel = true;
export default function ({ data, dim, offsets, count }) {
  const y = new Float64Array(data.length);
  for (let i = 0; i < count; i++) for (let r = offsets[i]; r < offsets[i + 1]; r++) for (let a = 0; a < dim; a++) y[r * dim + a] = Math.tanh(data[r * dim + a]) * (1 + r - offsets[i]);
  return y;
}`,
  'moments.mjs': `export const batchModel = true;
export default function ({ data, dim, offsets, count }) {
  const y = new Float64Array(2 * count);
  for (let i = 0; i < count; i++) for (let v = offsets[i] * dim; v < offsets[i + 1] * dim; v++) { y[2 * i] += data[v] * data[v]; y[2 * i + 1] += Math.tanh(data[v]); }
  return y;
}`,
  'nodes.mjs': `export default (a, { n }) => {
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += a[i * n + j] * (j + 1); y[2 * i] = s; y[2 * i + 1] = i * i; }
  return y;
};`,
  'edges.mjs': `export default (a, { n }) => a.map((w, e) => w * (e % n + 1) + Math.floor(e / n));`,
  'picky.mjs': `export default (x, { n }) => {
  if (n === 5) throw new Error('five points are refused');
  return n === 6 ? [1, 2] : [x.reduce((s, v) => s + v * v, 0), n, 1];
};`,
  'slow.mjs': `export default async (x) => { await new Promise((r) => setTimeout(r, 40)); return x; };`,
  'nodefault.mjs': `export const model = (x) => x;`,
  'broken.mjs': `export default (x) => x +;`,
};

beforeAll(async () => {
  for (const [name, text] of Object.entries(models)) writeFileSync(at(name), text);
  await save('x.npy', 'float64', [N, n, 3], X);
  await save('rows.npy', 'float64', [offsets[sizes.length], 3], R);
  await save('offsets.npy', 'int64', [sizes.length + 1], offsets);
  await save('sizes.npy', 'int32', [sizes.length], sizes);
  // each dataset followed by its transformed copy: one run computes both halves
  await save('pair.npy', 'float64', [2 * N, n, 3], [...X, ...GX]);
  await save('pair-rows.npy', 'float64', [2 * offsets[sizes.length], 3], [...R, ...GR]);
  await save('pair-sizes.npy', 'int32', [2 * sizes.length], [...sizes, ...sizes]);
  await save('pair-graphs.npy', 'int32', [2 * G, v, v], [...graphs, ...relabeled(graphs)]);
  // NumPy's own files: big-endian, float32, a compressed member, small weighted graphs (and relabeled copies) for ONNX
  execFileSync(PYTHON, ['-c', `
import numpy as np
x = np.load('x.npy')
np.save('x-be.npy', x.astype('>f8'))
np.save('x-f4.npy', x.astype('<f4'))
np.savez_compressed('data.npz', positions=x, unused=np.zeros(3))
rng = np.random.default_rng(3)
a = np.triu((rng.random((10, 3, 3)) < 0.6).astype(np.float64), 1)
a = a + a.transpose(0, 2, 1) + np.eye(3) * rng.integers(0, 2, (10, 1, 1))
p = np.array([rng.permutation(3) for _ in range(10)])
np.save('small-pair.npy', np.concatenate([a, np.stack([a[i][np.ix_(p[i], p[i])] for i in range(10)])]))
np.save('small-perm.npy', p.astype(np.int32))
`], { cwd: dir });
});

/** The largest relative difference of a and b over the inputs, input i being values starts[i] .. starts[i+1]-1. */
function worst(a: Float64Array, b: Float64Array, starts: number[]): number {
  let e = 0;
  for (let i = 0; i + 1 < starts.length; i++) e = Math.max(e, relativeError(a.subarray(starts[i], starts[i + 1]), b.subarray(starts[i], starts[i + 1])));
  return e;
}
const equalStarts = (count: number, size: number) => Array.from({ length: count + 1 }, (_, i) => i * size);
/** The results of a dataset and of its transformed copy, from one run on the pair. */
const halves = (a: Float64Array) => [a.subarray(0, a.length / 2), a.subarray(a.length / 2)];
const asBytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const setStarts = offsets.map((o) => o * 3);
const codes = (bad: (i: number) => number, count: number) => Array.from({ length: count }, (_, i) => bad(i));

describe('minframe canonicalize', () => {
  it('SE(3): canonical forms do not change under each input\'s rigid motion, the frames map them back, chunks change no bit', async () => {
    const r = await run(['canonicalize', '--group', 'SE(3)', '--input', 'pair.npy', '--output', 'c.npy', '--frames', 'f.npz', '--threads', '2', '--chunk', '5']);
    ok(r);
    expect(r.stdout).toMatch(/minframe canonicalize: 48 inputs under SE\(3\) in [\d.]+ s, \d+ inputs\/s on 2 worker threads; wrote c\.npy, f\.npz, f\.errors\.txt/);
    const c = await load('c.npy');
    expect(c.shape).toEqual([2 * N, n, 3]);
    const [cx, cgx] = halves(c.v);
    expect(worst(cx, cgx, equalStarts(N, n * 3))).toBeLessThan(1e-10);
    const [m, t, ranks, fsizes, errors] = await Promise.all(['matrices', 'shifts', 'ranks', 'sizes', 'errors'].map((k) => load(`${at('f.npz')}:${k}`)));
    expect([m.shape, t.shape, ranks.shape]).toEqual([[2 * N, 3, 3], [2 * N, 3], [2 * N]]);
    expect([...ranks.v, ...fsizes.v, ...errors.v]).toEqual([...new Array(2 * N).fill(3), ...new Array(2 * N).fill(1), ...new Array(2 * N).fill(0)]);
    const pair = Float64Array.from([...X, ...GX]);
    const back = new Float64Array(pair.length);
    for (let i = 0; i < 2 * N; i++) back.set(actRows(m.v.subarray(9 * i, 9 * i + 9), c.v.subarray(i * n * 3, (i + 1) * n * 3), n, 3, t.v.subarray(3 * i, 3 * i + 3)), i * n * 3);
    expect(worst(back, pair, equalStarts(2 * N, n * 3))).toBeLessThan(1e-12);
    expect(readFileSync(at('f.errors.txt'), 'utf8')).toBe('');
    // streamed in chunks of 5 inputs on the workers: the library's in-memory bits
    const mem = canonicalizeBatch('SE(3)', { data: pair, dim: 3, count: 2 * N });
    expect(asBytes(c.v).equals(asBytes(mem.canonical))).toBe(true);
    expect(asBytes(m.v).equals(asBytes(mem.matrices))).toBe(true);
    expect(asBytes(t.v).equals(asBytes(mem.shifts))).toBe(true);
  });

  it('S(n) x O(3) on ragged sets: invariant under permutations and rotations; an empty set is recorded, not fatal', async () => {
    const r = await run(['canonicalize', '--group', 'S(n)×O(3)', '--input', 'pair-rows.npy', '--sizes', 'pair-sizes.npy', '--output', 'pc.npy', '--frames', 'pf.npz', '--threads', '2']);
    ok(r);
    expect(r.stdout).toMatch(/2 inputs failed \(codes in pf\.npz, messages in pf\.errors\.txt\); first: input 3: has no rows; every input needs n >= 1; input 13: has no rows/);
    const c = await load('pc.npy');
    expect(c.shape).toEqual([2 * offsets[sizes.length], 3]);
    const [cr, cgr] = halves(c.v);
    expect(worst(cr, cgr, setStarts)).toBeLessThan(1e-10);
    const [m, perm, errors] = await Promise.all(['matrices', 'permutations', 'errors'].map((k) => load(`${at('pf.npz')}:${k}`)));
    expect(Array.from(errors.v)).toEqual(codes((i) => (sizes[i % sizes.length] === 0 ? 1 : 0), 2 * sizes.length));
    expect(readFileSync(at('pf.errors.txt'), 'utf8')).toBe('input 3: has no rows; every input needs n >= 1\ninput 13: has no rows; every input needs n >= 1\n');
    // canonical row k of input i is its row permutations[offsets[i] + k], rotated: X_i[p] = c_i·Mᵀ
    for (let i = 0; i < sizes.length; i++) {
      if (sizes[i] === 0) continue;
      const p = Int32Array.from(perm.v.subarray(offsets[i], offsets[i + 1]));
      const rows = permuteRows(p, R.subarray(offsets[i] * 3, offsets[i + 1] * 3), 3);
      expect(relativeError(actRows(m.v.subarray(9 * i, 9 * i + 9), cr.subarray(offsets[i] * 3, offsets[i + 1] * 3), sizes[i], 3), rows)).toBeLessThan(1e-12);
    }
    // with int64 offsets, one input per chunk: the library's in-memory bits
    ok(await run(['canonicalize', '--group', 'S(n) x O(3)', '--input', 'rows.npy', '--offsets', 'offsets.npy', '--output', 'spc.npy', '--frames', 'spf.npz', '--chunk', '1', '--threads', '2']));
    const mem = canonicalizeBatch('S(n) x O(3)', { data: R, dim: 3, offsets }, { errors: 'status' });
    expect(asBytes((await load('spc.npy')).v).equals(asBytes(mem.canonical))).toBe(true);
    expect(Array.from((await load(`${at('spf.npz')}:permutations`)).v)).toEqual(Array.from(mem.permutations));
  });

  it('graphs: canonical adjacency identical under relabeling, dense and ragged; an asymmetric matrix is recorded', async () => {
    // ragged: the same graphs trimmed to their first keep[i] vertices
    const keep = [4, 7, 5, 6, 7, 7, 4, 7, 6, 5, 7, 3];
    const blocks = keep.flatMap((k, i) => Array.from({ length: k * k }, (_, e) => graphs[i * v * v + Math.floor(e / k) * v + (e % k)]));
    await save('flat.npy', 'int32', [blocks.length], blocks);
    await save('keep.npy', 'int32', [G], keep);
    const runs = await Promise.all([
      run(['canonicalize', '--group', 'graph', '--input', 'pair-graphs.npy', '--output', 'gr.npy', '--frames', 'grf.npz', '--threads', '2']),
      run(['canonicalize', '--group', 'graph', '--input', 'flat.npy', '--sizes', 'keep.npy', '--output', 'fr.npy', '--frames', 'frf.npz', '--threads', '0']),
    ]);
    runs.forEach(ok);
    const cg = await load('gr.npy');
    expect(cg.shape).toEqual([2 * G, v, v]);
    expect(Array.from((await load(`${at('grf.npz')}:errors`)).v)).toEqual(codes((i) => (i % G === 5 ? 1 : 0), 2 * G));
    expect(readFileSync(at('grf.errors.txt'), 'utf8')).toMatch(/^input 5: graph adjacency must be symmetric.*\ninput 17: graph adjacency must be symmetric/);
    const perm = await load(`${at('grf.npz')}:permutations`);
    const [ca, cb] = halves(cg.v);
    for (let i = 0; i < G; i++) {
      if (i === 5) continue;
      const blk = (a: Float64Array) => Array.from(a.subarray(i * v * v, (i + 1) * v * v));
      expect(blk(cb)).toEqual(blk(ca));
      const p = perm.v.subarray(i * v, (i + 1) * v);
      expect(blk(ca)).toEqual(Array.from({ length: v * v }, (_, e) => graphs[i * v * v + p[Math.floor(e / v)] * v + p[e % v]]));
    }
    // ragged: each block's canonical form is P·A·Pᵀ with its own permutation
    const fr = await load('fr.npy');
    const fperm = await load(`${at('frf.npz')}:permutations`);
    expect((await load(`${at('frf.npz')}:orbits`)).shape).toEqual([keep.reduce((s, k) => s + k, 0)]);
    let e0 = 0, v0 = 0;
    for (let i = 0; i < G; i++) {
      const k = keep[i];
      if (i !== 5) {
        const p = fperm.v.subarray(v0, v0 + k);
        expect(Array.from(fr.v.subarray(e0, e0 + k * k))).toEqual(Array.from({ length: k * k }, (_, e) => blocks[e0 + p[Math.floor(e / k)] * k + p[e % k]]));
      }
      e0 += k * k;
      v0 += k;
    }
  });

  it('big-endian, float32 and compressed .npz inputs (made by NumPy) give the library\'s bits', async () => {
    const runs = await Promise.all([['x-be.npy', 'be.npy'], ['data.npz:positions', 'npz.npy'], ['x-f4.npy', 'f4.npy']].map(([input, output]) =>
      run(['canonicalize', '--group', 'SE(3)', '--input', input, '--output', output, '--threads', '0', '--quiet'])));
    runs.forEach(ok);
    const out = (f: string) => bytes(f).subarray(128);
    const f64 = canonicalizeBatch('SE(3)', { data: X, dim: 3, count: N }).canonical;
    const f32 = canonicalizeBatch('SE(3)', { data: Float32Array.from(X), dim: 3, count: N }).canonical;
    expect(out('be.npy').equals(asBytes(f64))).toBe(true);
    expect(out('npz.npy').equals(asBytes(f64))).toBe(true);
    expect(out('f4.npy').equals(asBytes(f32))).toBe(true);
  });
});

describe('minframe average', () => {
  const points = ['--group', 'SE(3)', '--mode', 'equivariant', '--output-kind', 'points', '--input', 'pair.npy'];
  it('SE(3): a model module and the ONNX model, equivariant (points) and invariant, on the workers', async () => {
    const runs = await Promise.all([
      run(['average', ...points, '--model', 'points.mjs', '--output', 'y.npy', '--frames', 'yf.npz', '--threads', '2', '--chunk', '5']),
      run(['average', ...points, '--model', onnx, '--output', 'oy.npy', '--threads', '0']),
      run(['average', ...points, '--model', onnx, '--output', 'oy2.npy', '--threads', '2', '--chunk', '5']),
      run(['average', ...points, '--model', onnx, '--model-runtime', 'onnxruntime-web', '--output', 'oyw.npy', '--threads', '2']),
      run(['average', '--group', 'SE(3)', '--mode', 'invariant', '--model', onnx, '--model-output', 'summary', '--input', 'pair.npy', '--output', 'oi.npy', '--threads', '2', '--chunk', '7']),
    ]);
    runs.forEach(ok);
    const starts = equalStarts(N, n * 3);
    const [y, gy] = halves((await load('y.npy')).v);
    expect(worst(moved(y), gy, starts)).toBeLessThan(1e-12);
    const [oy, goy] = halves((await load('oy2.npy')).v);
    expect(worst(moved(oy), goy, starts)).toBeLessThan(1e-5); // a float32 model
    // a session per worker, chunks of 5: the bits of one session on this thread; the other runtime to float32 round-off
    expect(bytes('oy2.npy').equals(bytes('oy.npy'))).toBe(true);
    expect(relativeError((await load('oyw.npy')).v, (await load('oy.npy')).v)).toBeLessThan(1e-6);
    const oi = await load('oi.npy');
    expect(oi.shape).toEqual([2 * N, 4]);
    const [i1, i2] = halves(oi.v);
    expect(worst(i1, i2, equalStarts(N, 4))).toBeLessThan(1e-5);
    expect(Array.from((await load(`${at('yf.npz')}:errors`)).v)).toEqual(new Array(2 * N).fill(0));
    // streamed in chunks of 5 on the workers: the library's in-memory bits
    const model = (await import(pathToFileURL(at('points.mjs')).href)).default as Model;
    const mem = await equivariant('SE(3)', model, { output: 'points' }).batch({ data: Float64Array.from([...X, ...GX]), dim: 3, count: 2 * N });
    expect(bytes('y.npy').subarray(128).equals(asBytes(mem.data))).toBe(true);
  });

  it('S(n) x O(3) on ragged sets: a batch-model module, the ONNX model (a session call per set size), an invariant batch-model module', async () => {
    const common = ['--group', 'S(n) x O(3)', '--mode', 'equivariant', '--input', 'pair-rows.npy', '--sizes', 'pair-sizes.npy', '--threads', '0'];
    const runs = await Promise.all([
      run(['average', ...common, '--model', 'stacked.mjs', '--output', 'sy.npy', '--frames', 'syf.npz']),
      run(['average', ...common, '--model', onnx, '--output', 'osy.npy']),
      run(['average', ...common.map((a) => (a === 'equivariant' ? 'invariant' : a)), '--model', 'moments.mjs', '--output', 'si.npy']),
    ]);
    runs.forEach(ok);
    // an invariant batch model: k = 2 values per set, the same for both halves (NaN for the empty sets)
    const si = await load('si.npy');
    expect(si.shape).toEqual([2 * sizes.length, 2]);
    const [si1, si2] = halves(si.v);
    si1.forEach((v, j) => (sizes[j >> 1] === 0 ? expect([v, si2[j]].every(Number.isNaN)).toBe(true) : expect(Math.abs(v - si2[j])).toBeLessThan(1e-12 * (1 + Math.abs(v)))));
    const [sy, gsy] = halves((await load('sy.npy')).v);
    expect(worst(permutedSets(sy), gsy, setStarts)).toBeLessThan(1e-12);
    const [osy, gosy] = halves((await load('osy.npy')).v);
    expect(worst(permutedSets(osy), gosy, setStarts)).toBeLessThan(1e-5);
    expect(Array.from((await load(`${at('syf.npz')}:errors`)).v)).toEqual(codes((i) => (sizes[i % sizes.length] === 0 ? 1 : 0), 2 * sizes.length));
  });

  it('graphs: node and edge outputs equivariant under relabeling, a module and the ONNX model on 3-vertex graphs', async () => {
    const common = ['--group', 'graph', '--mode', 'equivariant', '--input', 'pair-graphs.npy', '--threads', '0'];
    const runs = await Promise.all([
      run(['average', ...common, '--model', 'nodes.mjs', '--output', 'ny.npy', '--frames', 'nyf.npz']),
      run(['average', ...common, '--output-kind', 'edges', '--model', 'edges.mjs', '--output', 'ey.npy']),
      run(['average', '--group', 'weighted-graph', '--mode', 'equivariant', '--output-kind', 'nodes', '--model', onnx, '--input', 'small-pair.npy', '--output', 'wy.npy', '--threads', '0']),
    ]);
    runs.forEach(ok);
    const [nyAll, eyAll] = await Promise.all(['ny.npy', 'ey.npy'].map(load));
    expect([nyAll.shape, eyAll.shape]).toEqual([[2 * G, v, 2], [2 * G, v, v, 1]]);
    expect(Array.from((await load(`${at('nyf.npz')}:errors`)).v)).toEqual(codes((i) => (i % G === 5 ? 1 : 0), 2 * G));
    const [ny, gny] = halves(nyAll.v);
    const [ey, gey] = halves(eyAll.v);
    for (let i = 0; i < G; i++) {
      const q = relabel[i];
      for (let x = 0; x < v; x++) {
        if (i === 5) {
          expect(gny[(i * v + x) * 2]).toBeNaN();
          continue;
        }
        // relabeled vertex x is vertex q[x] of the original
        expect([gny[(i * v + x) * 2], gny[(i * v + x) * 2 + 1]]).toEqual([ny[(i * v + q[x]) * 2], ny[(i * v + q[x]) * 2 + 1]]);
        for (let y = 0; y < v; y++) expect(gey[i * v * v + x * v + y]).toBe(ey[i * v * v + q[x] * v + q[y]]);
      }
    }
    const [wyAll, p] = await Promise.all(['wy.npy', 'small-perm.npy'].map(load));
    expect(wyAll.shape).toEqual([20, 3, 3]);
    const [wy, gwy] = halves(wyAll.v);
    for (let i = 0; i < 10; i++) {
      // the same canonical form, the same float32 outputs, averaged over the same orbits: equal bits
      for (let x = 0; x < 3; x++) expect(Array.from(gwy.subarray(9 * i + 3 * x, 9 * i + 3 * x + 3))).toEqual(Array.from(wy.subarray(9 * i + 3 * p.v[3 * i + x], 9 * i + 3 * p.v[3 * i + x] + 3)));
    }
  });

  it('per-input model failures and outputs of the wrong width are recorded with codes, the rest is computed', async () => {
    const r = await run(['average', '--group', 'SE(3)', '--mode', 'invariant', '--model', 'picky.mjs', '--input', 'rows.npy', '--sizes', 'sizes.npy', '--output', 'pi.npy', '--frames', 'pif.npz', '--threads', '0', '--chunk', '3']);
    ok(r);
    const got = Array.from((await load(`${at('pif.npz')}:errors`)).v);
    expect(got).toEqual(sizes.map((s) => (s === 0 ? 1 : s === 5 ? 3 : s === 6 ? 2 : 0)));
    const text = readFileSync(at('pif.errors.txt'), 'utf8');
    expect(text).toMatch(/^input 0: the model failed: five points are refused$/m);
    expect(text).toMatch(/^input 4: the model returned 2 values; invariant outputs need 3 \(1·k, with k = 3 as for the first output\)$/m);
    expect(text.trim().split('\n')).toHaveLength(got.filter((c) => c > 0).length);
    const out = await load('pi.npy');
    expect(out.shape).toEqual([sizes.length, 3]);
    // input 1 (3 points): [Σ c², n, 1] of its canonical form; input 0 failed: NaN
    expect(Array.from(out.v.subarray(4, 6))).toEqual([3, 1]);
    expect(out.v[3]).toBeGreaterThan(0);
    expect(Array.from(out.v.subarray(0, 3)).every(Number.isNaN)).toBe(true);
    expect(r.stdout).toMatch(/5 inputs failed/);
  });
});

describe('shards', () => {
  const args = (extra: string[]) => ['canonicalize', '--group', 'S(n) x O(3)', '--input', 'rows.npy', '--offsets', 'offsets.npy', '--threads', '0', '--quiet', ...extra];
  it('three shards joined by concat are the unsharded run, byte for byte; --shard auto under Slurm and Kubernetes', async () => {
    const runs = await Promise.all([
      run(args(['--output', 'whole.npy', '--frames', 'whole.npz'])),
      ...[0, 1, 2].map((i) => run(args(['--shard', `${i}/3`, '--output', 'part-{shard}.npy', '--frames', 'part-{shard}.npz']))),
      run(args(['--shard', 'auto', '--output', 'slurm.npy', '--frames', 'slurm.npz']), { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '4', SLURM_ARRAY_TASK_COUNT: '3' }),
      run(args(['--shard', 'auto', '--shard-count', '3', '--output', 'k8s.npy']), { JOB_COMPLETION_INDEX: '2' }),
    ]);
    runs.forEach(ok);
    const joined = await Promise.all([
      run(['concat', '--output', 'joined.npy', 'part-0.npy', 'part-1.npy', 'part-2.npy']),
      run(['concat', '--output', 'joined.npz', 'part-0.npz', 'part-1.npz', 'part-2.npz']),
    ]);
    joined.forEach(ok);
    expect(bytes('joined.npy').equals(bytes('whole.npy'))).toBe(true);
    expect(bytes('joined.npz').equals(bytes('whole.npz'))).toBe(true);
    expect(bytes('joined.errors.txt').equals(bytes('whole.errors.txt'))).toBe(true);
    expect(readFileSync(at('whole.errors.txt'), 'utf8')).toBe('input 3: has no rows; every input needs n >= 1\n');
    // shard 1 of 3 holds inputs 3..5 (its errors keep their index in the whole dataset)
    expect((await load('part-1.npy')).shape).toEqual([offsets[6] - offsets[3], 3]);
    expect(readFileSync(at('part-1.errors.txt'), 'utf8')).toBe('input 3: has no rows; every input needs n >= 1\n');
    expect(bytes('slurm.npy').equals(bytes('part-1.npy'))).toBe(true);
    expect(bytes('slurm.npz').equals(bytes('part-1.npz'))).toBe(true);
    expect(bytes('k8s.npy').equals(bytes('part-2.npy'))).toBe(true);
  });
});

describe('errors and exit status', () => {
  it('usage errors exit with 2 and name the problem', async () => {
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [[], /^usage: minframe bunny/],
      [['shuffle'], /unknown command 'shuffle'/],
      [['bunny', '--copies', 'many'], /unknown or invalid option '--copies many'/],
      [['canonicalize', '--bogus'], /unknown option '--bogus'; see minframe canonicalize --help/],
      [['canonicalize', '--input', 'x.npy', '--output', 'o.npy'], /minframe canonicalize needs --group/],
      [['canonicalize', '--group', 'Q(3)', '--input', 'x.npy', '--output', 'o.npy'], /unknown group 'Q\(3\)'/],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output', 'o.npy', '--shard', '3/3'], /shard 3 of 3 does not exist/],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output', 'o.npy', '--shard', 'half'], /--shard must be i\/N \(0 <= i < N\) or auto, got 'half'/],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output', 'o.npy', '--shard', 'auto'], /--shard auto needs a Slurm array job/],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output', 'o.npy', '--shard', 'auto'], /needs --shard-count N/, { JOB_COMPLETION_INDEX: '0' }],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output', 'o.npy', '--shard', 'auto'], /SLURM_ARRAY_TASK_COUNT must be a whole number, got nothing/, { SLURM_ARRAY_TASK_ID: '0' }],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output', 'o-{shard}.npy'], /'\{shard\}' in o-\{shard\}\.npy needs --shard/],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output', 'o.npy', '--offsets', 'a', '--sizes', 'b'], /give --offsets or --sizes, not both/],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output', 'o.npy', '--threads', '-1'], /option --threads must be a whole number >= 0, got '-1'/],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output', 'o.npy', '--tol', '2'], /option --tol must be a number in \[0, 1\), got '2'/],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output'], /option --output needs a value/],
      [['average', '--group', 'SE(3)', '--input', 'x.npy', '--output', 'o.npy', '--model', 'points.mjs'], /needs --mode equivariant or --mode invariant/],
      [['average', '--group', 'SE(3)', '--mode', 'equivariant', '--output-kind', 'edges', '--input', 'x.npy', '--output', 'o.npy', '--model', 'points.mjs'], /option --output-kind must be vectors or points, got 'edges'/],
      [['average', '--group', 'SO(3)', '--mode', 'equivariant', '--output-kind', 'points', '--input', 'x.npy', '--output', 'o.npy', '--model', 'points.mjs'], /must be vectors, got 'points'/],
      [['average', '--group', 'SE(3)', '--mode', 'invariant', '--output-kind', 'points', '--input', 'x.npy', '--output', 'o.npy', '--model', 'points.mjs'], /--output-kind applies to --mode equivariant/],
      [['average', '--group', 'SE(3)', '--mode', 'invariant', '--model-output', 'y', '--input', 'x.npy', '--output', 'o.npy', '--model', 'points.mjs'], /--model-input, --model-output and --model-runtime apply to \.onnx models/],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output', 'o.npz'], /--output names the output \.npy, got 'o\.npz'/],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output', 'o.npy', '--frames', 'f.npy'], /--frames names a \.npz, got 'f\.npy'/],
      [['canonicalize', '--group', 'SO(3)', '--input', 'x.npy', '--output', 'x.npy'], /x\.npy is also an input of this run; write the outputs to another file/],
      [['canonicalize', '--group', 'S(n) x O(3)', '--input', 'rows.npy', '--sizes', 'sizes.npy', '--output', `${dir}/./sizes.npy`], /sizes\.npy is also an input of this run/],
      [['average', '--group', 'SE(3)', '--mode', 'invariant', '--input', 'd.npz:x', '--output', 'o.npy', '--frames', 'd.npz', '--model', 'points.mjs'], /d\.npz is also an input of this run/],
      [['concat', '--output', 'o.npy'], /minframe concat needs the files to join/],
      [['concat', '--output', 'o.npy', 'part-0.npz'], /part-0\.npz: join \.npz files into an \.npz output/],
      [['concat', '--output', 'o.txt', 'part-0.npy'], /--output names the joined \.npy or \.npz, got 'o\.txt'/],
      [['concat', '--output', 'part-0.npy', 'part-0.npy', 'part-1.npy'], /part-0\.npy is also an input of this run/],
    ];
    const runs = await Promise.all(cases.map(([a, , env]) => run(a, env)));
    runs.forEach((r, k) => {
      expect(r.status, cases[k][0].join(' ')).toBe(2);
      expect(r.stdout + r.stderr, cases[k][0].join(' ')).toMatch(cases[k][1]);
    });
    expect(existsSync(at('o.npy'))).toBe(false);
  });

  it('bad input exits with 1, names the file, and leaves no output behind', async () => {
    await save('d2.npy', 'float64', [4, 5, 2], new Float64Array(40));
    await save('ints.npy', 'int32', [4, 5, 3], new Int32Array(60));
    await save('rect.npy', 'int32', [4, 5, 3], new Int32Array(60));
    await save('short-offsets.npy', 'int32', [3], [0, 5, 9]);
    await save('down-offsets.npy', 'int32', [4], [0, 5, 4, offsets[sizes.length]]);
    await save('negative.npy', 'int32', [2], [5, -1]);
    writeFileSync(at('cut.npy'), bytes('x.npy').subarray(0, 1000));
    writeFileSync(at('broken.onnx'), readFileSync(onnx).subarray(0, 300));
    const other = await NpzWriter.create(at('other.npz'), [{ name: 'errors', dtype: 'int32', shape: [2] }]);
    await other.write('errors', [0, 1]);
    await other.commit();
    const common = ['--threads', '0', '--output', 'bad.npy', '--frames', 'bad.npz'];
    const canon = (group: string, extra: string[]) => ['canonicalize', '--group', group, ...common, ...extra];
    const avg = (model: string, extra: string[] = []) => ['average', '--group', 'SE(3)', '--mode', 'equivariant', '--model', model, '--input', 'x.npy', ...common, ...extra];
    const cases: [string[], RegExp][] = [
      [canon('SE(3)', ['--input', 'nothing.npy']), /minframe: nothing\.npy: cannot open: no such file or directory/],
      [canon('SE(3)', ['--input', 'd2.npy']), /d2\.npy: SE\(3\) acts on rows of 3 values, got float64 of shape \(4, 5, 2\)/],
      [canon('SE(3)', ['--input', 'ints.npy']), /ints\.npy: point sets must be float64 or float32, got int32/],
      [canon('U(2)', ['--input', 'x.npy']), /U\(2\) acts on rows of 4 values \(d = 2 complex coordinates, re and im\)/],
      [canon('graph', ['--input', 'rect.npy']), /rect\.npy: graph inputs must be \(count, n, n\) adjacency matrices/],
      [canon('SE(3)', ['--input', 'rows.npy', '--offsets', 'short-offsets.npy']), /short-offsets\.npy: the offsets end at row 9, but .*rows\.npy has 47 rows/],
      [canon('SE(3)', ['--input', 'rows.npy', '--offsets', 'down-offsets.npy']), /down-offsets\.npy: offsets must not decrease, got 5 then 4 at 2/],
      [canon('SE(3)', ['--input', 'rows.npy', '--sizes', 'negative.npy']), /negative\.npy: sizes must be >= 0, got -1 at 1/],
      [canon('SE(3)', ['--input', 'rows.npy', '--sizes', 'x.npy']), /x\.npy: sizes must be a 1-D int32 or int64 array, got float64 of shape \(24, 8, 3\)/],
      [canon('SE(3)', ['--input', 'cut.npy']), /cut\.npy: truncated: shape \(24, 8, 3\) of float64 needs 4608 bytes of values, the file has 872/],
      [canon('SE(3)', ['--input', 'data.npz:velocities']), /data\.npz: no array 'velocities' in the archive; it holds positions, unused/],
      [['canonicalize', '--group', 'SE(3)', '--threads', '0', '--input', 'x.npy', '--output', 'no/such/dir.npy'], /no\/such\/dir\.npy: cannot create: no such file or directory/],
      [avg('missing.mjs'), /missing\.mjs: cannot load the model module: Cannot find module/],
      [avg('broken.mjs'), /broken\.mjs: cannot load the model module: Unexpected token/],
      [avg('nodefault.mjs'), /nodefault\.mjs: a model module must `export default` the model function/],
      [avg(onnx, ['--model-output', 'energy']), /model\.onnx has no output 'energy'; its outputs: points, summary/],
      [avg('broken.onnx'), /minframe: broken\.onnx: cannot load as an ONNX model: /],
      [['concat', '--output', 'bad.npy', 'x.npy', 'rows.npy'], /rows\.npy: float64 of shape \(47, 3\) does not join .*x\.npy's float64 of shape \(24, 8, 3\)/],
      [['concat', '--output', 'bad.npz', 'other.npz', 'data.npz'], /data\.npz: holds the arrays positions, unused, but other\.npz holds errors/],
    ];
    const runs = await Promise.all(cases.map(([a]) => run(a)));
    runs.forEach((r, k) => {
      expect(r.status, cases[k][0].join(' ')).toBe(1);
      expect(r.stderr, cases[k][0].join(' ')).toMatch(cases[k][1]);
      expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('minframe:'))).toHaveLength(1);
    });
    expect(readdirSync(dir).filter((f) => f.startsWith('bad.') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('missing ONNX runtimes are a clear error', async () => {
    // the package without its optional peers: dist/ and build/ beside node_modules holding everything else
    const pkg = at('pkg');
    mkdirSync(join(pkg, 'node_modules'), { recursive: true });
    cpSync(join(root, 'dist/node'), join(pkg, 'dist/node'), { recursive: true });
    cpSync(join(root, 'build'), join(pkg, 'build'), { recursive: true });
    for (const m of readdirSync(join(root, 'node_modules'))) if (!m.startsWith('onnxruntime-') && !m.startsWith('.')) symlinkSync(join(root, 'node_modules', m), join(pkg, 'node_modules', m));
    const avg = (extra: string[]) => run(['average', '--group', 'SE(3)', '--mode', 'equivariant', '--model', onnx, '--input', 'x.npy', '--output', 'nort.npy', '--threads', '0', ...extra], {}, join(pkg, 'dist/node/cli.js'));
    const [r, web] = await Promise.all([avg([]), avg(['--model-runtime', 'onnxruntime-web'])]);
    expect([r.status, web.status]).toEqual([1, 1]);
    expect(r.stderr).toMatch(/onnxModel\(\) needs one of the optional peer dependencies onnxruntime-node or onnxruntime-web, which cannot be imported \(onnxruntime-node: .*; onnxruntime-web: .*\); install it with npm install onnxruntime-node/);
    expect(web.stderr).toMatch(/onnxModel\(\) needs the optional peer dependency onnxruntime-web, which cannot be imported .*; install it with npm install onnxruntime-web/);
    expect(existsSync(at('nort.npy'))).toBe(false);
  });

  it('a killed run leaves nothing under the output\'s name (SIGTERM also removes its temporary files)', async () => {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const child = spawn(process.execPath, [cli, 'average', '--group', 'SE(3)', '--mode', 'equivariant', '--model', 'slow.mjs', '--input', 'x.npy', '--output', 'killed.npy', '--frames', 'killed.npz', '--threads', '0', '--chunk', '2'], { cwd: dir });
      const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const until = Date.now() + 10_000;
      while (leftovers().length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(leftovers().length).toBe(3); // the output, the frames and the errors text, all still temporary
      child.kill(signal);
      const code = await closed;
      expect(readdirSync(dir).filter((f) => f.startsWith('killed.'))).toEqual([]);
      if (signal === 'SIGTERM') {
        expect(code).toBe(143);
        expect(leftovers()).toEqual([]);
      }
      for (const f of leftovers()) rmSync(at(f));
    }
  });
});

describe('progress and help', () => {
  it('plain lines when stderr is not a terminal, nothing with --quiet, help for every command', async () => {
    const [plain, quiet, ...helps] = await Promise.all([
      run(['canonicalize', '--group', 'SE(3)', '--input', 'x.npy', '--output', 'p.npy', '--threads', '0', '--chunk', '5']),
      run(['canonicalize', '--group', 'SE(3)', '--input', 'x.npy', '--output', 'q.npy', '--threads', '0', '--quiet']),
      ...['bunny', 'canonicalize', 'average', 'concat'].map((c) => run([c, '--help'])),
      run(['--help']),
    ]);
    expect(plain.stderr).toMatch(/^canonicalize: 100% \(24\/24 inputs\), \d+ inputs\/s\n$/);
    expect(quiet.stdout + quiet.stderr).toBe('');
    helps.forEach((h) => ok(h));
    expect(helps.map((h) => /^usage: minframe (\w+)/.exec(h.stdout)?.[1])).toEqual(['bunny', 'canonicalize', 'average', 'concat', 'bunny']);
    expect(helps[4].stdout).toMatch(/Exit status: 0 done \(inputs that\nfailed included/);
  });
  it.skipIf(spawnSync('script', ['--version']).status !== 0)('a progress bar with throughput and ETA on a terminal', () => {
    const cmd = [process.execPath, cli, 'canonicalize', '--group', "'SE(3)'", '--input', 'x.npy', '--output', 'tty.npy', '--threads', '0', '--chunk', '4'].join(' ');
    const out = execFileSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, encoding: 'utf8' });
    expect(out).toMatch(/canonicalize \[[█░]+\] 100% \| 24\/24 inputs \| \d+ inputs\/s \| ETA 0s/);
  });
  // reads what the tests above wrote
  it('np.load reads the outputs and frames', () => {
    const out = execFileSync(PYTHON, ['-c', `
import numpy as np
f = np.load('pf.npz'); g = np.load('grf.npz')
print(np.load('c.npy').shape, sorted(np.load('f.npz').keys()), f['permutations'].shape, f['permutations'].dtype, sorted(g.keys()), np.load('ny.npy').shape)
`], { cwd: dir, encoding: 'utf8' });
    expect(out.trim()).toBe(`(48, 8, 3) ['errors', 'matrices', 'ranks', 'shifts', 'sizes'] (${2 * offsets[sizes.length]},) int32 ['errors', 'orbits', 'permutations', 'sizes'] (24, 7, 2)`);
  });
});
