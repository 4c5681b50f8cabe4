/**
 * The frame-averaging baselines FA, SFA and iFA (src/frames/fa.ts,
 * assembly/frames/fa.ts): agreement with the reference implementation's baselines
 * (test/fixtures/fa-reference.json), frame sizes, exact equivariance on generic
 * inputs, SFA as one of FA's terms, FA's failure on degenerate inputs where minimal
 * frames stay exact, the kernels against plain TypeScript references on both
 * builds, and invalid options and inputs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { equivariant, invariant, group, InputRangeError, InputTypeError, ModelError, OptionRangeError, OptionTypeError, type Group } from '../src/index.js';
import { faAverage, faFrames, type FaMethod } from '../src/frames/fa.js';
import { checkMethod, checkSeed, FA_MAX_DIM } from '../src/groups.js';
import { checkShape, checkSingle } from '../src/batch.js';
import { checkEagerly } from './helpers/eager.js';
import { withArena, type Kernels } from '../src/wasm/module.js';
import { testFunctions } from '../src/testing/functions.js';
import { gaussian, gaussianMatrix, rng } from '../src/testing/random.js';
import { determinant, haarOrthogonal, haarSpecialOrthogonal, withSingularValues } from '../src/testing/haar.js';
import { actRows, relativeError } from '../src/testing/equivariance.js';
import { maxDiff, sumRows } from './helpers/reference.js';
import { both, close, dims, scalar, simd } from './helpers/kernels.js';

interface FaCase {
  id: string; method: FaMethod; group: string; n: number; d: number; x: number[];
  equivariant: Record<string, number[]>; invariant: Record<string, number[]>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/fa-reference.json', import.meta.url), 'utf8')) as { cases: FaCase[] };

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const summed = (name: string) => (y: Float64Array, s: { n: number; d: number }) => sumRows(testFunctions[name](y, s), s.n, s.d);

/**
 * One input averaged over its FA / SFA / iFA frame through the public wrappers
 * (group(spec, { method }) with equivariant / invariant), with the model's calls counted.
 */
async function frameAverage(
  method: FaMethod, spec: string | Group, f: (x: Float64Array, s: { n: number; d: number }) => ArrayLike<number> | PromiseLike<ArrayLike<number>>,
  x: Float64Array | Float32Array, shape: { n: number; d: number }, options: { seed?: number; tol?: number; output?: 'vectors' | 'points' | 'invariant' } = {},
): Promise<{ output: Float64Array; calls: number }> {
  let calls = 0;
  const counted = (c: Float64Array, s: { n: number; d: number }) => {
    calls++;
    return f(c, s) as Float64Array;
  };
  const G = group(spec as string, { method, seed: options.seed });
  const out = options.output === 'invariant'
    ? await invariant(G, counted, { tol: options.tol })(x, shape)
    : await equivariant(G, counted, { output: options.output, tol: options.tol })(x, shape);
  return { output: Float64Array.from(out as ArrayLike<number>), calls };
}

/** A non-equivariant model mixing rows and columns (an entrywise one would commute with FA's sign flips). */
function model(x: Float64Array, { n, d }: { n: number; d: number }): Float64Array {
  const y = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const next = ((r + 1) % n) * d;
    for (let a = 0; a < d; a++) y[r * d + a] = Math.sin(x[r * d + a]) + 0.5 * x[next + ((a + 1) % d)] ** 2 + 0.1 * (a + 1) * r;
  }
  return y;
}
const invariantModel = (x: Float64Array, s: { n: number; d: number }) => {
  const y = model(x, s);
  return Float64Array.of(y.reduce((p, v, i) => p + v * (1 + (i % 3)), 0), y[0], y[y.length - 1]);
};

