/**
 * Averaging a model's outputs over finite stabilizers, in closed form, for whole
 * batches (src/frames/graph.ts and src/frames/permutation.ts):
 * - avg_orbits: the mean over each orbit of items (graph nodes, ordered pairs of
 *   nodes, S(n)'s tie groups of rows), written back in input order — with no orbits,
 *   just the permutation of the items back to input order.
 * - avg_elements: the mean over the listed elements of S(n) x G stabilizers, each a
 *   permutation of the rows with a map on the span's coordinates.
 * - avg_pair_orbits: the orbits of a permutation group on ordered pairs.
 * An orbit mean is the closed form of the mean over the group, which acts
 * transitively on each orbit.
 *
 * Bit-identity between builds: every sum runs over the items in order, each of the
 * dim values of an item in its own chain (SIMD lanes hold two values of one item,
 * never partial sums of one value), so both builds add and divide the same numbers
 * in the same order.
 */
import { copy, zero } from '../linalg/vec';

/** Flag bits of avg_orbits. */
export const AVG_PAIRS: i32 = 1; // items are the n×n ordered pairs of each graph, else its n nodes
export const AVG_CANONICAL_IDS: i32 = 2; // orbit ids are indexed by canonical item, else by input item

/**
 * Bytes of scratch for avg_orbits and avg_elements on inputs of at most `items`
 * items (nodes, pairs, rows) of `dim` values: a sum per item and a count.
 */
export function avg_work(items: i32, dim: i32): usize {
  return (<usize>items * <usize>(dim + 1)) << 3;
}

/** y[i] += x[i], i < n (each value its own sum: the lanes are two values). */
// @ts-ignore: decorator
@inline function addTo(y: usize, x: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + load<f64>(x + o));
  }
}

/** y[i] = x[i] / c, i < n (a division, not a product with 1/c: the bits of x/c). */
// @ts-ignore: decorator
@inline function divTo(y: usize, x: usize, c: f64, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const cv = f64x2.splat(c);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.div(v128.load(x + o), cv));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(x + o) / c);
  }
}

/**
 * Orbit means of the outputs of many graphs (or point sets) at once, back in input
 * order. Graph g has n_g = voff[g+1] − voff[g] vertices; its items are its nodes
 * (laid out by voff) or, with AVG_PAIRS, its n_g² ordered pairs (graph g's start at
 * Σ_{h<g} n_h²), each item `dim` f64 in y and out. y holds the items in canonical
 * order: canonical item i is input item x(i) = p[i] for nodes, p[a]·n + p[b] for the
 * pair i = a·n + b, where p = perm + voff[g] (i32, local labels; perm = 0: the
 * identity). orbit (i32, laid out like the items, local ids) gives each item's orbit
 * as the id of an item of it, indexed by input item (orbit[x(i)]) or, with
 * AVG_CANONICAL_IDS, by canonical item (orbit[i]); a negative id, or orbit = 0 for
 * all items, leaves the item alone in its orbit. Then
 *   out[x(i)] = (Σ of y_j over the items j in i's orbit, j in order) / (their count),
 * the sum starting from the first such y_j, so an item alone is copied exactly.
 * sizes (f64 per graph, or 0): a graph whose size is NaN has no frame, and gets NaN
 * items without its perm or orbit being read. out must not overlap y; `work`
 * holds avg_work(largest item count, dim) bytes (unused when orbit = 0).
 */
export function avg_orbits(
  y: usize, voff: usize, count: i32, dim: i32, flags: i32,
  perm: usize, orbit: usize, sizes: usize, out: usize, work: usize,
): void {
  const pairs = (flags & AVG_PAIRS) != 0;
  const canonicalIds = (flags & AVG_CANONICAL_IDS) != 0;
  const itemBytes = <usize>dim << 3;
  let first: usize = 0; // graph g's first item
  for (let g = 0; g < count; g++) {
    const v0 = load<i32>(voff + (<usize>g << 2));
    const n = load<i32>(voff + (<usize>(g + 1) << 2)) - v0;
    if (!pairs) first = <usize>v0;
    const items = pairs ? n * n : n;
    const yg = y + first * itemBytes;
    const og = out + first * itemBytes;
    if (sizes != 0 && isNaN(load<f64>(sizes + (<usize>g << 3)))) {
      for (let j = 0; j < items * dim; j++) store<f64>(og + (<usize>j << 3), NaN);
    } else {
      const p: usize = perm == 0 ? 0 : perm + (<usize>v0 << 2);
      const ids: usize = orbit == 0 ? 0 : orbit + (first << 2);
      averageGraph(yg, n, pairs, dim, p, ids, canonicalIds, og, work);
    }
    first += <usize>items;
  }
}

