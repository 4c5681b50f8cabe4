/**
 * The averaging kernels against plain TypeScript references (the loops they
 * replaced): orbit means back in input order (avg_orbits) for nodes and ordered
 * pairs of many graphs at once, S(n) x G stabilizer means (avg_elements), orbits on
 * pairs (avg_pair_orbits), the stabilizer maps by the pseudo-inverse (linalg_pinv)
 * and the frame matrices applied transposed (linalg_apply_t, cplx_apply_t); then the
 * TypeScript paths built on them (restorePermutationOutputs, averageGraphOutputs,
 * the point groups' restore) against the old code. Sizes cross the SIMD width (n, d,
 * r, dim from 1 to 9, n up to 70), with many inputs per call, inputs without a frame,
 * empty stabilizers and the identity; the SIMD and scalar builds agree bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { withArena, type Kernels } from '../src/wasm/module.js';
import { close, dims, raggedRows, scalar, simd } from './helpers/kernels.js';
import { gaussian, gaussianMatrix, rng } from '../src/testing/random.js';
import { determinant, haarOrthogonal, randomPermutation } from '../src/testing/haar.js';
import { averageGraphOutputs, graphFrames, orbitsOnPairs } from '../src/frames/graph.js';
import { restorePermutationOutputs, type PermutationFrames, type Stabilizer } from '../src/frames/permutation.js';
import { computeFrames, restoreOutputs } from '../src/frames/families.js';
import type { OutputKind } from '../src/frames/index.js';
import { checkShape } from '../src/batch.js';
import { checkPermutationBatch, permutationJob } from '../src/kinds/permutation.js';
import { runInline } from '../src/kinds/kind.js';
import { runTask } from '../src/kinds/index.js';
import { kernels } from '../src/wasm/module.js';

/** A batch's permutation frames on this thread, as canonicalizeBatch computes them. */
const permutationFramesOf = (G: PermutationGroup, batch: { data: Float64Array; dim: number; offsets: Int32Array }, tol: number) =>
  runInline(permutationJob(checkPermutationBatch(G, batch), tol), runTask, kernels());
import { group, isPermutationGroup, type Group, type PermutationGroup } from '../src/groups.js';
import { relabel, fromGraph6 } from './helpers/graphs.js';
import families from './fixtures/nauty/families.json';

const u = rng(2718);
const normal = gaussian(u);
const PAIRS = 1;
const CANONICAL_IDS = 2;

/** Identical bits (NaN and the sign of zero included). */
function same(a: Float64Array | Int32Array, b: Float64Array | Int32Array): void {
  expect(a.length).toBe(b.length);
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  const j = Math.floor(i / a.BYTES_PER_ELEMENT);
  // the first value that differs, by index (Object.is tells −0 from 0)
  if (i < x.length) expect(`${j}: ${Object.is(a[j], -0) ? '-0' : a[j]}`).toBe(`${j}: ${Object.is(b[j], -0) ? '-0' : b[j]}`);
}

/**
 * fn on both builds, whose results must have identical bits (as helpers/kernels.ts's
 * `both`, with `same`'s comparison, which stays fast on large arrays).
 */
function builds<T extends Float64Array | Int32Array>(fn: (k: Kernels) => T): T {
  const a = fn(simd);
  same(fn(scalar), a);
  return a;
}

const offsetsOf = (sizes: number[]) => {
  const o = new Int32Array(sizes.length + 1);
  sizes.forEach((s, i) => (o[i + 1] = o[i] + s));
  return o;
};

/** Random orbit ids on one graph's `items` items (local): each item labelled by the smallest item of its class; with `alone`, some ids −1. */
function randomIds(items: number, alone: boolean): Int32Array {
  const classes = 1 + Math.floor(u() * items);
  const cls = Int32Array.from({ length: items }, () => Math.floor(u() * classes));
  const first = new Int32Array(classes).fill(-1);
  for (let i = 0; i < items; i++) if (first[cls[i]] < 0) first[cls[i]] = i;
  return Int32Array.from(cls, (c) => (alone && u() < 0.2 ? -1 : first[c]));
}

/**
 * The reference of avg_orbits: graph.ts's old averageOver per graph (sums from 0 in
 * canonical item order, then sum / count), generalised to canonical ids, ids −1,
 * the identity labeling and NaN sizes.
 */
