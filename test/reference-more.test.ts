/**
 * Agreement with the reference implementation for the Lorentz, unitary and linear
 * groups: every remaining case of test/fixtures/mfa-reference.json, canonical forms
 * and averaged outputs within 1e-9. The fixtures are generic inputs (full rank, no
 * light-like rows), where minframe and the reference define the same frames.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, equivariant, invariant } from '../src/index.js';
import { testFunctions } from '../src/testing/functions.js';
import { reference as ref, maxDiff, sumRows } from './helpers/reference.js';

const families: [string, RegExp, number][] = [
  ['Lorentz', /^S?O\(1,\d\)$/, 6],
  ['unitary', /^S?U\(\d\)$/, 18],
  ['linear', /^(GL|SL|Aff)\(\d\)$/, 27],
];

for (const [family, pattern, expected] of families) {
  const cases = ref.cases.filter((c) => pattern.test(c.group));
  describe(`agreement with the reference implementation: ${family} groups`, () => {
    it('covers every case of the fixtures', () => expect(cases.length).toBe(expected));
    for (const c of cases) {
      it(`${c.id} (${c.group}, n=${c.n})`, async () => {
        const x = Float64Array.from(c.x);
        const shape = { n: c.n, d: c.d };
        const rowLen = c.d * (c.complex ? 2 : 1);
        const fr = canonicalize(c.group, x, shape);
        expect(maxDiff(fr.canonical, c.canonical)).toBeLessThan(1e-9);
        for (const [name, want] of Object.entries(c.equivariant)) {
          const f = equivariant(c.group, testFunctions[name], { output: 'points' });
          expect(maxDiff(await f(x, shape), want), name).toBeLessThan(1e-9);
        }
        for (const [name, want] of Object.entries(c.invariant)) {
          const g = invariant(c.group, (y: Float64Array, s) => sumRows(testFunctions[name](y, s), s.n, rowLen));
          expect(maxDiff(await g(x, shape), want), name).toBeLessThan(1e-9);
        }
      });
    }
  });
}
