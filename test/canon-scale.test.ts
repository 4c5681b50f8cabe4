/**
 * The canonical labeling engine at scale: dense input past the sizes where the
 * scratch once passed 2 GiB (n ≈ 8200).
 */
import { describe, expect, it } from 'vitest';
import { canonicalLabelings } from '../src/graphs/canon.js';
import { rng } from '../src/testing/random.js';
import { randomRegular, toCSR, toDense } from './helpers/families.js';
import { key } from './helpers/graphs.js';

describe('dense input at scale', () => {
  // 8192 and 8193 once read undefined results past a 2^31 pointer, 8500 trapped
  for (const n of [8192, 8500]) {
    it(`random 3-regular, n = ${n}: dense and CSR input give the same labeling`, () => {
      const g = randomRegular(n, 3, rng(n));
      const [d, c] = canonicalLabelings([{ adjacency: toDense(g), n }, { adjacency: toCSR(g), n }]);
      expect(key(d.labeling)).toBe(key(c.labeling));
      expect(key(d.orbits)).toBe(key(c.orbits));
      expect(d.sizeExact).toBe(c.sizeExact);
    }, 60_000);
  }
});
