/**
 * Graph families for the canonical labeling tests and bench/canon.mjs, built as
 * edge lists and handed to the engine as CSR (or dense, for the input tests).
 */
import type { CSR } from '../../src/graphs/canon.js';
import { randomRegular as pairingRegular } from './symmetric.mjs';

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
  const { edges } = pairingRegular(n, d, u);
  return { n, edges: Array.from({ length: edges.length / 2 }, (_, k) => [edges[2 * k], edges[2 * k + 1]] as [number, number]) };
}