function orbitMeans(y: Float64Array, voff: Int32Array, dim: number, flags: number, perm: Int32Array | null, ids: Int32Array | null, sizes: Float64Array | null): Float64Array {
  const pairs = (flags & PAIRS) !== 0;
  const out = new Float64Array(y.length);
  let first = 0;
  for (let g = 0; g + 1 < voff.length; g++) {
    const n = voff[g + 1] - voff[g];
    if (!pairs) first = voff[g];
    const items = pairs ? n * n : n;
    if (sizes && Number.isNaN(sizes[g])) out.fill(NaN, first * dim, (first + items) * dim);
    else {
      const p = perm?.subarray(voff[g], voff[g + 1]);
      const toInput = (i: number) => (!p ? i : pairs ? p[Math.floor(i / n)] * n + p[i % n] : p[i]);
      const idOf = (i: number) => (ids ? ids[first + (flags & CANONICAL_IDS ? i : toInput(i))] : -1);
      const sum = new Float64Array(items * dim);
      const cnt = new Float64Array(items);
      for (let i = 0; i < items; i++) {
        const r = idOf(i);
        if (r < 0) continue;
        cnt[r]++;
        for (let c = 0; c < dim; c++) sum[r * dim + c] += y[(first + i) * dim + c];
      }
      for (let i = 0; i < items; i++) {
        const r = idOf(i);
        const dst = (first + toInput(i)) * dim;
        for (let c = 0; c < dim; c++) out[dst + c] = r < 0 ? y[(first + i) * dim + c] : sum[r * dim + c] / cnt[r];
      }
    }
    first += items;
  }
  return out;
}

function runOrbits(k: Kernels, y: Float64Array, voff: Int32Array, dim: number, flags: number, perm: Int32Array | null, ids: Int32Array | null, sizes: Float64Array | null): Float64Array {
  return withArena(k, 'avg_orbits', (a) => {
    const count = voff.length - 1;
    let most = 0;
    for (let g = 0; g < count; g++) most = Math.max(most, (flags & PAIRS ? voff[g + 1] - voff[g] : 1) * (voff[g + 1] - voff[g]));
    const yp = a.putF64(y), vp = a.putI32(voff);
    const pp = perm ? a.putI32(perm) : 0, ip = ids ? a.putI32(ids) : 0, sp = sizes ? a.putF64(sizes) : 0;
    const out = a.alloc(y.length * 8), work = a.alloc(k.exports.avg_work(most, dim));
    a.f64(out, y.length).fill(12345); // every item must be written
    k.exports.avg_orbits(yp, vp, count, dim, flags, pp, ip, sp, out, work);
    return a.f64(out, y.length).slice();
  });
}

describe('avg_orbits: orbit means back in input order, many graphs per call', () => {
  const sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 70];
  for (const pairs of [false, true]) {
    it.each(dims)(`${pairs ? 'ordered pairs' : 'nodes'}, dim = %i: input and canonical ids, ids −1, the identity labeling, NaN sizes`, (dim) => {
      const ns = pairs ? sizes.filter((n) => n <= 33 || dim <= 3) : sizes;
      const voff = offsetsOf([...ns, ...ns.slice().reverse()]);
      const count = voff.length - 1;
      let items = 0;
      for (let g = 0; g < count; g++) items += pairs ? (voff[g + 1] - voff[g]) ** 2 : voff[g + 1] - voff[g];
      const y = gaussianMatrix(normal, items, dim);
      const perm = new Int32Array(voff[count]);
      for (let g = 0; g < count; g++) perm.set(randomPermutation(u, voff[g + 1] - voff[g]), voff[g]);
      const sz = Float64Array.from({ length: count }, (_, g) => (g % 5 === 3 ? NaN : 1));
      const flags = pairs ? PAIRS : 0;
      for (const f of [flags, flags | CANONICAL_IDS]) {
        for (const alone of [false, true]) {
          const ids = new Int32Array(items);
          for (let g = 0, at = 0; g < count; g++) {
            const m = (pairs ? voff[g + 1] - voff[g] : 1) * (voff[g + 1] - voff[g]);
            ids.set(randomIds(m, alone), at);
            at += m;
          }
          for (const [p, s] of [[perm, null], [perm, sz], [null, null]] as const) {
            const got = builds((k) => runOrbits(k, y, voff, dim, f, p, ids, s));
            same(got, orbitMeans(y, voff, dim, f, p, ids, s));
          }
        }
      }
      // no orbits: the permutation back to input order alone, exact copies
      const moved = builds((k) => runOrbits(k, y, voff, dim, flags, perm, null, sz));
      same(moved, orbitMeans(y, voff, dim, flags, perm, null, sz));
      // one orbit per item: the same as no orbits
      const own = new Int32Array(items);
      for (let g = 0, at = 0; g < count; g++) for (let i = 0; i < (pairs ? voff[g + 1] - voff[g] : 1) * (voff[g + 1] - voff[g]); i++) own[at++] = i;
      same(builds((k) => runOrbits(k, y, voff, dim, flags | CANONICAL_IDS, perm, own, sz)), moved);
    });
  }

  it('an empty batch and graphs of zero vertices write nothing', () => {
    same(builds((k) => runOrbits(k, new Float64Array(0), Int32Array.of(0), 3, 0, null, null, null)), new Float64Array(0));
    same(builds((k) => runOrbits(k, new Float64Array(0), Int32Array.of(0, 0, 0), 2, PAIRS, new Int32Array(0), new Int32Array(0), null)), new Float64Array(0));
  });
});

