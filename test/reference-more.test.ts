/**
 * Agreement with the reference implementation for the Lorentz, unitary and linear
 * groups: every remaining case of test/fixtures/mfa-reference.json, canonical forms
 * and averaged outputs within 1e-9. The fixtures are generic inputs (full rank, no
 * light-like rows), where minframe and the reference define the same frames.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { canonicalize, equivariant, invariant } from '../src/index.js';
import { testFunctions } from '../src/testing/functions.js';

interface Case {
  id: string; group: string; n: number; d: number; complex: boolean; x: number[];
  canonical: number[]; equivariant: Record<string, number[]>; invariant: Record<string, number[]>;
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/mfa-reference.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** Σ over rows of an n×(d·width) output. */
const sumRows = (y: Float64Array, n: number, rowLen: number) => {
  const s = new Float64Array(rowLen);
  for (let r = 0; r < n; r++) for (let a = 0; a < rowLen; a++) s[a] += y[r * rowLen + a];
  return s;
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

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