describe('agreement with the reference implementation\'s FA and iFA', () => {
  it('covers every case of the fixture', () => {
    expect(fixture.cases.length).toBe(27);
    expect(fixture.cases.filter((c) => c.id.includes('degenerate')).length).toBe(3);
  });
  for (const c of fixture.cases) {
    const degenerate = c.id.includes('degenerate');
    it(`${c.id}: averaged outputs within ${degenerate ? '1e-6' : '1e-9'}`, async () => {
      const x = Float64Array.from(c.x);
      const shape = { n: c.n, d: c.d };
      let worst = 0;
      for (const [name, want] of Object.entries(c.equivariant)) {
        const r = await frameAverage(c.method, c.group, testFunctions[name], x, shape);
        expect(r.calls).toBe(2 ** c.d);
        worst = Math.max(worst, maxDiff(r.output, want));
      }
      for (const [name, want] of Object.entries(c.invariant)) {
        worst = Math.max(worst, maxDiff((await frameAverage(c.method, c.group, summed(name), x, shape, { output: 'invariant' })).output, want));
      }
      // every degenerate case is perturbed, no generic one is
      const G = group(c.group);
      expect(faFrames(c.method, G, checkSingle(G, x, shape)).perturbed[0]).toBe(degenerate ? 1 : 0);
      expect(worst).toBeLessThan(degenerate ? 1e-6 : 1e-9);
      // reached: below 3e-14 on every case, degenerate ones included
      expect(worst).toBeLessThan(1e-12);
    });
  }
});