/** An 'elements' stabilizer of n rows at rank r: the identity first, then random permutations, maps and signs. */
function randomElements(n: number, r: number, e: number, completed: boolean): Extract<Stabilizer, { kind: 'elements' }> {
  const autos = new Int32Array(e * n);
  for (let j = 1; j < e; j++) autos.set(randomPermutation(u, n), j * n);
  for (let p = 0; p < n; p++) autos[p] = p;
  const maps = gaussianMatrix(normal, e, r * r);
  for (let q = 0; q < r * r; q++) maps[q] = q % (r + 1) === 0 ? 1 : 0;
  const signs = Int8Array.from({ length: e }, (_, j) => (j > 0 && u() < 0.5 ? -1 : 1));
  return { kind: 'elements', count: e, autos, maps, signs, completed };
}

/** The reference of avg_elements: permutation.ts's old averageOverStabilizer ('elements'). */
function elementMeans(s: Extract<Stabilizer, { kind: 'elements' }>, y: Float64Array, z: Float64Array, o: number, n: number, d: number, r: number): void {
  const base = o * d;
  const { count, autos, maps, signs, completed } = s;
  const avg = new Float64Array(n * d);
  for (let e = 0; e < count; e++) {
    const a = autos.subarray(e * n, e * n + n);
    const m = maps.subarray(e * r * r, (e + 1) * r * r);
    for (let k = 0; k < n; k++) {
      const src = base + a[k] * d;
      for (let c = 0; c < r; c++) {
        let v = 0;
        for (let l = 0; l < r; l++) v += y[src + l] * m[l * r + c];
        avg[k * d + c] += v;
      }
      if (completed) avg[k * d + d - 1] += signs[e] * y[src + d - 1];
      else for (let c = r; c < d; c++) avg[k * d + c] += y[src + c];
    }
  }
  for (let j = 0; j < n * d; j++) z[base + j] = avg[j] / count;
}

function runElements(k: Kernels, y: Float64Array, offsets: Int32Array, d: number, listed: [number, number, Extract<Stabilizer, { kind: 'elements' }>][], inPlace: boolean): Float64Array {
  return withArena(k, 'avg_elements', (a) => {
    let maxN = 0;
    for (let i = 0; i + 1 < offsets.length; i++) maxN = Math.max(maxN, offsets[i + 1] - offsets[i]);
    const yp = a.putF64(y), op = a.putI32(offsets);
    const list = a.putI32(listed.flatMap(([i, r, s]) => [i, s.count, r, s.completed ? 1 : 0]));
    const autos = a.putI32(listed.flatMap(([, , s]) => Array.from(s.autos)));
    const maps = a.putF64(listed.flatMap(([, , s]) => Array.from(s.maps)));
    const signs = a.putI32(listed.flatMap(([, , s]) => Array.from(s.signs)));
    const out = inPlace ? yp : a.putF64(y);
    const work = a.alloc(k.exports.avg_work(maxN, d));
    k.exports.avg_elements(yp, op, d, list, listed.length, autos, maps, signs, out, work);
    return a.f64(out, y.length).slice();
  });
}

describe.each(dims)('avg_elements, d = %i: means over S(n) x G stabilizers, every rank', (d) => {
  it('listed inputs of a batch, in place and not, against the old loop; the others untouched', () => {
    const sizes = [0, 1, 2, 3, d, d + 1, 9, 17, 33, 70, 5];
    const offsets = offsetsOf(sizes);
    const y = gaussianMatrix(normal, offsets[sizes.length], d);
    const listed: [number, number, Extract<Stabilizer, { kind: 'elements' }>][] = [];
    sizes.forEach((n, i) => {
      if (i % 4 === 3) return; // an input without a stabilizer
      const r = (i * 7) % (d + 1);
      const completed = r === d - 1 && i % 2 === 0;
      listed.push([i, r, randomElements(n, r, 1 + ((i * 5) % 13), completed)]);
    });
    const want = y.slice();
    for (const [i, r, s] of listed) elementMeans(s, y, want, offsets[i], offsets[i + 1] - offsets[i], d, r);
    for (const inPlace of [false, true]) same(builds((k) => runElements(k, y, offsets, d, listed, inPlace)), want);
    // the identity alone (a stabilizer of one element) gives y back exactly
    const identities = listed.map(([i, r, s]): (typeof listed)[number] => [i, r, { ...s, count: 1, autos: s.autos.subarray(0, offsets[i + 1] - offsets[i]), maps: s.maps.subarray(0, r * r), signs: s.signs.subarray(0, 1) }]);
    same(builds((k) => runElements(k, y, offsets, d, identities, true)), y);
    // an empty list writes nothing
    same(builds((k) => runElements(k, y, offsets, d, [], false)), y);
  });
});

