/**
 * Agreement with the reference implementation for O(d), SO(d), E(d), SE(d): every
 * such case of the fixtures, canonical forms and averaged outputs within 1e-9.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, equivariant, invariant } from '../src/index.js';
import { testFunctions } from '../src/testing/functions.js';
import { reference as ref, maxDiff, sumRows } from './helpers/reference.js';

const fns = testFunctions;
const orthogonal = ref.cases.filter((c) => /^S?[OE]\(\d\)$/.test(c.group));

describe('agreement with the reference implementation: O(d), SO(d), E(d), SE(d)', () => {
  it('covers every orthogonal case of the fixtures', () => {
    expect(orthogonal.length).toBe(4 + 4 + 3 * 10 + 2 + 2);
  });
  for (const c of orthogonal) {
    it(`${c.id} (${c.group}, n=${c.n})`, async () => {
      const x = Float64Array.from(c.x);
      const shape = { n: c.n, d: c.d };
      const fr = canonicalize(c.group, x, shape);
      expect(maxDiff(fr.canonical, c.canonical)).toBeLessThan(1e-9);
      for (const [name, want] of Object.entries(c.equivariant)) {
        const f = equivariant(c.group, fns[name], { output: 'points' });
        expect(maxDiff(await f(x, shape), want), name).toBeLessThan(1e-9);
      }
      for (const [name, want] of Object.entries(c.invariant)) {
        const g = invariant(c.group, (y: Float64Array, s) => sumRows(fns[name](y, s), s.n, s.d));
        expect(maxDiff(await g(x, shape), want), name).toBeLessThan(1e-9);
      }
    });
  }
});