describe('frames', () => {
  const normal = gaussian(rng(7));
  it.each(['O', 'SO', 'E', 'SE'])('%s(d): 2^d or 2^(d−1) elements, distinct, orthogonal, det +1 for SO/SE, canonical = (X − t)·M', (name) => {
    for (const d of [1, 2, 3, 4, 5, 6]) {
      const G = group(`${name}(${d})`);
      const n = d + 4;
      const x = gaussianMatrix(normal, n, d);
      for (const method of ['fa', 'ifa', 'sfa'] as const) {
        const f = faFrames(method, G, checkSingle(G, x, { n, d }), { seed: 3 });
        const size = method === 'sfa' ? 1 : G.special ? 2 ** (d - 1) : 2 ** d;
        expect(f.sizes[0]).toBe(size);
        expect(Array.from(f.elementOffsets)).toEqual([0, size]);
        expect(f.canonicalOffsets.length).toBe(size + 1);
        const t = f.shifts;
        const centroid = new Float64Array(d);
        for (let r = 0; r < n; r++) for (let a = 0; a < d; a++) centroid[a] += x[r * d + a] / n;
        close(t, G.translations ? centroid : new Float64Array(d), 1e-14);
        const seen = new Set<string>();
        let orthogonality = 0, canonical = 0;
        for (let e = 0; e < size; e++) {
          const m = f.matrices.subarray(e * d * d, (e + 1) * d * d);
          seen.add(Array.from(m, (v) => v.toFixed(12)).join());
          // MᵀM = I
          for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
            let s = 0;
            for (let a = 0; a < d; a++) s += m[a * d + i] * m[a * d + j];
            orthogonality = Math.max(orthogonality, Math.abs(s - (i === j ? 1 : 0)));
          }
          if (G.special) expect(determinant(m, d)).toBeCloseTo(1, 13);
          const want = new Float64Array(n * d);
          for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) for (let a = 0; a < d; a++) want[r * d + j] += (x[r * d + a] - t[a]) * m[a * d + j];
          canonical = Math.max(canonical, maxDiff(f.canonical.subarray(e * n * d, (e + 1) * n * d), want));
        }
        expect(orthogonality).toBeLessThan(1e-14);
        expect(canonical).toBeLessThan(1e-13);
        expect(seen.size).toBe(size);
      }
    }
  });

  it('eigenvalues descending; the columns of M in ascending order of eigenvalue (A·m_j = λ_{d−1−j}·m_j)', () => {
    const d = 5, n = 30;
    const x = gaussianMatrix(normal, n, d);
    const G = group('O(5)');
    const f = faFrames('fa', G, checkSingle(G, x, { n, d }));
    for (let j = 1; j < d; j++) expect(f.values[j]).toBeLessThan(f.values[j - 1]);
    const m = f.matrices.subarray(0, d * d);
    for (let j = 0; j < d; j++) {
      for (let a = 0; a < d; a++) {
        let am = 0;
        for (let b = 0; b < d; b++) for (let r = 0; r < n; r++) am += x[r * d + a] * x[r * d + b] * m[b * d + j];
        expect(Math.abs(am - f.values[d - 1 - j] * m[a * d + j])).toBeLessThan(1e-12 * f.values[0]);
      }
    }
  });

  it('a batch equals its inputs one by one: ragged, several slices, one input larger than a slice, skipped inputs', () => {
    const d = 3;
    const G = group('SE(3)');
    const sizes = [5, 0, 40, ...Array.from({ length: 150 }, (_, i) => 4 + (i % 37)), 6000, 2];
    const offsets = new Int32Array(sizes.length + 1);
    sizes.forEach((s, i) => (offsets[i + 1] = offsets[i] + s));
    const x = gaussianMatrix(normal, offsets[sizes.length], d);
    x[(offsets[2] + 3) * d + 1] = NaN; // input 2 is not finite
    for (const method of ['fa', 'sfa', 'ifa'] as const) {
      const b = checkShape(G, { data: x, dim: d, offsets });
      const f = faFrames(method, G, b, { seed: 11 });
      expect(b.errors[1]).toBeInstanceOf(InputRangeError);
      expect(b.errors[2]).toBeInstanceOf(InputRangeError);
      expect(b.errors[2]!.message).toMatch(/^input 2: row 3 holds NaN at column 1/);
      expect(f.sizes[1]).toBe(0);
      expect(f.sizes[2]).toBe(0);
      expect(Number.isNaN(f.shifts[2 * d])).toBe(true);
      for (const i of [0, 3, 77, sizes.length - 2, sizes.length - 1]) {
        const xi = x.slice(offsets[i] * d, offsets[i + 1] * d);
        const one = faFrames(method, G, checkSingle(G, xi, { n: sizes[i], d }), { seed: 11, first: i });
        const e0 = f.elementOffsets[i], e1 = f.elementOffsets[i + 1];
        expect(Array.from(f.matrices.subarray(e0 * d * d, e1 * d * d))).toEqual(Array.from(one.matrices));
        expect(Array.from(f.canonical.subarray(f.canonicalOffsets[e0] * d, f.canonicalOffsets[e1] * d))).toEqual(Array.from(one.canonical));
        for (let e = e0; e < e1; e++) expect(f.inputOf[e]).toBe(i);
      }
      // `into`: another batch's arrays of the same lengths are overwritten with the same frames
      const other = faFrames(method, G, checkShape(G, { data: x.map((v) => 1.1 * v + 0.3), dim: d, offsets }), { seed: 12 });
      other.perturbed.fill(1);
      const again = faFrames(method, G, checkShape(G, { data: x, dim: d, offsets }), { seed: 11, into: other });
      for (const key of ['sizes', 'elementOffsets', 'inputOf', 'matrices', 'shifts', 'values', 'canonical', 'canonicalOffsets', 'perturbed'] as const) {
        expect(again[key], key).toBe(other[key]);
        expect(bytes(Float64Array.from(again[key])).equals(bytes(Float64Array.from(f[key]))), key).toBe(true);
      }
      // averaging: NaN for the skipped inputs, the identity model gives the input back
      const y = faAverage(f, f.canonical, 'points');
      expect(Number.isNaN(y[offsets[2] * d])).toBe(true);
      const valid = (r: number) => r < offsets[1] || r >= offsets[3];
      let worst = 0;
      for (let r = 0; r < offsets[sizes.length]; r++) if (valid(r)) for (let a = 0; a < d; a++) worst = Math.max(worst, Math.abs(y[r * d + a] - x[r * d + a]));
      expect(worst).toBeLessThan(1e-12);
      const inv = faAverage(f, new Float64Array(f.elementOffsets[f.count] * 2).fill(1.5), 'invariant');
      expect(inv.length).toBe(2 * sizes.length);
      expect(Number.isNaN(inv[2 * 2])).toBe(true);
      expect(inv[0]).toBe(1.5);
    }
  });
});

