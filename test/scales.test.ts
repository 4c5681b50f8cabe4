/**
 * Frames over the whole finite float64 range: for every group family, inputs scaled
 * by s from 1e-300 to 1e300 and by powers of two at float64's edges (largest
 * magnitude 2^-1022 … 2^1021) get the scaled frame — c(s·X) = s^p·c(X) and
 * M(s·X) = s^q·M(X) (p, q: 1, 0 for O, SO, E, SE, O(1,3), SO(1,3), U, SU, SL and S(n)
 * (x G); 0, 1 for GL and Aff), the same rank, frame size and permutation — exactly
 * for powers of two, to round-off otherwise; equivariance errors relative to the
 * scale at round-off; the same through canonicalize and canonicalizeBatch; generic
 * and rank-deficient inputs. Where no frame fits float64 (every value subnormal, or
 * a canonical form past 1.8e308) the input gets its own InputRangeError.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeBatch, createEngine, InputRangeError } from '../src/index.js';
import { gaussian, gaussianMatrix, rng } from '../src/testing/random.js';
import { haarOrthogonal, haarSpecialOrthogonal, randomPermutation } from '../src/testing/haar.js';
import { actComplexRows, actRows, permuteRows } from '../src/testing/equivariance.js';
import { affineElement, generalLinear, haarSpecialUnitary, haarUnitary, lorentzElement, specialLinear } from '../src/testing/groups.js';

const u = rng(2024);
const normal = gaussian(u);

/**
 * The scales of the brief, and powers of two putting the largest magnitude (in [1, 2))
 * at 2^-1018 and 2^1020: near float64's ends, with room for g·X's smaller and larger
 * values (2^-1022 itself: the test of the smallest normal below).
 */
const SCALES = [1e-300, 1e-200, 1e-160, 1e-100, 1, 1e100, 1e154, 1e200, 1e300, 2 ** -1018, 2 ** 1020];
/** Powers of two on both sides of the kernels' range (|x| ~ 2^±100) and inside it: exact scaling. */
const EXPONENTS = [-1000, -600, -300, -120, -50, 50, 120, 300, 600, 1000];

/** max |a − b| / max |b|: an error relative to b's scale (relativeError's floor of 1 would hide small scales). */
function scaledError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return den === 0 ? num : num / den;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** x divided by the power of two that brings its largest magnitude into [1, 2). */
function unit(x: Float64Array): Float64Array {
  return x.map((v) => v / 2 ** Math.floor(Math.log2(maxAbs(x))));
}

const scaled = (x: Float64Array, s: number) => x.map((v) => v * s);

interface Family {
  spec: string;
  d: number;
  width: 1 | 2;
  /** Degrees of c and M in the input. */
  p: number;
  q: number;
  generic(): Float64Array;
  /** A rank-deficient input: a frame for the compact groups, a rejection for GL, SL, Aff. */
  degenerate(): Float64Array;
  /** g·X (+ t·s for Aff, E, SE: t is scaled with the input). */
  act(x: Float64Array, n: number, s: number): Float64Array;
  tol: number;
}

const N = 7;

/** n rows in the span of the first `rank` of d coordinates, then rotated (so no coordinate is zero). */
function lowRank(n: number, d: number, rank: number, width: 1 | 2 = 1): Float64Array {
  const x = gaussianMatrix(normal, n, d * width);
  for (let r = 0; r < n; r++) for (let a = rank * width; a < d * width; a++) x[r * d * width + a] = 0;
  return width === 1 ? actRows(haarOrthogonal(normal, d), x, n, d) : actComplexRows(haarUnitary(normal, d), x, n, d);
}

/** Events with a dominant time component (time-like), optionally in the span of e0, e1, e2. */
function events(n: number, spatial = 3): Float64Array {
  const x = gaussianMatrix(normal, n, 4);
  for (let r = 0; r < n; r++) {
    x[r * 4] = 3 + Math.abs(x[r * 4]);
    for (let a = spatial + 1; a < 4; a++) x[r * 4 + a] = 0;
  }
  return x;
}

