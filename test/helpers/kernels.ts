/**
 * Shared pieces of the kernel tests: both WASM builds, a ragged batch that crosses
 * the batch edges, a relative closeness check, and the bit-for-bit build comparison.
 */
import { expect } from 'vitest';
import { loadKernels, type Kernels } from '../../src/wasm/module.js';
import { gaussianMatrix } from '../../src/testing/random.js';

export const simd = loadKernels({ simd: true });
export const scalar = loadKernels({ simd: false });

/** The dimensions every kernel is swept over: odd and even, across the f64x2 width. */
export const dims = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/** Ragged batch of rows with `width` values per coordinate: inputs of 0, 1, 2, d+1 and 17 rows. */
export function raggedRows(normal: () => number, d: number, width = 1) {
  const sizes = [0, 1, 2, d + 1, 17];
  const offsets = new Int32Array(sizes.length + 1);
  sizes.forEach((s, i) => (offsets[i + 1] = offsets[i] + s));
  return { x: gaussianMatrix(normal, offsets[sizes.length], d * width), offsets, count: sizes.length, rows: offsets[sizes.length] };
}

/** |a_i − b_i| <= tol·max(1, |b_i|) for every i. */
export function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `index ${i}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
}

/** Run fn on both builds and require identical bits. */
export function both<T extends Float64Array | Int32Array>(fn: (k: Kernels) => T): T {
  const a = fn(simd);
  const b = fn(scalar);
  expect(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).toEqual(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  return a;
}
