import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { canonicalize, equivariant, invariant } from '../src/index.js';
import { testFunctions } from '../src/testing/functions.js';

interface Case {
  id: string; group: string; n: number; d: number; complex: boolean; x: number[];
  canonical: number[]; equivariant: Record<string, number[]>; invariant: Record<string, number[]>;
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/mfa-reference.json', import.meta.url), 'utf8')) as { cases: Case[] };

const fns = testFunctions;
const sumRows = (y: Float64Array, n: number, d: number) => {
  const s = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let a = 0; a < d; a++) s[a] += y[r * d + a];
  return s;
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

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