/** Input item of canonical item a·n + b (b alone for nodes: outer = 1, a = 0). */
// @ts-ignore: decorator
@inline function inputItem(p: usize, pairs: bool, n: i32, a: i32, b: i32): i32 {
  if (p == 0) return a * n + b;
  const pb = load<i32>(p + (<usize>b << 2));
  return pairs ? load<i32>(p + (<usize>a << 2)) * n + pb : pb;
}

/** One graph of avg_orbits (its items at y, out; p, ids as there, already offset). */
// @ts-ignore: decorator
@inline function averageGraph(y: usize, n: i32, pairs: bool, dim: i32, p: usize, ids: usize, canonicalIds: bool, out: usize, work: usize): void {
  const itemBytes = <usize>dim << 3;
  const outer = pairs ? n : 1;
  const items = outer * n;
  const sums = work;
  const counts = work + <usize>items * itemBytes;
  if (ids != 0) {
    zero(counts, items);
    for (let a = 0; a < outer; a++) {
      for (let b = 0; b < n; b++) {
        const i = a * n + b;
        const id = load<i32>(ids + (<usize>(canonicalIds ? i : inputItem(p, pairs, n, a, b)) << 2));
        if (id < 0) continue;
        const s = sums + <usize>id * itemBytes;
        const c = counts + (<usize>id << 3);
        const yi = y + <usize>i * itemBytes;
        if (load<f64>(c) == 0) copy(s, yi, dim);
        else addTo(s, yi, dim);
        store<f64>(c, load<f64>(c) + 1);
      }
    }
  }
  for (let a = 0; a < outer; a++) {
    for (let b = 0; b < n; b++) {
      const i = a * n + b;
      const x = inputItem(p, pairs, n, a, b);
      const dst = out + <usize>x * itemBytes;
      const id = ids == 0 ? -1 : load<i32>(ids + (<usize>(canonicalIds ? i : x) << 2));
      if (id < 0) copy(dst, y + <usize>i * itemBytes, dim);
      else divTo(dst, sums + <usize>id * itemBytes, load<f64>(counts + (<usize>id << 3)), dim);
    }
  }
}

/**
 * Means over S(n) x G stabilizers, for the listed point sets of a batch (rows laid
 * out by `offsets`, d f64 each, canonical order). `list` holds four i32 per listed
 * set: its index i in the batch, its element count e, the rank r of its span, and
 * 1 when its last column is completed (an SO group at rank d − 1), else 0. Each
 * element a comes as n labels in `autos` (i32: canonical row k ↦ a(k)), an r×r
 * row-major map M_a in `maps` (f64) and sign(det M_a) in `signs` (i32, ±1); the
 * elements of a listed set follow those of the one listed before it. For set i
 * (rows y_k, k < n):
 *   out_k = (1/e) Σ_a T_a(y)_k,  T_a(y)_k = y_{a(k)}·M_a on columns 0..r−1,
 *   ±y_{a(k)} (the sign) on a completed last column, y_{a(k)} on the other columns,
 * each T_a(y)_k[c] summed over the coordinates in order from 0 and added to the
 * running sum over the elements in order. Only the listed sets' rows of out are
 * written; out may equal y (the sums go to `work`, avg_work(largest n, d) bytes).
 */
