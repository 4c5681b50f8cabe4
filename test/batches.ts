/**
 * Seeded batches shared by the Node tests and the browser page (test/browser/page.ts),
 * so both sides build the same bytes without shipping data.
 */
import { rng } from '../src/testing/random.js';

/** `count` equal-sized inputs of n rows in d = 3, uniform in [-1, 1). */
export function denseBatch(count: number, n: number, seed: number): { data: Float64Array; dim: number; count: number } {
  const rnd = rng(seed);
  const data = new Float64Array(count * n * 3);
  for (let j = 0; j < data.length; j++) data[j] = rnd() * 2 - 1;
  return { data, dim: 3, count };
}

/**
 * A ragged batch of `count` point sets in d = 3 with 1..maxN rows each; every
 * fifth is planar and every seventh collinear, so ranks 1..3 all occur.
 */
export function raggedBatch(count: number, maxN: number, seed: number): { data: Float64Array; dim: number; offsets: Int32Array } {
  const rnd = rng(seed);
  const offsets = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i] + 1 + Math.floor(rnd() * maxN);
  const data = new Float64Array(offsets[count] * 3);
  for (let i = 0; i < count; i++) {
    for (let r = offsets[i]; r < offsets[i + 1]; r++) {
      const p = [rnd() * 2 - 1, rnd() * 2 - 1, rnd() * 2 - 1];
      if (i % 7 === 0) p[1] = p[2] = p[0] * 0.5;
      else if (i % 5 === 0) p[2] = p[0] - p[1];
      data.set(p, r * 3);
    }
  }
  return { data, dim: 3, offsets };
}
