/**
 * Plain TypeScript clustering, the reference the cluster kernels
 * (assembly/frames/cluster.ts) and the kernels built on them are tested against:
 * sort the kept values, start a cluster at each gap above tol·max|v|, ids from 1 in
 * increasing value; with `zero`, values with |v| <= tol·max|v| get 0.
 */
export function clusterReference(values: ArrayLike<number>, tol: number, options: { zero?: boolean } = {}): Int32Array {
  const m = values.length;
  let scale = 0;
  for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(values[i]));
  const eps = tol * scale;
  const zeroed = (v: number) => options.zero === true && Math.abs(v) <= eps;
  const kept = Array.from(values).filter((v) => !zeroed(v)).sort((a, b) => a - b);
  const starts: number[] = [];
  kept.forEach((v, k) => {
    if (k === 0 || v - kept[k - 1] > eps) starts.push(v);
  });
  // a value's id: the number of cluster starts at or below it
  const id = (v: number) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return Int32Array.from(values, (v) => (zeroed(v) ? 0 : id(v)));
}
