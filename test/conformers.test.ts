/**
 * Real molecules as point sets: RDKit conformers (test/fixtures/molecules/conformers.json,
 * written by conformers.py) under S(n) x E(3) and S(n) x SE(3). The canonical form
 * does not move when the atoms are renumbered and the molecule is moved rigidly, the
 * frame maps it back onto the input, and a model averaged with it is equivariant, at
 * float64 round-off; the symmetric molecules, relaxed to near their point groups, are
 * there as near-symmetric inputs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeBatch, equivariant } from '../src/index.js';
import { gaussian, rng } from '../src/testing/random.js';
import { haarOrthogonal, haarSpecialOrthogonal, randomPermutation } from '../src/testing/haar.js';
import { actRows, permuteRows, relativeError } from '../src/testing/equivariance.js';

interface Conformer {
  name: string;
  n: number;
  colors: number[];
  coords: number[];
}

const conformers: Conformer[] = JSON.parse(readFileSync(new URL('./fixtures/molecules/conformers.json', import.meta.url), 'utf8'));

describe('RDKit conformers under S(n) x E(3)', () => {
  it('has the fixture\'s molecules, hydrogens included', () => {
    expect(conformers.map((c) => c.name)).toEqual(expect.arrayContaining(['methane', 'benzene', 'adamantane', 'cubane', 'peptide (Gly-Ala-Ser-Phe)×6']));
    for (const c of conformers) expect(c.coords).toHaveLength(3 * c.n);
  });

  for (const spec of ['S(n) x E(3)', 'S(n) x SE(3)'] as const) {
    it(`${spec}: the canonical form is invariant under renumbering and rigid motion`, () => {
      const u = rng(41);
      const normal = gaussian(u);
      for (const c of conformers) {
        const x = Float64Array.from(c.coords);
        const n = c.n;
        const g = spec === 'S(n) x SE(3)' ? haarSpecialOrthogonal(normal, 3) : haarOrthogonal(normal, 3);
        const t = Float64Array.from({ length: 3 }, () => 10 * normal());
        const gx = actRows(g, permuteRows(randomPermutation(u, n), x, 3), n, 3, t);
        const a = canonicalize(spec, x, { n, d: 3 });
        const b = canonicalize(spec, gx, { n, d: 3 });
        expect(relativeError(b.canonical, a.canonical), `${c.name} canonical`).toBeLessThan(1e-12);
        expect(a.size, c.name).toBe(b.size);
        // the batch gives every molecule's own canonical form, bit for bit
        const batch = canonicalizeBatch(spec, { data: x, dim: 3, count: 1 });
        expect(Array.from(batch.canonical)).toEqual(Array.from(a.canonical));
      }
    });
  }

  it('an averaged model is equivariant on every conformer (S(n) x E(3), points)', async () => {
    const u = rng(43);
    const normal = gaussian(u);
    const model = (y: Float64Array) => y.map((v, j) => v + 0.1 * Math.sin(3 * y[j - (j % 3) + ((j + 1) % 3)]) + 0.01 * Math.floor(j / 3));
    const f = equivariant('S(n) x E(3)', model, { output: 'points' });
    for (const c of conformers) {
      const x = Float64Array.from(c.coords);
      const n = c.n;
      const p = randomPermutation(u, n);
      const g = haarOrthogonal(normal, 3);
      const t = Float64Array.from({ length: 3 }, () => 10 * normal());
      const y = await f(x, { n, d: 3 });
      const gy = await f(actRows(g, permuteRows(p, x, 3), n, 3, t), { n, d: 3 });
      expect(relativeError(gy, actRows(g, permuteRows(p, y, 3), n, 3, t)), c.name).toBeLessThan(1e-12);
    }
  });
});