export function avg_elements(
  y: usize, offsets: usize, d: i32, list: usize, count: i32,
  autos: usize, maps: usize, signs: usize, out: usize, work: usize,
): void {
  const rowBytes = <usize>d << 3;
  let ap = autos, mp = maps, sp = signs;
  for (let j = 0; j < count; j++) {
    const q = list + (<usize>j << 4);
    const i = load<i32>(q);
    const e = load<i32>(q + 4);
    const r = load<i32>(q + 8);
    const completed = load<i32>(q + 12) != 0;
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const n = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    const yi = y + <usize>r0 * rowBytes;
    const mapBytes = (<usize>r * <usize>r) << 3;
    zero(work, n * d);
    for (let el = 0; el < e; el++) {
      const sign = <f64>load<i32>(sp + (<usize>el << 2));
      for (let k = 0; k < n; k++) {
        const src = yi + <usize>load<i32>(ap + (<usize>k << 2)) * rowBytes;
        const acc = work + <usize>k * rowBytes;
        mapRow(src, mp, r, acc);
        if (completed) {
          const last = <usize>(d - 1) << 3;
          store<f64>(acc + last, load<f64>(acc + last) + sign * load<f64>(src + last));
        } else {
          addTo(acc + (<usize>r << 3), src + (<usize>r << 3), d - r);
        }
      }
      ap += <usize>n << 2;
      mp += mapBytes;
    }
    sp += <usize>e << 2;
    divTo(out + <usize>r0 * rowBytes, work, <f64>e, n * d);
  }
}

/**
 * acc[c] += Σ_l x[l]·M[l][c] for c < r (M r×r row-major), the sum over l in order
 * from 0: SIMD holds the columns c, c+1 in the two lanes of one chain each.
 */
// @ts-ignore: decorator
@inline function mapRow(x: usize, m: usize, r: i32, acc: usize): void {
  const rowBytes = <usize>r << 3;
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 2 <= r; c += 2) {
      const oc = <usize>c << 3;
      let v = f64x2.splat(0);
      let mq = m + oc;
      for (let l = 0; l < r; l++) {
        v = f64x2.add(v, f64x2.mul(v128.load64_splat(x + (<usize>l << 3)), v128.load(mq)));
        mq += rowBytes;
      }
      v128.store(acc + oc, f64x2.add(v128.load(acc + oc), v));
    }
  }
  for (; c < r; c++) {
    const oc = <usize>c << 3;
    let v: f64 = 0;
    let mq = m + oc;
    for (let l = 0; l < r; l++) {
      v += load<f64>(x + (<usize>l << 3)) * load<f64>(mq);
      mq += rowBytes;
    }
    store<f64>(acc + oc, load<f64>(acc + oc) + v);
  }
}

/**
 * Orbits on ordered pairs of the groups generated by permutations, for many graphs
 * at once: graph g (n_g = voff[g+1] − voff[g] vertices) has ngens[g] generators
 * (i32), each n_g labels v ↦ g(v), following those of graph g − 1 in `gens`. For
 * every pair i·n + j, out (i32, graph g's n_g² entries at Σ_{h<g} n_h²) gets the
 * smallest pair index of its orbit: a union–find in out itself, each union keeping
 * the smaller root, over (i, j) ~ (g(i), g(j)) for every generator.
 */
export function avg_pair_orbits(voff: usize, count: i32, gens: usize, ngens: usize, out: usize): void {
  let gp = gens;
  let o = out;
  for (let g = 0; g < count; g++) {
    const n = load<i32>(voff + (<usize>(g + 1) << 2)) - load<i32>(voff + (<usize>g << 2));
    const pairs = n * n;
    for (let i = 0; i < pairs; i++) store<i32>(o + (<usize>i << 2), i);
    const m = load<i32>(ngens + (<usize>g << 2));
    for (let s = 0; s < m; s++) {
      for (let i = 0; i < n; i++) {
        const gi = load<i32>(gp + (<usize>i << 2)) * n;
        for (let j = 0; j < n; j++) {
          const a = findRoot(o, i * n + j);
          const b = findRoot(o, gi + load<i32>(gp + (<usize>j << 2)));
          if (a < b) store<i32>(o + (<usize>b << 2), a);
          else if (b < a) store<i32>(o + (<usize>a << 2), b);
        }
      }
      gp += <usize>n << 2;
    }
    for (let i = 0; i < pairs; i++) store<i32>(o + (<usize>i << 2), findRoot(o, i));
    o += <usize>pairs << 2;
  }
}

/** Union–find root of x in the parent array at p, with path halving. */
// @ts-ignore: decorator
@inline function findRoot(p: usize, x: i32): i32 {
  let up = load<i32>(p + (<usize>x << 2));
  while (up != x) {
    const next = load<i32>(p + (<usize>up << 2));
    store<i32>(p + (<usize>x << 2), next);
    x = next;
    up = load<i32>(p + (<usize>x << 2));
  }
  return x;
}