/** The reference of linalg_pinv: permutation.ts's old stabilizerOf, pinvTimes and determinant. */
function oldMaps(c: Float64Array, n: number, d: number, r: number, autos: Int32Array[]): { m: Float64Array; sign: number }[] {
  const C = (a: Int32Array | null) => {
    const m = new Float64Array(n * r);
    for (let p = 0; p < n; p++) for (let q = 0; q < r; q++) m[p * r + q] = c[(a ? a[p] : p) * d + q];
    return m;
  };
  const C0 = C(null);
  return autos.map((a) => {
    const identity = a.every((v, p) => v === p);
    const m = identity ? Float64Array.from({ length: r * r }, (_, j) => (j % (r + 1) === 0 ? 1 : 0)) : pinvTimes(C(a), C0, n, r);
    return { m, sign: determinant(m, r) < 0 ? -1 : 1 };
  });
}

function pinvTimes(A: Float64Array, B: Float64Array, n: number, r: number): Float64Array {
  const ata = new Float64Array(r * r);
  const atb = new Float64Array(r * r);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < r; p++) {
      for (let q = 0; q < r; q++) {
        ata[p * r + q] += A[i * r + p] * A[i * r + q];
        atb[p * r + q] += A[i * r + p] * B[i * r + q];
      }
    }
  }
  for (let k = 0; k < r; k++) {
    let piv = k;
    for (let i = k + 1; i < r; i++) if (Math.abs(ata[i * r + k]) > Math.abs(ata[piv * r + k])) piv = i;
    for (let j = 0; j < r; j++) {
      [ata[k * r + j], ata[piv * r + j]] = [ata[piv * r + j], ata[k * r + j]];
      [atb[k * r + j], atb[piv * r + j]] = [atb[piv * r + j], atb[k * r + j]];
    }
    for (let i = k + 1; i < r; i++) {
      const l = ata[i * r + k] / ata[k * r + k];
      for (let j = 0; j < r; j++) {
        ata[i * r + j] -= l * ata[k * r + j];
        atb[i * r + j] -= l * atb[k * r + j];
      }
    }
  }
  for (let k = r - 1; k >= 0; k--) {
    for (let j = 0; j < r; j++) {
      let s = atb[k * r + j];
      for (let q = k + 1; q < r; q++) s -= ata[k * r + q] * atb[q * r + j];
      atb[k * r + j] = s / ata[k * r + k];
    }
  }
  return atb;
}

/** linalg_pinv on both builds (bit-identical): the maps, then the signs. */
function runPinv(c: Float64Array, n: number, d: number, r: number, autos: Int32Array[]): { maps: Float64Array; signs: Int32Array } {
  const count = autos.length;
  const got = builds((k) => withArena(k, 'linalg_pinv', (a) => {
    const cp = a.putF64(c), ap = a.putI32(autos.flatMap((x) => Array.from(x)));
    const work = a.alloc(k.exports.linalg_pinv_work(n, r)), mp = a.alloc(count * r * r * 8), sp = a.alloc(count * 4);
    k.exports.linalg_pinv(cp, n, d, r, ap, count, work, mp, sp);
    const out = new Float64Array(count * r * r + count);
    out.set(a.f64(mp, count * r * r));
    out.set(Float64Array.from(a.i32(sp, count)), count * r * r);
    return out;
  }));
  return { maps: got.subarray(0, count * r * r), signs: Int32Array.from(got.subarray(count * r * r)) };
}