const orthogonal = (spec: string, special: boolean, translate: boolean): Family => ({
  spec, d: 3, width: 1, p: 1, q: 0, tol: 1e-12,
  generic: () => gaussianMatrix(normal, N, 3),
  degenerate: () => lowRank(N, 3, translate ? 1 : 2).map((v, i) => v + (translate ? [0.5, -1, 2][i % 3] : 0)),
  act: (x, n, s) => actRows(special ? haarSpecialOrthogonal(normal, 3) : haarOrthogonal(normal, 3), x, n, 3, translate ? Float64Array.from({ length: 3 }, () => normal() * s) : undefined),
});

const lorentz = (spec: string, special: boolean): Family => ({
  spec, d: 4, width: 1, p: 1, q: 0, tol: 1e-11,
  generic: () => events(N),
  degenerate: () => events(N, 2),
  act: (x, n) => actRows(lorentzElement(normal, u, 4, { special, maxRapidity: 1 }), x, n, 4),
});

const unitary = (spec: string, special: boolean): Family => ({
  spec, d: 3, width: 2, p: 1, q: 0, tol: 1e-12,
  generic: () => gaussianMatrix(normal, N, 6),
  degenerate: () => lowRank(N, 3, 2, 2),
  act: (x, n) => actComplexRows(special ? haarSpecialUnitary(normal, 3) : haarUnitary(normal, 3), x, n, 3),
});

const linear = (spec: string, special: boolean, affine: boolean): Family => ({
  spec, d: 3, width: 1, p: special ? 1 : 0, q: special ? 0 : 1, tol: 1e-10,
  generic: () => gaussianMatrix(normal, N, 3),
  degenerate: () => lowRank(N, 3, affine ? 1 : 2).map((v, i) => v + (affine ? [0.5, -1, 2][i % 3] : 0)),
  act: (x, n, s) => {
    if (affine) {
      const { g, t } = affineElement(normal, u, 3);
      return actRows(g, x, n, 3, t.map((v) => v * s));
    }
    return actRows(special ? specialLinear(normal, u, 3) : generalLinear(normal, u, 3), x, n, 3);
  },
});

const FAMILIES: Family[] = [
  orthogonal('O(3)', false, false), orthogonal('SO(3)', true, false), orthogonal('E(3)', false, true), orthogonal('SE(3)', true, true),
  lorentz('O(1,3)', false), lorentz('SO(1,3)', true),
  unitary('U(3)', false), unitary('SU(3)', true),
  linear('GL(3)', false, false), linear('SL(3)', true, false), linear('Aff(3)', false, true),
];

/** Each family's inputs, at unit scale (largest magnitude in [1, 2)). */
const inputs = new Map(FAMILIES.map((F) => [F.spec, { generic: unit(F.generic()), degenerate: unit(F.degenerate()) }]));

