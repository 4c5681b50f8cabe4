/**
 * Graph families for the canonical labeling tests and bench/canon.mjs, built as
 * edge lists and handed to the engine as CSR (or dense, for the input tests).
 */
import type { CSR } from '../../src/graphs/canon.js';

/** An undirected simple graph: n vertices, edges as pairs. */
export interface EdgeList {
  n: number;
  edges: [number, number][];
}

/** CSR of an edge list (both directions; rows in increasing neighbour order). */
export function toCSR(g: EdgeList): CSR & { rowPtr: Int32Array; col: Int32Array } {
  const deg = new Int32Array(g.n + 1);
  for (const [a, b] of g.edges) {
    deg[a + 1]++;
    deg[b + 1]++;
  }
  for (let v = 0; v < g.n; v++) deg[v + 1] += deg[v];
  const col = new Int32Array(deg[g.n]);
  const fill = deg.slice(0, g.n);
  for (const [a, b] of g.edges) {
    col[fill[a]++] = b;
    col[fill[b]++] = a;
  }
  for (let v = 0; v < g.n; v++) col.subarray(deg[v], deg[v + 1]).sort();
  return { rowPtr: deg, col };
}

/** Dense 0/1 adjacency of an edge list (n×n, row-major). */
export function toDense(g: EdgeList): Int32Array {
  const a = new Int32Array(g.n * g.n);
  for (const [x, y] of g.edges) a[x * g.n + y] = a[y * g.n + x] = 1;
  return a;
}

/** A random simple d-regular graph (pairing model, rejecting loops and multi-edges). */
export function randomRegular(n: number, d: number, u: () => number): EdgeList {
  for (;;) {
    const points = new Int32Array(n * d);
    for (let i = 0; i < n * d; i++) points[i] = Math.floor(i / d);
    for (let i = points.length - 1; i > 0; i--) {
      const j = Math.floor(u() * (i + 1));
      const t = points[i];
      points[i] = points[j];
      points[j] = t;
    }
    const seen = new Set<number>();
    const edges: [number, number][] = [];
    let ok = true;
    for (let i = 0; i < points.length && ok; i += 2) {
      const a = Math.min(points[i], points[i + 1]);
      const b = Math.max(points[i], points[i + 1]);
      ok = a !== b && !seen.has(a * n + b);
      seen.add(a * n + b);
      edges.push([a, b]);
    }
    if (ok) return { n, edges };
  }
}