describe.each(dims)('linalg_pinv, d = %i: maps pinv(C[a])·C and their det signs', (d) => {
  it('random rows at every rank r <= d, n up to 70: the old normal-equations solve to round-off, the identity exactly', () => {
    for (let r = 0; r <= d; r++) {
      for (const n of [Math.max(r, 1), r + 1, 9, 17, 70]) {
        const c = gaussianMatrix(normal, n, d);
        const autos = [Int32Array.from({ length: n }, (_, p) => p), ...Array.from({ length: 6 }, () => randomPermutation(u, n))];
        const { maps, signs } = runPinv(c, n, d, r, autos);
        const want = oldMaps(c, n, d, r, autos);
        want.forEach((w, e) => {
          const got = maps.subarray(e * r * r, (e + 1) * r * r);
          if (e === 0) same(got, w.m);
          else close(got, w.m, 1e-9);
          expect(signs[e], `sign of element ${e}`).toBe(w.sign);
        });
      }
    }
  });

  it('a point set with real symmetries: C[a]·M_a = C, M_a orthogonal, det ±1 as the reference', () => {
    // ±e_q for q < d (the cross-polytope), rotated: every signed permutation of the axes is a symmetry
    const n = 2 * d;
    const g = haarOrthogonal(normal, d);
    const c = new Float64Array(n * d);
    for (let q = 0; q < d; q++) for (const [p, s] of [[2 * q, 1], [2 * q + 1, -1]]) for (let j = 0; j < d; j++) c[p * d + j] = s * g[j * d + q];
    // a: swap the pair of axis 0 (a reflection) / rotate the axes cyclically (det of a d-cycle)
    const flip = Int32Array.from({ length: n }, (_, p) => (p < 2 ? 1 - p : p));
    const cycle = Int32Array.from({ length: n }, (_, p) => (p + 2) % n);
    const { maps, signs } = runPinv(c, n, d, d, [flip, cycle]);
    const want = oldMaps(c, n, d, d, [flip, cycle]);
    [flip, cycle].forEach((a, e) => {
      const m = maps.subarray(e * d * d, (e + 1) * d * d);
      for (let p = 0; p < n; p++) {
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let l = 0; l < d; l++) s += c[a[p] * d + l] * m[l * d + j];
          expect(Math.abs(s - c[p * d + j])).toBeLessThan(1e-12);
        }
      }
      close(m, want[e].m, 1e-12);
      expect(Math.abs(determinant(m, d)) - 1).toBeLessThan(1e-12);
      expect(signs[e]).toBe(want[e].sign);
    });
    expect(signs[0]).toBe(-1);
    expect(signs[1]).toBe(d % 2 === 1 ? 1 : -1);
  });

  it('C without full column rank (a zero column) gives NaN maps, the identity still exact', () => {
    const n = d + 2;
    const c = gaussianMatrix(normal, n, d);
    for (let p = 0; p < n; p++) c[p * d] = 0;
    const { maps, signs } = runPinv(c, n, d, d, [Int32Array.from({ length: n }, (_, p) => p), randomPermutation(u, n)]);
    same(maps.subarray(0, d * d), Float64Array.from({ length: d * d }, (_, j) => (j % (d + 1) === 0 ? 1 : 0)));
    expect(Array.from(maps.subarray(d * d)).every(Number.isNaN)).toBe(true);
    expect(Array.from(signs)).toEqual([1, 1]);
  });
});

