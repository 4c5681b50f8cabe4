/**
 * Clustering of real values into integer ids (the kernels of assembly/frames/cluster.ts):
 * the one implementation behind every tie between reals — S(n)'s column values, a
 * weighted graph's edge weights, and (inside perm_colours and perm_edges) the
 * invariants of S(n) x G.
 */
import { kernels, withArena, type Kernels } from '../wasm/module.js';
import type { Real } from '../batch.js';

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
 * in the layout of the rows: ids[(offsets[i] + r)·d + a].
 */
export function clusterColumns(data: Real, offsets: Int32Array, count: number, d: number, tol: number, k: Kernels = kernels()): Int32Array {
  const values = offsets[count] * d;
  let most = 0;
  for (let i = 0; i < count; i++) most = Math.max(most, offsets[i + 1] - offsets[i]);
  return withArena(k, 'cluster_columns', (a) => {
    const x = a.putF64(data.subarray(0, values));
    const off = a.putI32(offsets.subarray(0, count + 1));
    const work = a.alloc(k.exports.cluster_work(most));
    const ids = a.alloc(values * 4);
    k.exports.cluster_columns(x, off, count, d, tol, work, ids);
    return a.i32(ids, values).slice();
  });
}