describe('point groups: frames of s·X are the scaled frames of X', () => {
  for (const F of FAMILIES) {
    const { spec, d, width, p, q } = F;
    const rejects = spec.startsWith('GL') || spec.startsWith('SL') || spec.startsWith('Aff');
    it(`${spec}: canonical forms, ranks, sizes and frame elements at 1e-300 … 1e300 and float64's edges; equivariant to round-off`, () => {
      for (const [kind, x] of Object.entries(inputs.get(spec)!)) {
        const shape = { n: N, d };
        if (kind === 'degenerate' && rejects) {
          // the rank decision does not change with scale: the same rejection everywhere
          const want = (() => { try { canonicalize(spec, x, shape); } catch (e) { return (e as Error).message; } })();
          expect(want, `${spec} rejects its rank-deficient input`).toMatch(/independent rows/);
          for (const s of SCALES) expect(() => canonicalize(spec, scaled(x, s), shape), `${spec} at ${s}`).toThrow(want!);
          continue;
        }
        const f1 = canonicalize(spec, x, shape);
        for (const s of SCALES) {
          const xs = scaled(x, s);
          const fs = canonicalize(spec, xs, shape);
          const at = `${spec} ${kind} at ${s}`;
          expect(fs.rank, at).toBe(f1.rank);
          expect(fs.size, at).toBe(f1.size);
          expect(fs.warning, at).toBe(f1.warning);
          expect(scaledError(fs.canonical, scaled(f1.canonical, s ** p)), `${at}: canonical`).toBeLessThan(1e-13);
          expect(scaledError(fs.matrix, scaled(f1.matrix, s ** q)), `${at}: matrix`).toBeLessThan(1e-13);
          expect(scaledError(fs.shift, scaled(f1.shift, s)), `${at}: shift`).toBeLessThan(1e-13);
          for (let trial = 0; trial < 2; trial++) {
            const fg = canonicalize(spec, F.act(xs, N, s), shape);
            expect(fg.rank, `${at}: rank of g·X`).toBe(f1.rank);
            expect(scaledError(fg.canonical, fs.canonical), `${at}: equivariance`).toBeLessThan(F.tol);
          }
        }
        if (kind === 'degenerate') expect(f1.rank, `${spec} degenerate`).toBeLessThan(d);
        void width;
      }
    });

    it(`${spec}: powers of two scale the frame exactly, on both sides of the kernels' range`, () => {
      for (const x of Object.values(inputs.get(spec)!)) {
        let f1;
        try { f1 = canonicalize(spec, x, { n: N, d }); } catch { continue; } // (rejected: tested above)
        for (const k of EXPONENTS) {
          const s = 2 ** k;
          const fs = canonicalize(spec, scaled(x, s), { n: N, d });
          expect(Array.from(fs.canonical), `${spec} 2^${k} canonical`).toEqual(Array.from(scaled(f1.canonical, s ** p)));
          expect(Array.from(fs.matrix), `${spec} 2^${k} matrix`).toEqual(Array.from(scaled(f1.matrix, s ** q)));
          expect(Array.from(fs.shift), `${spec} 2^${k} shift`).toEqual(Array.from(scaled(f1.shift, s)));
        }
      }
    });

    it(`${spec}: canonicalizeBatch gives every scale its single call's frame, bit for bit`, () => {
      const { generic, degenerate } = inputs.get(spec)!;
      const xs = SCALES.flatMap((s) => [scaled(generic, s), scaled(degenerate, s)]);
      const rowLen = d * width;
      const data = new Float64Array(xs.length * N * rowLen);
      xs.forEach((x, i) => data.set(x, i * N * rowLen));
      const r = canonicalizeBatch(spec, { data, dim: d, count: xs.length }, { errors: 'status' });
      xs.forEach((x, i) => {
        let single;
        try { single = canonicalize(spec, x, { n: N, d }); } catch (e) {
          expect(r.errors[i]?.message, `input ${i}`).toBe((e as Error).message.replace(/^input 0/, `input ${i}`));
          return;
        }
        expect(r.errors[i], `input ${i}`).toBeNull();
        expect(r.ranks[i]).toBe(single.rank);
        expect(r.sizes[i]).toBe(single.size);
        expect(r.canonical.subarray(i * N * rowLen, (i + 1) * N * rowLen)).toEqual(single.canonical);
        expect(r.matrices.subarray(i * d * rowLen, (i + 1) * d * rowLen)).toEqual(single.matrix);
        expect(r.shifts.subarray(i * rowLen, (i + 1) * rowLen)).toEqual(single.shift);
      });
    });
  }

  it('larger d: O(6), GL(5), SL(6), SL(12) (whose det over- and underflows long before its root)', () => {
    // (not at 2^1020: SL's c = κ·X·A⁻¹ exceeds X by up to the condition number, past float64)
    for (const [spec, d, p, q] of [['O(6)', 6, 1, 0], ['GL(5)', 5, 0, 1], ['SL(6)', 6, 1, 0], ['SL(12)', 12, 1, 0]] as const) {
      const n = d + 3;
      const x = unit(gaussianMatrix(normal, n, d));
      const f1 = canonicalize(spec, x, { n, d });
      expect(f1.rank).toBe(d);
      for (const s of [...SCALES.filter((s) => s < 1e301), 1e40, 1e-40]) {
        const fs = canonicalize(spec, scaled(x, s), { n, d });
        expect(fs.rank, `${spec} at ${s}`).toBe(d);
        expect(scaledError(fs.canonical, scaled(f1.canonical, s ** p)), `${spec} at ${s}`).toBeLessThan(1e-12);
        expect(scaledError(fs.matrix, scaled(f1.matrix, s ** q)), `${spec} at ${s}`).toBeLessThan(1e-12);
      }
    }
  });
});