describe('equivariance under Haar-random elements', () => {
  for (const name of ['O', 'SO', 'E', 'SE']) {
    it.each([2, 3, 5, 6])(`${name}(%i): FA and iFA exact on generic inputs, FA and iFA invariant`, async (d) => {
      const G = group(`${name}(${d})`);
      const normal = gaussian(rng(100 + d));
      const output = G.translations ? 'points' : 'vectors';
      let worst = 0;
      for (const method of ['fa', 'ifa'] as const) {
        for (const n of [d + 1, 16, 40]) {
          const x = gaussianMatrix(normal, n, d);
          const g = G.special ? haarSpecialOrthogonal(normal, d) : haarOrthogonal(normal, d);
          const t = G.translations ? gaussianMatrix(normal, 1, d).map((v) => 3 * v) : undefined;
          const gx = actRows(g, x, n, d, t);
          const shape = { n, d };
          const y = await frameAverage(method, G, model, x, shape, { output });
          const gy = await frameAverage(method, G, model, gx, shape, { output });
          const err = relativeError(gy.output, actRows(g, y.output, n, d, t));
          const iy = await frameAverage(method, G, invariantModel, x, shape, { output: 'invariant' });
          const igy = await frameAverage(method, G, invariantModel, gx, shape, { output: 'invariant' });
          const ierr = relativeError(igy.output, iy.output);
          worst = Math.max(worst, err, ierr);
        }
      }
      expect(worst).toBeLessThan(1e-12);
    });
  }

  it.each(['O(4)', 'SO(4)', 'E(4)'])('%s, rank 2: FA and iFA exact too (the canonical inputs are zero along the null space, so the sign average cancels its arbitrary basis)', async (spec) => {
    const normal = gaussian(rng(5));
    const G = group(spec);
    const d = 4, n = 12;
    const x = withSingularValues(normal, n, [3, 2, 0, 0]);
    const g = G.special ? haarSpecialOrthogonal(normal, d) : haarOrthogonal(normal, d);
    const t = G.translations ? Float64Array.of(1, -2, 3, 0.5) : undefined;
    const gx = actRows(g, x, n, d, t);
    const output = G.translations ? 'points' : 'vectors';
    for (const method of ['fa', 'ifa'] as const) {
      const y = await frameAverage(method, G, model, x, { n, d }, { output });
      const err = relativeError((await frameAverage(method, G, model, gx, { n, d }, { output })).output, actRows(g, y.output, n, d, t));
      expect(err, method).toBeLessThan(1e-12);
    }
  });
});

describe('SFA', () => {
  const normal = gaussian(rng(21));
  it.each(['O(3)', 'SO(4)', 'E(2)', 'SE(3)'])('%s: its element and output are one of FA\'s terms; the seed fixes the draw', async (spec) => {
    const G = group(spec);
    const d = G.d, n = 9;
    const x = gaussianMatrix(normal, n, d);
    const shape = { n, d };
    const output = G.translations ? 'points' : 'vectors';
    const fa = faFrames('fa', G, checkSingle(G, x, shape));
    const size = fa.sizes[0];
    const drawn = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const sfa = faFrames('sfa', G, checkSingle(G, x, shape), { seed });
      const m = Array.from(sfa.matrices);
      const e = Array.from({ length: size }, (_, j) => j).find((j) => Array.from(fa.matrices.subarray(j * d * d, (j + 1) * d * d)).every((v, i) => v === m[i]));
      expect(e).toBeDefined();
      drawn.add(e!);
      expect(Array.from(sfa.canonical)).toEqual(Array.from(fa.canonical.subarray(e! * n * d, (e! + 1) * n * d)));
      const r = await frameAverage('sfa', G, model, x, shape, { seed, output });
      expect(r.calls).toBe(1);
      // FA's term e: f(c_e)·M_eᵀ (+ t)
      const term = actRows(fa.matrices.subarray(e! * d * d, (e! + 1) * d * d), model(fa.canonical.slice(e! * n * d, (e! + 1) * n * d), shape), n, d, G.translations ? fa.shifts : undefined);
      close(r.output, term, 1e-14);
      expect(Array.from((await frameAverage('sfa', G, model, x, shape, { seed, output })).output)).toEqual(Array.from(r.output));
    }
    // 40 draws cover most of a frame of 4 to 8 elements
    expect(drawn.size).toBeGreaterThanOrEqual(Math.min(size, 4));
  });

  it('without a seed, draws one and records it', () => {
    const G = group('O(3)');
    const x = gaussianMatrix(normal, 5, 3);
    const f = faFrames('sfa', G, checkSingle(G, x, { n: 5, d: 3 }));
    expect(Number.isInteger(f.seed)).toBe(true);
    const again = faFrames('sfa', G, checkSingle(G, x, { n: 5, d: 3 }), { seed: f.seed });
    expect(Array.from(again.matrices)).toEqual(Array.from(f.matrices));
  });
});