/** The reference of avg_pair_orbits: graph.ts's old orbitsOnPairs. */
function oldPairOrbits(n: number, gens: Int32Array[]): Int32Array {
  const parent = Int32Array.from({ length: n * n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const g of gens) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const a = find(i * n + j);
        const b = find(g[i] * n + g[j]);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  return Int32Array.from(parent, (_, i) => find(i));
}

describe('avg_pair_orbits: orbits on ordered pairs, many graphs per call', () => {
  it('random generators (none, one, several; involutions and long cycles), n up to 70', () => {
    const ns = [0, 1, 2, 3, 4, 5, 8, 9, 17, 70, 6];
    const voff = offsetsOf(ns);
    const gens = ns.map((n, g) => Array.from({ length: g % 4 }, (_, s) => {
      if (s === 0) return randomPermutation(u, n);
      const p = Int32Array.from({ length: n }, (_, v) => v); // an involution
      for (let v = 0; v + 1 < n; v += 2 + s) [p[v], p[v + 1]] = [p[v + 1], p[v]];
      return p;
    }));
    const total = ns.reduce((s, n) => s + n * n, 0);
    const got = builds((k) => withArena(k, 'avg_pair_orbits', (a) => {
      const vp = a.putI32(voff), np = a.putI32(gens.map((g) => g.length));
      const gp = a.putI32(gens.flatMap((gs) => gs.flatMap((g) => Array.from(g))));
      const out = a.alloc(total * 4);
      k.exports.avg_pair_orbits(vp, ns.length, gp, np, out);
      return a.i32(out, total).slice();
    }));
    let at = 0;
    ns.forEach((n, g) => {
      same(got.subarray(at, at + n * n), oldPairOrbits(n, gens[g]));
      same(orbitsOnPairs(n, gens[g], scalar), oldPairOrbits(n, gens[g]));
      at += n * n;
    });
  });
});

describe.each(dims)('transposed frame matrices, d = %i', (d) => {
  const { x, offsets, count } = raggedRows(normal, d);
  it('linalg_apply_t: (x − pre)·Mᵀ + post, the bits of linalg_apply on the transposes (formed in TypeScript)', () => {
    const m = gaussianMatrix(normal, count, d * d);
    const pre = gaussianMatrix(normal, count, d);
    const post = gaussianMatrix(normal, count, d);
    for (const fixed of [false, true]) {
      const run = (kernel: 'linalg_apply' | 'linalg_apply_t', mats: Float64Array) => builds((k) => withArena(k, kernel, (a) => {
        const xp = a.putF64(x), op = a.putI32(offsets), mp = a.putF64(mats), pp = a.putF64(pre), qp = a.putF64(post);
        const out = a.alloc(x.length * 8), work = a.alloc(d * d * 8);
        k.exports[kernel](xp, op, count, d, mp, fixed ? 0 : d * d, pp, d, qp, d, out, work);
        return a.f64(out, x.length).slice();
      }));
      // linalg_apply is checked against plain TypeScript in kernels.test.ts
      same(run('linalg_apply_t', m), run('linalg_apply', transposedFrames(m, d, 1)));
    }
  });

  it('cplx_apply_t: x·Mᵀ (not conjugated), the bits of cplx_apply on the transposes', () => {
    const cx = raggedRows(normal, d, 2);
    const m = gaussianMatrix(normal, cx.count, 2 * d * d);
    for (const fixed of [false, true]) {
      const run = (kernel: 'cplx_apply' | 'cplx_apply_t', mats: Float64Array) => builds((k) => withArena(k, kernel, (a) => {
        const xp = a.putF64(cx.x), op = a.putI32(cx.offsets), mp = a.putF64(mats);
        const out = a.alloc(cx.x.length * 8), work = a.alloc(4 * d * d * 8);
        k.exports[kernel](xp, op, cx.count, d, mp, fixed ? 0 : d * d, out, work);
        return a.f64(out, cx.x.length).slice();
      }));
      same(run('cplx_apply_t', m), run('cplx_apply', transposedFrames(m, d, 2)));
    }
  });
});

/** The old restore of permutation.ts: stabilizer means, y·Mᵀ (+ t) per input in TypeScript, then the row permutation. */
function oldRestore(G: PermutationGroup, f: PermutationFrames, y: Float64Array, kind: OutputKind, rowLen: number): Float64Array {
  const { offsets, count, permutations } = f;
  const z = y.slice();
  for (const [i, s] of f.stabilizers) {
    const o = offsets[i];
    const n = offsets[i + 1] - o;
    if (s.kind === 'elements') elementMeans(s, y, z, o, n, rowLen, f.ranks[i]);
    else {
      const sum = new Float64Array(n * rowLen);
      const cnt = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        cnt[s.run[k]]++;
        for (let c = 0; c < rowLen; c++) sum[s.run[k] * rowLen + c] += y[o * rowLen + k * rowLen + c];
      }
      for (let k = 0; k < n; k++) for (let c = 0; c < rowLen; c++) z[o * rowLen + k * rowLen + c] = sum[s.run[k] * rowLen + c] / cnt[s.run[k]];
    }
  }
  let w = z;
  if (G.base) {
    const d = G.base.d;
    w = new Float64Array(z.length);
    const shift = kind === 'points' && G.base.translations;
    for (let i = 0; i < count; i++) {
      for (let r = offsets[i]; r < offsets[i + 1]; r++) {
        for (let j = 0; j < d; j++) {
          let s = shift ? f.shifts[i * d + j] : 0;
          for (let a = 0; a < d; a++) s += z[r * d + a] * f.matrices[i * d * d + j * d + a];
          w[r * d + j] = s;
        }
      }
    }
  }
  const out = new Float64Array(y.length);
  for (let i = 0; i < count; i++) {
    const o = offsets[i];
    const n = offsets[i + 1] - o;
    if (Number.isNaN(f.sizes[i])) {
      out.fill(NaN, o * rowLen, (o + n) * rowLen);
      continue;
    }
    for (let j = 0; j < n; j++) for (let c = 0; c < rowLen; c++) out[(o + permutations[o + j]) * rowLen + c] = w[(o + j) * rowLen + c];
  }
  return out;
}

/**
 * Cube corners, cross-polytopes, both, and a cube's face (rank d − 1), rotated (and,
 * for groups with translations, moved), with a random set and a bad input among them.
 */
