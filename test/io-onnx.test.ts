/**
 * onnxModel: the ONNX fixture (test/fixtures/onnx/make.py) as a batch model — a
 * ragged batch runs one session call per size and equals one input at a time, the
 * input and output options pick tensors, bad models and options are refused with
 * the library's error classes, and averaged through equivariant() / invariant() it
 * is exactly equivariant / invariant up to the model's float32 rounding.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { equivariant, FileFormatError, invariant, ModelError, onnxModel, OptionRangeError, type BatchModel } from '../src/index.js';
import { actRows, gaussian, gaussianMatrix, haarOrthogonal, relativeError, rng } from '../src/testing/index.js';

const file = fileURLToPath(new URL('./fixtures/onnx/model.onnx', import.meta.url));
const points = await onnxModel(file);
const summary = await onnxModel(readFileSync(file), { input: 'x', output: 'summary' });
afterAll(async () => {
  await points.release();
  await summary.release();
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
