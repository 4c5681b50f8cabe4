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

/**
 * A ragged batch of `count` graphs with 1..maxN vertices, adjacency blocks back to
 * back: G(n, 1/2) with 0/1 entries, or (weighted) symmetric weights drawn from
 * {0, 0.5, 1.5} so that ties and automorphisms occur; with `colored`, vertex
 * colours from {0, 1}. Every sixth graph is a cycle (a large automorphism group).
 */
export function graphBatch(count: number, maxN: number, seed: number, options: { weighted?: boolean; colored?: boolean } = {}): { data: Float64Array; offsets: Int32Array; colors?: Int32Array } {
  const rnd = rng(seed);
  const offsets = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i] + 1 + Math.floor(rnd() * maxN);
  let entries = 0;
  for (let i = 0; i < count; i++) entries += (offsets[i + 1] - offsets[i]) ** 2;
  const data = new Float64Array(entries);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const n = offsets[i + 1] - offsets[i];
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const w = i % 6 === 0 ? (b === a + 1 || (a === 0 && b === n - 1) ? 1 : 0) : options.weighted ? [0, 0.5, 1.5][Math.floor(rnd() * 3)] : rnd() < 0.5 ? 1 : 0;
        data[at + a * n + b] = data[at + b * n + a] = w;
      }
    }
    at += n * n;
  }
  if (!options.colored) return { data, offsets };
  return { data, offsets, colors: Int32Array.from({ length: offsets[count] }, () => (rnd() < 0.3 ? 1 : 0)) };
}