function symmetricBatch(d: number, copies: number, move: boolean): { data: Float64Array; offsets: Int32Array } {
  const sets: number[][] = [];
  const cube = Array.from({ length: 2 ** d }, (_, v) => Array.from({ length: d }, (_, a) => ((v >> a) & 1 ? 1 : -1)));
  const octa = Array.from({ length: 2 * d }, (_, v) => Array.from({ length: d }, (_, a) => (a === v >> 1 ? (v & 1 ? 1 : -1) : 0)));
  for (let c = 0; c < copies; c++) {
    const flat = cube.filter((p) => p[d - 1] < 0).map((p) => p.map((v, a) => (a === d - 1 ? 0 : v))); // rank d − 1
    for (const shape of [cube, octa, [...cube, ...octa.map((p) => p.map((v) => 2 * v))], flat]) {
      const g = haarOrthogonal(normal, d);
      const t = Array.from({ length: d }, () => (move ? normal() : 0));
      sets.push(shape.flatMap((p) => Array.from({ length: d }, (_, j) => p.reduce((s, v, a) => s + v * g[j * d + a], t[j]))));
    }
    sets.push(Array.from(gaussianMatrix(normal, 7, d)));
    if (c === 1) sets.push([NaN, ...Array.from({ length: 3 * d - 1 }, () => normal())]);
  }
  const offsets = offsetsOf(sets.map((s) => s.length / d));
  return { data: Float64Array.from(sets.flat()), offsets };
}

describe('restorePermutationOutputs on the kernels: the old TypeScript path, bit for bit on the same frames', () => {
  const cases: [string, OutputKind][] = [
    ['S(n) x O(3)', 'vectors'], ['S(n) x SO(3)', 'vectors'], ['S(n) x E(3)', 'points'], ['S(n) x SE(3)', 'points'],
    ['S(n) x O(2)', 'vectors'], ['S(n) x SO(2)', 'vectors'], ['S(n) x O(4)', 'vectors'], ['S(n) x O(1,3)', 'vectors'],
  ];
  for (const [spec, kind] of cases) {
    it(`${spec}, ${kind}: cubes, cross-polytopes, both, flat faces, a random set, an input without a frame`, () => {
      const G = group(spec as 'S(n)') as PermutationGroup;
      const d = G.base!.d;
      const { data, offsets } = symmetricBatch(d, 3, G.base!.translations);
      const { frames, errors } = permutationFramesOf(G, { data, dim: d, offsets }, 1e-9);
      expect(errors.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      if (G.base!.family === 'orthogonal') expect(frames.stabilizers.size).toBeGreaterThan(5);
      const completed = [...frames.stabilizers.values()].some((s) => s.kind === 'elements' && s.completed);
      expect(completed, 'a face under an SO group completes its last column').toBe(G.base!.special);
      const rows = offsets[offsets.length - 1];
      const y = gaussianMatrix(normal, rows, d);
      const want = oldRestore(G, frames, y, kind, d);
      for (const k of [simd, scalar]) same(restorePermutationOutputs(G, frames, y, kind, k), want);
      // into a caller's array, which may be y itself
      const into = y.slice();
      expect(restorePermutationOutputs(G, frames, into, kind, simd, d, into)).toBe(into);
      same(into, want);
    });
  }

  it('S(n): tie groups of repeated rows (rows of any length), inputs without a frame, none with a stabilizer', () => {
    const G = group('S(n)') as PermutationGroup;
    for (const d of [1, 2, 3, 5]) {
      const sets = [0, 1, 2, 9, 17, 70].map((n) => Array.from({ length: n * d }, (_, j) => Math.floor(u() * 2) + (j % d)));
      sets.push([NaN, ...Array.from({ length: 2 * d - 1 }, () => 1)], Array.from(gaussianMatrix(normal, 5, d)));
      const offsets = offsetsOf(sets.map((s) => s.length / d));
      const { frames } = permutationFramesOf(G, { data: Float64Array.from(sets.flat()), dim: d, offsets }, 1e-9);
      expect(frames.stabilizers.size).toBeGreaterThanOrEqual(2);
      const rows = offsets[offsets.length - 1];
      for (const rowLen of [1, d, 4]) {
        const y = gaussianMatrix(normal, rows, rowLen);
        const want = oldRestore(G, frames, y, 'vectors', rowLen);
        for (const k of [simd, scalar]) same(restorePermutationOutputs(G, frames, y, 'vectors', k, rowLen), want);
        same(restorePermutationOutputs(G, { ...frames, stabilizers: new Map() }, y, 'vectors', simd, rowLen), oldRestore(G, { ...frames, stabilizers: new Map() }, y, 'vectors', rowLen));
      }
    }
  });
});

describe('the point groups restore through the transposed kernels: the old TypeScript transposes, bit for bit', () => {
  for (const spec of ['O(3)', 'E(3)', 'SO(5)', 'O(1,3)', 'GL(4)', 'Aff(3)', 'U(3)', 'SU(2)', 'U(4)']) {
    it(spec, () => {
      const G = group(spec as 'O(3)') as Group;
      expect(isPermutationGroup(G)).toBe(false);
      const width = G.width;
      const { x, offsets } = raggedRows(normal, G.d, width);
      const f = computeFrames(G, checkShape(G, { data: x, dim: G.d, offsets }), 1e-9);
      const y = gaussianMatrix(normal, offsets[offsets.length - 1], G.d * width);
      for (const kind of ['vectors', 'points'] as const) {
        // the old path: M_iᵀ formed in TypeScript, then linalg_apply / cplx_apply
        const want = builds((k) => withArena(k, 'old restore', (a) => {
          const d = G.d;
          const mt = a.putF64(transposedFrames(f.matrices, d, width));
          const post = width === 1 && kind === 'points' && G.translations ? a.putF64(f.shifts) : 0;
          const yp = a.putF64(y), op = a.putI32(offsets), out = a.alloc(y.length * 8), work = a.alloc(2 * d * d * 8);
          if (width === 2) k.exports.cplx_apply(yp, op, f.count, d, mt, d * d, out, work);
          else k.exports.linalg_apply(yp, op, f.count, d, mt, d * d, 0, 0, post, d, out, work);
          return a.f64(out, y.length).slice();
        }));
        for (const k of [simd, scalar]) same(restoreOutputs(G, f, y, kind, k), want);
        const into = y.slice();
        expect(restoreOutputs(G, f, into, kind, simd, into)).toBe(into);
        same(into, want);
      }
    });
  }
});

/** Plain TypeScript: each d×d frame matrix of m transposed (width 2: complex values, not conjugated). */
function transposedFrames(m: Float64Array, d: number, width: number): Float64Array {
  const t = new Float64Array(m.length);
  for (let i = 0; i < m.length / (width * d * d); i++) {
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) for (let w = 0; w < width; w++) t[width * (i * d * d + r * d + c) + w] = m[width * (i * d * d + c * d + r) + w];
  }
  return t;
}

