/**
 * Clustering of real values into integer ids (the kernels of assembly/frames/cluster.ts):
 * the one implementation behind every tie between reals — S(n)'s column values, a
 * weighted graph's edge weights, and (inside perm_colours and perm_edges) the
 * invariants of S(n) x G.
 */
import { kernels, withArena, type Kernels } from '../wasm/module.js';
import type { Real } from '../batch.js';
import { sliceBatch } from './index.js';

/**
 * Cluster real values into integer ids with a relative tolerance: sort, and start a
 * new cluster wherever the gap to the previous value exceeds tol·scale (scale =
 * max |v|; single linkage, so a chain of close values is one cluster). Ids count
 * from 1 in increasing value, so they depend only on the multiset of values and
 * the same clusters come out for any permutation of it. With `zero`, values with
 * |v| <= tol·scale get id 0 ("no edge"). Values must be finite.
 */
export function clusterIds(values: ArrayLike<number>, tol: number, options: { zero?: boolean } = {}, k: Kernels = kernels()): Int32Array {
  const m = values.length;
  return withArena(k, 'cluster_values', (a) => {
    const v = a.putF64(values);
    const work = a.alloc(k.exports.cluster_work(m));
    const ids = a.alloc(m * 4);
    k.exports.cluster_values(v, m, tol, options.zero === true ? 1 : 0, work, ids);
    return a.i32(ids, m).slice();
  });
}

/**
 * For every set of a batch (rows by `offsets`, d values per row) and every column,
 * the cluster ids of that column's values among the set's rows (clusterIds' rule),
 * in the layout of the rows: ids[(offsets[i] + r)·d + a]. The batch goes through
 * WASM memory in runFrames' slices of whole sets, so a large batch is never copied
 * there whole.
 */
export function clusterColumns(data: Real, offsets: Int32Array, count: number, d: number, tol: number, k: Kernels = kernels()): Int32Array {
  const { bounds, maxRows, maxInputs } = sliceBatch(offsets.subarray(0, count + 1), d);
  const ids = new Int32Array(offsets[count] * d);
  withArena(k, 'cluster_columns', (a) => {
    const x = a.alloc(maxRows * d * 8);
    const off = a.alloc((maxInputs + 1) * 4);
    const work = a.alloc(k.exports.cluster_work(maxRows));
    const out = a.alloc(maxRows * d * 4);
    const X = a.f64(x, maxRows * d);
    const O = a.i32(off, maxInputs + 1);
    const I = a.i32(out, maxRows * d);
    for (let s = 1; s < bounds.length; s++) {
      const i0 = bounds[s - 1];
      const n = bounds[s] - i0;
      const r0 = offsets[i0];
      const values = (offsets[i0 + n] - r0) * d;
      for (let i = 0; i <= n; i++) O[i] = offsets[i0 + i] - r0;
      X.set(data.subarray(r0 * d, r0 * d + values));
      k.exports.cluster_columns(x, off, n, d, tol, work, out);
      ids.set(I.subarray(0, values), r0 * d);
    }
  });
  return ids;
}