describe('degenerate inputs: 4 repeated singular values, d = 6, rank 4', () => {
  it('MFA stays at round-off where FA does not', async () => {
    const normal = gaussian(rng(2024));
    const d = 6, n = 128;
    const x = withSingularValues(normal, n, [1.5, 1.5, 1.5, 1.5, 0, 0]);
    const shape = { n, d };
    const mfa = equivariant('O(6)', model);
    let mfaErr = 0, faErr = 0, ifaErr = 0;
    for (let trial = 0; trial < 3; trial++) {
      const g = haarOrthogonal(normal, d);
      const gx = actRows(g, x, n, d);
      mfaErr = Math.max(mfaErr, relativeError(await mfa(gx, shape), actRows(g, await mfa(x, shape), n, d)));
      for (const method of ['fa', 'ifa'] as const) {
        const e = relativeError((await frameAverage(method, 'O(6)', model, gx, shape)).output, actRows(g, (await frameAverage(method, 'O(6)', model, x, shape)).output, n, d));
        if (method === 'fa') faErr = Math.max(faErr, e);
        else ifaErr = Math.max(ifaErr, e);
      }
    }
    expect(mfaErr).toBeLessThan(1e-12);
    expect(faErr).toBeGreaterThan(1e-6);
    expect(faErr).toBeGreaterThan(1e6 * mfaErr);
    // iFA's perturbation depends on the rows' order and norms only, so it splits the
    // eigenvalues the same way for g·X: exact here too, at 64 model calls to MFA's one
    expect(ifaErr).toBeLessThan(1e-9);
  });
});

/**
 * Classical Jacobi (the largest off-diagonal entry first, until it is below 1e-15·‖A‖),
 * written apart from the kernel's cyclic sweeps; values descending, each vector's
 * largest component positive.
 */
function jacobiReference(a: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const m = a.slice();
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  const norm = Math.sqrt(m.reduce((s, x) => s + x * x, 0));
  for (let iter = 0; iter < 100 * d * d; iter++) {
    let p = 0, q = 1, big = 0;
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) if (Math.abs(m[i * d + j]) > big) [big, p, q] = [Math.abs(m[i * d + j]), i, j];
    if (big <= 1e-15 * norm) break;
    const theta = 0.5 * Math.atan2(2 * m[p * d + q], m[q * d + q] - m[p * d + p]);
    const c = Math.cos(theta), s = Math.sin(theta);
    // m ← Jᵀ m J with J = [[c, s], [−s, c]] in (p, q); then v ← v J
    for (let k = 0; k < d; k++) {
      const mkp = m[k * d + p], mkq = m[k * d + q];
      m[k * d + p] = c * mkp - s * mkq;
      m[k * d + q] = s * mkp + c * mkq;
    }
    for (let k = 0; k < d; k++) {
      const mpk = m[p * d + k], mqk = m[q * d + k];
      m[p * d + k] = c * mpk - s * mqk;
      m[q * d + k] = s * mpk + c * mqk;
    }
    for (let k = 0; k < d; k++) {
      const vkp = v[k * d + p], vkq = v[k * d + q];
      v[k * d + p] = c * vkp - s * vkq;
      v[k * d + q] = s * vkp + c * vkq;
    }
  }
  const order = Array.from({ length: d }, (_, j) => j).sort((i, j) => m[j * d + j] - m[i * d + i]);
  const values = Float64Array.from(order, (j) => m[j * d + j]);
  const vectors = new Float64Array(d * d);
  order.forEach((j, col) => {
    let big = 0;
    for (let r = 1; r < d; r++) if (Math.abs(v[r * d + j]) > Math.abs(v[big * d + j])) big = r;
    const sign = v[big * d + j] < 0 ? -1 : 1;
    for (let r = 0; r < d; r++) vectors[r * d + col] = sign * v[r * d + j];
  });
  return { values, vectors };
}

/** fa_eigh on a batch of count d×d matrices; vectors = false: eigenvalues only. */
function eigh(k: Kernels, a: Float64Array, count: number, d: number, vectors = true): Float64Array {
  return withArena(k, 'fa_eigh', (ar) => {
    const ap = ar.putF64(a), work = ar.alloc(k.exports.fa_work(d)), lp = ar.alloc(count * d * 8), vp = vectors ? ar.alloc(count * d * d * 8) : 0;
    k.exports.fa_eigh(ap, count, d, work, lp, vp);
    const out = new Float64Array(count * d * (vectors ? d + 1 : 1));
    out.set(ar.f64(lp, count * d));
    if (vectors) out.set(ar.f64(vp, count * d * d), count * d);
    return out;
  });
}