describe('averageGraphOutputs: many graphs in one call, the old per-graph averages bit for bit', () => {
  const known = families.slice(0, 12).map((f) => fromGraph6(f.g6));

  it.each([1, 2, 3, 5, 8])('dim = %i: nodes and edges of relabelled copies; each graph alone; errors', (dim) => {
    const inputs = known.flatMap(({ n, a }) => [a, relabel(a, n, randomPermutation(u, n))].map((adjacency) => ({ adjacency, options: { n } })));
    const frames = graphFrames(inputs);
    const f0 = frames[0];
    for (const kind of ['nodes', 'edges'] as const) {
      const sizes = frames.map((f) => (kind === 'edges' ? f.n * f.n : f.n));
      const y = gaussianMatrix(normal, sizes.reduce((s, v) => s + v, 0), dim);
      const graphs = frames.map((f) => ({ permutation: f.permutation, orbits: kind === 'edges' ? f.pairOrbits() : f.orbits }));
      const got = averageGraphOutputs(graphs, y, dim, kind, simd);
      same(averageGraphOutputs(graphs, y, dim, kind, scalar), got);
      let at = 0;
      frames.forEach((f, g) => {
        const items = sizes[g];
        const yg = y.subarray(at * dim, (at + items) * dim);
        const orbit = kind === 'edges' ? f.pairOrbits() : f.orbits;
        const voff = Int32Array.of(0, f.n);
        same(got.subarray(at * dim, (at + items) * dim), orbitMeans(yg, voff, dim, kind === 'edges' ? PAIRS : 0, f.permutation, orbit, null));
        same(kind === 'edges' ? f.averageEdges(yg, dim) : f.averageNodes(Array.from(yg), dim), got.subarray(at * dim, (at + items) * dim));
        at += items;
      });
      const into = y.slice();
      expect(averageGraphOutputs(graphs, into, dim, kind, simd, into)).toBe(into);
      same(into, got);
      expect(() => averageGraphOutputs(graphs, y.subarray(1), dim, kind)).toThrow(RangeError);
      expect(() => averageGraphOutputs(graphs, y, dim, kind, simd, new Float64Array(3))).toThrow(RangeError);
      expect(() => f0.averageNodes(new Float64Array(f0.n * dim), dim, new Float64Array(1))).toThrow(RangeError);
    }
    expect(() => averageGraphOutputs(frames, new Float64Array(0), 0, 'nodes')).toThrow(RangeError);
    // a GraphFrame is node orbits as it stands
    same(averageGraphOutputs(frames.slice(0, 2), new Float64Array((frames[0].n + frames[1].n) * dim).fill(1), dim, 'nodes'), new Float64Array((frames[0].n + frames[1].n) * dim).fill(1));
    expect(() => averageGraphOutputs(frames, new Float64Array(frames.reduce((s, f) => s + f.n * f.n, 0) * dim), dim, 'edges')).toThrow(/pass pairOrbits/);
    same(averageGraphOutputs([], new Float64Array(0), dim, 'edges'), new Float64Array(0));
  });
});
