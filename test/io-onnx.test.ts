/**
 * onnxModel: the ONNX fixture (test/fixtures/onnx/make.py) as a batch model — a
 * ragged batch runs one session call per size and equals one input at a time, the
 * input and output options pick tensors, bad models and options are refused with
 * the library's error classes, and averaged through equivariant() / invariant() it
 * is exactly equivariant / invariant up to the model's float32 rounding. Given by
 * its path or URL with an engine, it runs on the workers (a session each) with the
 * bits of the inline run; onnxruntime-node and onnxruntime-web agree to float32
 * round-off.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createEngine, equivariant, FileFormatError, invariant, ModelError, onnxModel, OptionRangeError, type BatchModel } from '../src/index.js';
import { actRows, gaussian, gaussianMatrix, haarOrthogonal, relativeError, rng } from '../src/testing/index.js';
import { raggedBatch } from './batches.js';

const file = fileURLToPath(new URL('./fixtures/onnx/model.onnx', import.meta.url));
const points = await onnxModel(file);
const summary = await onnxModel(readFileSync(file), { input: 'x', output: 'summary' });
const web = await onnxModel(file, { runtime: 'onnxruntime-web' });
const dir = mkdtempSync(join(tmpdir(), 'minframe-onnx-'));
afterAll(async () => {
  await Promise.all([points.release(), summary.release(), web.release()]);
  rmSync(dir, { recursive: true, force: true });
});

const normal = gaussian(rng(31));

describe('onnxModel', () => {
  it('names its tensors; a ragged batch equals its inputs one at a time', async () => {
    expect([points.inputName, points.outputName, summary.outputName]).toEqual(['x', 'points', 'summary']);
    const offsets = Int32Array.of(0, 4, 9, 13, 20, 24); // sizes 4, 5, 4, 7, 4
    const data = gaussianMatrix(normal, 24, 3);
    const batch = { data, dim: 3, offsets, count: 5 };
    const all = await points(batch);
    const inv = await summary(batch);
    expect([all.length, inv.length]).toEqual([72, 20]);
    for (let i = 0; i < 5; i++) {
      const one = { data: data.slice(offsets[i] * 3, offsets[i + 1] * 3), dim: 3, offsets: Int32Array.of(0, offsets[i + 1] - offsets[i]), count: 1 };
      expect(Array.from(await points(one))).toEqual(Array.from(all.subarray(offsets[i] * 3, offsets[i + 1] * 3)));
      expect(Array.from(await summary(one))).toEqual(Array.from(inv.subarray(4 * i, 4 * i + 4)));
    }
    // the model itself: x + 0.1·sin(x·W), so the output is near the input
    expect(relativeError(all, data)).toBeLessThan(0.2);
    expect((await points({ data: new Float64Array(0), dim: 3, offsets: Int32Array.of(0), count: 0 })).length).toBe(0);
  });
  it('refuses what it cannot run', async () => {
    await expect(onnxModel(file, { output: 'energy' })).rejects.toThrow(OptionRangeError);
    await expect(onnxModel(file, { output: 'energy' })).rejects.toThrow(/model\.onnx has no output 'energy'; its outputs: points, summary/);
    await expect(onnxModel(file, { input: 'y' })).rejects.toThrow(/has no input 'y'; its inputs: x/);
    await expect(onnxModel(file, { threads: 0 })).rejects.toThrow(/threads must be a whole number >= 1/);
    await expect(onnxModel('/no/such/model.onnx')).rejects.toThrow(FileFormatError);
    await expect(onnxModel('/no/such/model.onnx')).rejects.toThrow(/model\.onnx: cannot read: no such file or directory/);
    await expect(onnxModel(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(/the ONNX model \(bytes\): cannot load as an ONNX model/);
    await expect(onnxModel(42 as unknown as Uint8Array)).rejects.toThrow(/takes a path, URL, Uint8Array or ArrayBuffer, got number/);
    await expect(onnxModel(file, { runtime: 'onnxruntime-gpu' as 'onnxruntime-web' })).rejects.toThrow(/runtime must be 'onnxruntime-node' or 'onnxruntime-web', the URL of an ONNX Runtime ES module or the module, got string/);
    await expect(onnxModel(file, { runtime: new URL('./fixtures/onnx/none.mjs', import.meta.url) })).rejects.toThrow(/onnxModel\(\) cannot import the ONNX Runtime module file:.*none\.mjs \(/);
    // d = 2 does not fit the model's [batch, n, 3] input: the run fails, naming the input
    const bad = points({ data: new Float64Array(8), dim: 2, offsets: Int32Array.of(0, 2, 4), count: 2 });
    await expect(bad).rejects.toThrow(ModelError);
    await expect(points({ data: new Float64Array(8), dim: 2, offsets: Int32Array.of(0, 2, 4), count: 2 })).rejects.toThrow(/^input 0: the model failed/);
  });
  it('averaged: O(3)-equivariant and invariant up to float32 rounding', async () => {
    const n = 6;
    const x = gaussianMatrix(normal, n, 3);
    const g = haarOrthogonal(normal, 3);
    const gx = actRows(g, x, n, 3);
    const f = equivariant('O(3)', points as BatchModel, { batchModel: true });
    const y = await f(x, { n, d: 3 });
    expect(relativeError(await f(gx, { n, d: 3 }), actRows(g, y, n, 3))).toBeLessThan(1e-6);
    // invariant() calls its model per input: the batch model on a batch of one
    const h = invariant('O(3)', (c, { n: m, d }) => summary({ data: c, dim: d, offsets: Int32Array.of(0, m), count: 1 }));
    expect(relativeError(await h(gx, { n, d: 3 }), await h(x, { n, d: 3 }))).toBeLessThan(1e-6);
  });
});

describe('the two runtimes', () => {
  it('onnxruntime-node by default in Node; onnxruntime-web gives the same outputs to float32 round-off', async () => {
    // the module itself, or its URL (as browser workers name it): the same onnxruntime-web
    const given = await Promise.all([onnxModel(file, { runtime: await import('onnxruntime-web') }), onnxModel(file, { runtime: new URL('../node_modules/onnxruntime-web/dist/ort.node.min.mjs', import.meta.url) })]);
    expect([points.runtime, web.runtime, ...given.map((m) => m.runtime)]).toEqual(['onnxruntime-node', 'onnxruntime-web', null, null]);
    const b = raggedBatch(40, 9, 3);
    const batch = { ...b, count: 40 };
    const [a, w] = await Promise.all([points(batch), web(batch)]);
    expect(a.length).toBe(b.data.length);
    expect(relativeError(w, a)).toBeLessThan(1e-6);
    for (const m of given) {
      expect(Array.from(await m(batch))).toEqual(Array.from(w));
      await m.release();
    }
    // one input, as invariant() and the graph groups call it: the batch of one
    const x = b.data.subarray(0, b.offsets[1] * 3);
    expect(Array.from(await points(x, { n: b.offsets[1], d: 3 }))).toEqual(Array.from(a.subarray(0, x.length)));
  });
});

describe('ONNX models on the workers', () => {
  const b = raggedBatch(30, 8, 5);
  b.data[b.offsets[4] * 3 + 1] = NaN; // a bad input: NaN outputs and its error, on every path
  const batch = { ...b, count: 30 };
  const url = pathToFileURL(file);

  it('a session per worker: the same bits on 0, 1 and 2 threads with the same chunks, the inline run\'s to float32 rounding (stacked) or bits (per input)', async () => {
    const inv = new URL('#output=summary', url);
    const want = await equivariant('S(n) x O(3)', file, {}).batch(batch, { errors: 'status' });
    let first: Float64Array | null = null;
    const wantInv = await invariant('O(3)', inv).batch(batch, { errors: 'status' });
    expect(want.errors.filter((e) => e !== null)).toHaveLength(1);
    expect(wantInv.outputs[0]).toHaveLength(4);
    expect(Array.from(want.data.subarray(b.offsets[4] * 3, b.offsets[5] * 3)).every(Number.isNaN)).toBe(true);
    for (const threads of [0, 1, 2]) {
      const engine = await createEngine({ threads, chunkSize: 7 });
      try {
        const got = await equivariant('S(n) x O(3)', url, { engine }).batch(batch, { errors: 'status' });
        // a session's kernels round by how many inputs a call stacks, so chunks of 7 and
        // the inline run's one call differ in float32's last bits; the same chunks do not
        first ??= got.data;
        expect(new Uint8Array(got.data.buffer, got.data.byteOffset, got.data.byteLength), `${threads} threads`).toEqual(new Uint8Array(first.buffer, first.byteOffset, first.byteLength));
        got.data.forEach((v, j) => (Number.isNaN(want.data[j]) ? expect(v).toBeNaN() : expect(Math.abs(v - want.data[j])).toBeLessThan(1e-6 * (1 + Math.abs(want.data[j])))));
        expect(got.errors.map(String)).toEqual(want.errors.map(String));
        const gotInv = await invariant('O(3)', inv.href, { engine }).batch(batch, { errors: 'status' });
        expect(gotInv.outputs.map((o) => (o ? Array.from(o as Float64Array) : o)), `${threads} threads`).toEqual(wantInv.outputs.map((o) => (o ? Array.from(o as Float64Array) : o)));
      } finally {
        await engine.close();
      }
    }
    // the inline run is the adapter's own outputs, averaged
    const g = haarOrthogonal(normal, 3);
    const one = b.data.slice(0, b.offsets[1] * 3);
    const n = b.offsets[1];
    const f = equivariant('O(3)', url);
    expect(relativeError(await f(actRows(g, one, n, 3), { n, d: 3 }), actRows(g, await f(one, { n, d: 3 }), n, 3))).toBeLessThan(1e-6);
  });

  it('a model file that cannot be loaded, a bad fragment, a bad runtime: the library\'s errors, from the workers too', async () => {
    const broken = join(dir, 'broken.onnx');
    writeFileSync(broken, readFileSync(file).subarray(0, 300));
    const engine = await createEngine({ threads: 2 });
    try {
      for (const e of [engine, undefined]) {
        const run = (model: string | URL) => equivariant('O(3)', model, { engine: e }).batch(batch);
        await expect(run(broken)).rejects.toThrow(FileFormatError);
        await expect(run(broken)).rejects.toThrow(new RegExp(`^minframe: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot load as an ONNX model: `));
        await expect(run(join(dir, 'none.onnx'))).rejects.toThrow(/none\.onnx: cannot read: no such file or directory/);
        await expect(run(new URL('#output=energy', url))).rejects.toThrow(OptionRangeError);
        await expect(run(new URL('#output=energy', url))).rejects.toThrow(/model\.onnx has no output 'energy'; its outputs: points, summary/);
        await expect(run(new URL('#outputs=summary', url))).rejects.toThrow(/the fragment of an ONNX model's URL takes input, output and runtime, got 'outputs'/);
        await expect(run(new URL('#runtime=onnxruntime-gpu', url))).rejects.toThrow(/runtime must be 'onnxruntime-node' or 'onnxruntime-web'/);
      }
      // and the engine goes on
      expect((await equivariant('O(3)', new URL('#runtime=onnxruntime-web', url), { engine }).batch(batch, { errors: 'status' })).count).toBe(30);
    } finally {
      await engine.close();
    }
  });
});