describe('no silent zeros or NaN: what float64 cannot hold is an InputRangeError of its own', () => {
  it('every value subnormal: rejected, naming the input and the rule; the rest of the batch is kept', () => {
    for (const F of FAMILIES) {
      const x = inputs.get(F.spec)!.generic;
      const tiny = scaled(x, 2 ** -1040);
      expect(() => canonicalize(F.spec, tiny, { n: N, d: F.d }), F.spec).toThrow(/^input 0: every value is subnormal or zero \(largest magnitude .* < 2\^-1022/);
      const rowLen = F.d * F.width;
      const data = new Float64Array(3 * N * rowLen);
      [x, tiny, scaled(x, 1e-300)].forEach((v, i) => data.set(v, i * N * rowLen));
      const r = canonicalizeBatch(F.spec, { data, dim: F.d, count: 3 }, { errors: 'status' });
      expect(r.errors[0]).toBeNull();
      expect(r.errors[1]).toBeInstanceOf(InputRangeError);
      expect((r.errors[1] as InputRangeError).input).toBe(1);
      expect(r.errors[2]).toBeNull();
      expect(Number.isNaN(r.sizes[1]) && r.canonical.subarray(N * rowLen, 2 * N * rowLen).every(Number.isNaN)).toBe(true);
      expect(r.canonical.subarray(2 * N * rowLen).every(Number.isFinite)).toBe(true);
    }
  });

  it('the smallest normal largest magnitude, 2^-1022, still has its frame; exact zeros are rank 0', () => {
    const x = Float64Array.of(2 ** -1022, 0, 0, 0, 2 ** -1030, 0, 0, 0, 2 ** -1040);
    const f = canonicalize('O(3)', x, { n: 3, d: 3 });
    expect(f.rank).toBe(3);
    expect(f.canonical[0]).toBe(2 ** -1022);
    const z = canonicalize('O(3)', new Float64Array(9), { n: 3, d: 3 });
    expect([z.rank, z.size, maxAbs(z.canonical)]).toEqual([0, Infinity, 0]);
    expect(canonicalize('E(3)', Float64Array.of(1e300, -2e300, 3e-300, 1e300, -2e300, 3e-300), { n: 2, d: 3 }).rank).toBe(0);
    expect(() => canonicalize('GL(3)', new Float64Array(9), { n: 3, d: 3 })).toThrow(/^input 0: GL\(3\) needs 3 independent rows, found rank 0$/);
  });

  it('a canonical form or frame element past float64 (1.8e308) is rejected; just below it, kept', () => {
    const big = 1.5 * 2 ** 1023;
    // c's first row is (‖x_0‖, 0, 0) = (1.5·√3·2^1023, 0, 0)
    const over = Float64Array.of(big, big, big, big, -big, 0, 0, big, -big);
    expect(() => canonicalize('O(3)', over, { n: 3, d: 3 })).toThrow(/^input 0: its O\(3\) canonical form or frame element has values beyond float64's range/);
    const under = over.map((v) => v / 2);
    expect(canonicalize('O(3)', under, { n: 3, d: 3 }).canonical[0] / (1.5 * Math.sqrt(3) * 2 ** 1022)).toBeCloseTo(1, 14);
    // centred: one point at −1.7e308 and two at +1.7e308 lie 2.27e308 from their centroid
    const m = 1.7e308;
    const spread = Float64Array.of(m, 0, 0, -m, 0, 0, m, 0, 1);
    expect(() => canonicalize('E(3)', spread, { n: 3, d: 3 })).toThrow(/beyond float64's range/);
    expect(() => canonicalize('Aff(2)', Float64Array.of(m, 0, -m, 1, m, m), { n: 3, d: 2 })).toThrow(/beyond float64's range/);
    // GL's canonical form is scale-invariant and M = Aᵀ holds the input's own values
    const g = canonicalize('GL(3)', Float64Array.of(m, 0, 0, 0, m, 0, m, m, m), { n: 3, d: 3 });
    expect(g.canonical.every(Number.isFinite) && g.matrix[0] === m).toBe(true);
  });
});

describe('S(n) and S(n) x G: permutations, sizes and G-frames of s·X', () => {
  const cube: number[] = [];
  for (const a of [-1, 1]) for (const b of [-1, 1]) for (const c of [-1, 1]) cube.push(a, b, c);
  const square = [1, 1, 0, 1, -1, 0, -1, 1, 0, -1, -1, 0]; // rank 2 under O(3): size 8
  const tetrahedron = [1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1];
  const cases: [string, string, Float64Array, number][] = [
    ['S(n)', 'generic', unit(gaussianMatrix(normal, 9, 3)), 1],
    ['S(n)', 'tied rows', unit(Float64Array.from([...gaussianMatrix(normal, 3, 3), ...cube.slice(0, 6), ...cube.slice(0, 6)])), 4],
    ['S(n) x O(3)', 'generic', unit(gaussianMatrix(normal, 9, 3)), 1],
    ['S(n) x O(3)', 'cube', unit(Float64Array.from(cube.map((v) => v * 1.5))), 48],
    ['S(n) x O(3)', 'square (rank 2)', unit(Float64Array.from(square)), 8],
    ['S(n) x SE(3)', 'generic', unit(gaussianMatrix(normal, 9, 3)), 1],
    ['S(n) x SE(3)', 'tetrahedron, shifted', unit(Float64Array.from(tetrahedron.map((v, i) => v + [3, -1, 0.5][i % 3]))), 12],
    ['S(n) x SE(3)', 'collinear (rank 1)', unit(Float64Array.from({ length: 15 }, (_, i) => [0.3, -0.2, 0.7][i % 3] * (Math.floor(i / 3) ** 2 + 1) + [1, 2, 3][i % 3])), 1],
  ];
  for (const [spec, name, x, size] of cases) {
    it(`${spec}, ${name}: the same permutation, size and rank at every scale; canonical forms scaled; invariant under (permutation, g)`, () => {
      const n = x.length / 3;
      const shape = { n, d: 3 };
      const f1 = canonicalize(spec as 'S(n)', x, shape);
      expect(f1.size).toBe(size);
      const batch: Float64Array[] = [];
      for (const s of [...SCALES, ...EXPONENTS.map((k) => 2 ** k)]) {
        const xs = scaled(x, s);
        batch.push(xs);
        const fs = canonicalize(spec as 'S(n)', xs, shape);
        const at = `${spec} ${name} at ${s}`;
        expect(Array.from(fs.permutation), at).toEqual(Array.from(f1.permutation));
        expect([fs.size, fs.rank, fs.complementSize], at).toEqual([f1.size, f1.rank, f1.complementSize]);
        expect(scaledError(fs.canonical, scaled(f1.canonical, s)), `${at}: canonical`).toBeLessThan(1e-13);
        expect(scaledError(fs.matrix, f1.matrix), `${at}: matrix`).toBeLessThan(1e-13);
        expect(scaledError(fs.shift, scaled(f1.shift, s)), `${at}: shift`).toBeLessThan(1e-13);
        if (EXPONENTS.includes(Math.log2(s))) expect(Array.from(fs.canonical), `${at}: exact`).toEqual(Array.from(scaled(f1.canonical, s)));
        const special = spec.includes('SE');
        const g = spec === 'S(n)' ? null : special ? haarSpecialOrthogonal(normal, 3) : haarOrthogonal(normal, 3);
        const px = permuteRows(randomPermutation(u, n), xs, 3);
        const gx = g ? actRows(g, px, n, 3, special ? Float64Array.from({ length: 3 }, () => normal() * s) : undefined) : px;
        const fg = canonicalize(spec as 'S(n)', gx, shape);
        expect(fg.size, at).toBe(size);
        expect(scaledError(fg.canonical, fs.canonical), `${at}: invariance`).toBeLessThan(1e-11);
      }
      // the batch: every scale at once, each input's results those of its single call
      const data = new Float64Array(batch.length * n * 3);
      batch.forEach((v, i) => data.set(v, i * n * 3));
      const r = canonicalizeBatch(spec as 'S(n)', { data, dim: 3, count: batch.length }, { errors: 'status' });
      batch.forEach((v, i) => {
        const single = canonicalize(spec as 'S(n)', v, shape);
        expect(r.errors[i]).toBeNull();
        expect(r.sizes[i]).toBe(single.size);
        expect(r.permutations.subarray(i * n, (i + 1) * n)).toEqual(single.permutation);
        expect(r.canonical.subarray(i * n * 3, (i + 1) * n * 3)).toEqual(single.canonical);
      });
    });
  }

  it('S(n) x G rejects an all-subnormal set (S(n) only sorts, and keeps it, as E(d) keeps a single point); the batch keeps the others', () => {
    const x = scaled(unit(Float64Array.from(cube)), 2 ** -1040);
    expect(() => canonicalize('S(n) x O(3)', x, { n: 8, d: 3 })).toThrow(/^input 0: every value is subnormal or zero/);
    expect(canonicalize('S(n)', x, { n: 8, d: 3 }).size).toBe(1);
    // one point: centred, it is 0 whatever its scale, a frame with no arithmetic on the values
    for (const spec of ['E(3)', 'SE(3)', 'S(n) x E(3)']) expect(Array.from(canonicalize(spec, x.subarray(0, 3), { n: 1, d: 3 }).canonical), spec).toEqual([0, 0, 0]);
    const data = Float64Array.from([...cube, ...x, ...cube.map((v) => v * 1e300)]);
    const r = canonicalizeBatch('S(n) x O(3)', { data, dim: 3, count: 3 }, { errors: 'status' });
    expect(r.errors[0]).toBeNull();
    expect((r.errors[1] as InputRangeError).input).toBe(1);
    expect(r.errors[2]).toBeNull();
    expect([r.sizes[0], r.sizes[2]]).toEqual([48, 48]);
  });
});

describe('on worker threads', () => {
  const engine = createEngine({ threads: 2, chunkSize: 3 });
  afterAll(async () => (await engine).close());

  it('every scale, a subnormal and an overflowing input in chunks of 3: the inline results and errors, bit for bit', async () => {
    const e = await engine;
    for (const spec of ['O(3)', 'SE(3)', 'O(1,3)', 'GL(3)', 'SL(3)', 'S(n) x O(3)', 'S(n) x SE(3)'] as const) {
      const d = spec.includes('1,3') ? 4 : 3;
      const x = spec.startsWith('S(n)') ? unit(gaussianMatrix(normal, N, 3)) : inputs.get(spec)!.generic;
      const parts = [...SCALES.map((s) => scaled(x, s)), scaled(x, 2 ** -1040), x.map((v) => Math.sign(v) * 1.5 * 2 ** 1023)];
      const data = new Float64Array(parts.length * N * d);
      parts.forEach((v, i) => data.set(v, i * N * d));
      const batch = { data, dim: d, count: parts.length };
      const inline = canonicalizeBatch(spec as 'O(3)', batch, { errors: 'status' });
      const pooled = await e.canonicalize(spec as 'O(3)', batch, { errors: 'status' });
      expect(pooled.canonical, spec).toEqual(inline.canonical);
      expect(pooled.sizes, spec).toEqual(inline.sizes);
      expect(pooled.ranks, spec).toEqual(inline.ranks);
      expect(pooled.errors.map((err) => err?.message ?? null), spec).toEqual(inline.errors.map((err) => err?.message ?? null));
      expect(inline.errors.slice(0, SCALES.length).every((err) => err === null), spec).toBe(true);
      expect(inline.errors[SCALES.length]?.message, spec).toMatch(/subnormal/);
      // GL's canonical form is scale-invariant and its M holds the input's own values: it fits
      if (spec === 'GL(3)') expect(inline.errors[SCALES.length + 1], spec).toBeNull();
      else expect(inline.errors[SCALES.length + 1]?.message, spec).toMatch(/canonical form or frame element has values beyond float64's range/);
    }
  });
});