/** Symmetric test matrices: random, diagonal, zero, repeated eigenvalues, rank-deficient. */
function symmetricBatch(normal: () => number, d: number, count: number): Float64Array {
  const a = new Float64Array(count * d * d);
  for (let i = 0; i < count; i++) {
    const m = a.subarray(i * d * d, (i + 1) * d * d);
    const kind = i % 8;
    if (kind === 5) continue; // zero
    if (kind === 6) {
      for (let j = 0; j < d; j++) m[j * d + j] = normal();
      continue;
    }
    // Q·diag(λ)·Qᵀ, λ generic, repeated (kind 3), or with zeros (kind 4)
    const q = haarOrthogonal(normal, d);
    const lam = Array.from({ length: d }, (_, j) => (kind === 3 ? (j < (d + 1) / 2 ? 2 : -1) : kind === 4 && j % 2 === 1 ? 0 : normal() * 10 ** (kind === 7 ? j - d / 2 : 0)));
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) for (let j = 0; j < d; j++) m[r * d + c] += q[r * d + j] * lam[j] * q[c * d + j];
    for (let r = 0; r < d; r++) for (let c = 0; c < r; c++) m[r * d + c] = m[c * d + r];
  }
  return a;
}

describe.each(dims)('kernels, d = %i', (d) => {
  const normal = gaussian(rng(300 + d));
  const count = 64;
  const a = symmetricBatch(normal, d, count);

  it('fa_eigh: A·V = V·Λ, VᵀV = I, descending, sign convention, against classical Jacobi; both builds identical', () => {
    const out = both((k) => eigh(k, a, count, d));
    const values = out.subarray(0, count * d);
    const vectors = out.subarray(count * d);
    expect(Array.from(both((k) => eigh(k, a, count, d, false)))).toEqual(Array.from(values));
    // worst errors, relative to ‖A‖_F (eigenvectors: also to the eigenvalue gap)
    let residual = 0, orthogonality = 0, valueErr = 0, vectorErr = 0, ordered = true, signs = true;
    for (let i = 0; i < count; i++) {
      const m = a.subarray(i * d * d, (i + 1) * d * d);
      const lam = values.subarray(i * d, (i + 1) * d);
      const v = vectors.subarray(i * d * d, (i + 1) * d * d);
      const scale = Math.max(1e-300, Math.sqrt(m.reduce((s, x) => s + x * x, 0)));
      for (let j = 1; j < d; j++) ordered &&= lam[j] <= lam[j - 1];
      for (let j = 0; j < d; j++) {
        let big = 0;
        for (let r = 1; r < d; r++) if (Math.abs(v[r * d + j]) > Math.abs(v[big * d + j])) big = r;
        signs &&= v[big * d + j] > 0;
        for (let r = 0; r < d; r++) {
          let av = 0;
          for (let c = 0; c < d; c++) av += m[r * d + c] * v[c * d + j];
          residual = Math.max(residual, Math.abs(av - lam[j] * v[r * d + j]) / scale);
        }
        for (let l = 0; l < d; l++) {
          let s = 0;
          for (let r = 0; r < d; r++) s += v[r * d + j] * v[r * d + l];
          orthogonality = Math.max(orthogonality, Math.abs(s - (j === l ? 1 : 0)));
        }
      }
      const ref = jacobiReference(m, d);
      for (let j = 0; j < d; j++) valueErr = Math.max(valueErr, Math.abs(lam[j] - ref.values[j]) / scale);
      // eigenvectors are determined (up to the convention) where the eigenvalues are apart
      for (let j = 0; j < d; j++) {
        const gap = Math.min(j > 0 ? lam[j - 1] - lam[j] : Infinity, j < d - 1 ? lam[j] - lam[j + 1] : Infinity);
        if (gap < 1e-3 * scale) continue;
        for (let r = 0; r < d; r++) vectorErr = Math.max(vectorErr, Math.abs(v[r * d + j] - ref.vectors[r * d + j]) / Math.max(1, scale / gap));
      }
    }
    expect(ordered).toBe(true);
    expect(signs).toBe(true);
    expect(residual).toBeLessThan(1e-14 * d);
    expect(orthogonality).toBeLessThan(1e-14 * d);
    expect(valueErr).toBeLessThan(1e-14 * d);
    expect(vectorErr).toBeLessThan(1e-12);
  });

  it('fa_moments: centroid and (X − t)ᵀ(X − t), with and without centring; both builds identical', () => {
    const sizes = [0, 1, 2, d + 1, 17, 300];
    const offsets = new Int32Array(sizes.length + 1);
    sizes.forEach((s, i) => (offsets[i + 1] = offsets[i] + s));
    const x = gaussianMatrix(normal, offsets[sizes.length], d).map((v) => v + 5);
    for (const flags of [0, 2]) {
      const out = both((k) => withArena(k, 'fa_moments', (ar) => {
        const xp = ar.putF64(x), op = ar.putI32(offsets), work = ar.alloc(k.exports.fa_work(d));
        const tp = ar.alloc(sizes.length * d * 8), ap = ar.alloc(sizes.length * d * d * 8);
        k.exports.fa_moments(xp, op, sizes.length, d, flags, work, tp, ap);
        return Float64Array.from([...ar.f64(tp, sizes.length * d), ...ar.f64(ap, sizes.length * d * d)]);
      }));
      for (let i = 0; i < sizes.length; i++) {
        const t = new Float64Array(d);
        const n = sizes[i];
        if (flags && n > 0) for (let r = offsets[i]; r < offsets[i + 1]; r++) for (let p = 0; p < d; p++) t[p] += x[r * d + p] / n;
        const m = new Float64Array(d * d);
        for (let r = offsets[i]; r < offsets[i + 1]; r++) for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) m[p * d + q] += (x[r * d + p] - t[p]) * (x[r * d + q] - t[q]);
        close(out.subarray(i * d, (i + 1) * d), t, 1e-13);
        close(out.subarray(sizes.length * d + i * d * d, sizes.length * d + (i + 1) * d * d), m, 1e-12 * Math.max(1, n));
      }
    }
  });

  it('fa_expand and fa_average through faFrames/faAverage: both builds identical, against a plain average', () => {
    if (d > 6) return; // 2^d elements: the smaller sizes cover every path
    for (const spec of [`O(${d})`, `SE(${d})`]) {
      const G = group(spec);
      const sizes = [1, d + 2, 7];
      const offsets = new Int32Array(sizes.length + 1);
      sizes.forEach((s, i) => (offsets[i + 1] = offsets[i] + s));
      const x = gaussianMatrix(normal, offsets[sizes.length], d);
      for (const method of ['fa', 'ifa'] as const) {
        const frames = (k: Kernels) => faFrames(method, G, checkEagerly(G, { data: x, dim: d, offsets }), {}, k);
        const f = frames(simd);
        const g = frames(scalar);
        // bit for bit (helpers' `both` compares byte arrays with toEqual, slow at this size)
        expect(bytes(f.canonical).equals(bytes(g.canonical))).toBe(true);
        expect(bytes(f.matrices).equals(bytes(g.matrices))).toBe(true);
        const y = f.canonical.map((v, i) => Math.sin(v) + 0.01 * i);
        const avg = both((k) => faAverage(f, y, 'points', k));
        const want = new Float64Array(x.length);
        for (let i = 0; i < sizes.length; i++) {
          for (let e = f.elementOffsets[i]; e < f.elementOffsets[i + 1]; e++) {
            const m = f.matrices.subarray(e * d * d, (e + 1) * d * d);
            const ye = y.subarray(f.canonicalOffsets[e] * d, f.canonicalOffsets[e + 1] * d);
            const back = actRows(m, ye, sizes[i], d);
            for (let v = 0; v < back.length; v++) want[offsets[i] * d + v] += back[v] / f.sizes[i];
          }
          for (let r = offsets[i]; r < offsets[i + 1]; r++) for (let a = 0; a < d; a++) want[r * d + a] += G.translations ? f.shifts[i * d + a] : 0;
        }
        close(avg, want, 1e-13);
      }
    }
  });
});

describe('invalid options and inputs', () => {
  it('checkMethod: the default and MFA take any group; the baselines O, SO, E, SE with d <= 12', () => {
    expect(checkMethod(undefined, 'U(3)')).toBe('mfa');
    expect(checkMethod('mfa', 'graph')).toBe('mfa');
    for (const m of ['fa', 'sfa', 'ifa']) for (const g of ['O(3)', 'SO(2)', 'E(5)', 'SE(12)']) expect(checkMethod(m, g)).toBe(m);
    expect(() => checkMethod(3, 'O(3)')).toThrow(OptionTypeError);
    expect(() => checkMethod('FA', 'O(3)')).toThrow(OptionRangeError);
    expect(() => checkMethod('pca', 'O(3)')).toThrow(/unknown method 'pca'/);
    for (const g of ['U(3)', 'GL(3)', 'O(1,3)', 'S(n)', 'S(n) x O(3)', 'graph']) expect(() => checkMethod('fa', g)).toThrow(OptionRangeError);
    expect(() => checkMethod('sfa', `O(${FA_MAX_DIM + 1})`)).toThrow(/d <= 12/);
    expect(() => checkMethod('fa', 'Q(3)')).toThrow(OptionRangeError);
  });

  it('checkSeed and the other options', async () => {
    expect(checkSeed(0)).toBe(0);
    expect(checkSeed(2 ** 32 - 1)).toBe(2 ** 32 - 1);
    expect(() => checkSeed('1')).toThrow(OptionTypeError);
    for (const s of [-1, 0.5, 2 ** 32, NaN]) expect(() => checkSeed(s)).toThrow(OptionRangeError);
    const G = group('O(2)');
    const x = Float64Array.of(1, 2, 3, 4.5);
    expect(() => faFrames('fa', G, checkSingle(G, x, { n: 2, d: 2 }), { tol: 2 })).toThrow(OptionRangeError);
    expect(() => faFrames('sfa', G, checkSingle(G, x, { n: 2, d: 2 }), { first: -1 })).toThrow(OptionRangeError);
    expect(() => group('O(2)', { method: 'mfa', seed: 3 })).toThrow(OptionRangeError);
    expect(() => group('U(2)', { method: 'fa' })).toThrow(OptionRangeError);
    expect(() => equivariant('O(2)', model, { method: 'pca' as FaMethod })).toThrow(/unknown method 'pca'/);
    await expect(frameAverage('fa', 'O(2)', model, x, { n: 2, d: 2 }, { output: 'scalars' as 'points' })).rejects.toThrow(OptionRangeError);
    expect(() => equivariant(group('O(2)', { method: 'fa' }), 5 as never)).toThrow(OptionTypeError);
    const f = faFrames('fa', G, checkSingle(G, x, { n: 2, d: 2 }));
    expect(() => faAverage(f, new Float64Array(3), 'vectors')).toThrow(OptionRangeError);
    expect(() => faAverage(f, new Float64Array(6), 'invariant')).toThrow(OptionRangeError);
  });

  it('bad inputs and failing models name input 0', async () => {
    const shape = { n: 2, d: 2 };
    const x = Float64Array.of(1, 2, 3, 4.5);
    await expect(frameAverage('fa', 'O(2)', model, Float64Array.of(1, NaN, 3, 4), shape)).rejects.toThrow(InputRangeError);
    await expect(frameAverage('fa', 'O(2)', model, x, { n: 2, d: 3 })).rejects.toThrow(InputRangeError);
    await expect(frameAverage('fa', 'O(2)', () => new Float64Array(3), x, shape)).rejects.toThrow(InputTypeError);
    await expect(frameAverage('fa', 'O(2)', () => 7 as unknown as number[], x, shape)).rejects.toThrow(InputTypeError);
    let calls = 0;
    await expect(frameAverage('fa', 'O(2)', () => [++calls], x, shape, { output: 'invariant' })).resolves.toEqual({ output: Float64Array.of(2.5), calls: 4 });
    let k = 0;
    await expect(frameAverage('fa', 'O(2)', () => new Float64Array(1 + (k++ % 2)), x, shape, { output: 'invariant' })).rejects.toThrow(/invariant outputs must have one length/);
    await expect(frameAverage('fa', 'O(2)', () => { throw new Error('boom'); }, x, shape)).rejects.toThrow(ModelError);
    await expect(frameAverage('ifa', 'O(2)', async () => Promise.reject(new Error('late')), x, shape)).rejects.toThrow(/input 0: the model failed: late/);
    // an async model is awaited, a sync one is not
    const r = await frameAverage('fa', 'O(2)', async (c) => c, x, shape);
    close(r.output, x, 1e-14);
  });
});
