/**
 * Shared by the tests of the one pipeline (pipeline, graph-wrappers, abort-errors):
 * bitwise comparison of results, graphs with large automorphism groups, batches
 * built from lists of inputs, and the model modules of test/fixtures/models/.
 */
import { expect } from 'vitest';
import { rng } from '../../src/testing/random.js';

/** The bytes of a typed array (NaN payloads included). */
export const bytes = (a: ArrayBufferView): Buffer => Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

/**
 * Two results agree bit for bit: every typed array (by its bytes), errors by
 * message and class, and every other field by value. `skip` names fields to leave out.
 */
export function expectSameBits(got: object, want: object, label: string, skip: string[] = []): void {
  const g = got as Record<string, unknown>;
  const w = want as Record<string, unknown>;
  const keys = Object.keys(w).filter((k) => !skip.includes(k));
  expect(Object.keys(g).filter((k) => !skip.includes(k)).sort(), label).toEqual(keys.sort());
  for (const key of keys) {
    const a = g[key];
    const b = w[key];
    if (ArrayBuffer.isView(b)) {
      expect(a?.constructor, `${label}: ${key}`).toBe(b.constructor);
      expect(bytes(a as ArrayBufferView).equals(bytes(b)), `${label}: ${key}`).toBe(true);
    } else if (key === 'errors') expect(messages(a as (Error | null)[]), `${label}: errors`).toEqual(messages(b as (Error | null)[]));
    else if (key === 'outputs') expect(plain(a), `${label}: outputs`).toEqual(plain(b));
    else expect(a, `${label}: ${key}`).toEqual(b);
  }
}

/** Errors as comparable data: class name and message (null for none). */
export const messages = (errors: (Error | null)[]): (string | null)[] => errors.map((e) => (e ? `${e.constructor.name}: ${e.message}` : null));

/** Invariant outputs as comparable data: typed arrays as their bytes. */
const plain = (v: unknown): unknown => (Array.isArray(v) ? v.map(plain) : ArrayBuffer.isView(v) ? bytes(v).toString('base64') : v);

/** A model module of test/fixtures/models/ as a file URL. */
export const fixtureModel = (name: string): URL => new URL(`../fixtures/models/${name}.mjs`, import.meta.url);

/** A graph: its n×n adjacency (row-major) and optional vertex colours. */
export interface TestGraph {
  n: number;
  a: Float64Array;
  colors?: number[];
}

function fromEdges(n: number, edges: [number, number, number?][]): TestGraph {
  const a = new Float64Array(n * n);
  for (const [i, j, w = 1] of edges) a[i * n + j] = a[j * n + i] = w;
  return { n, a };
}

/** The cycle C_k with one pendant vertex on every vertex (Aut = the dihedral group, 2k elements). */
export function cycleWithPendants(k: number): TestGraph {
  const edges: [number, number][] = [];
  for (let i = 0; i < k; i++) edges.push([i, (i + 1) % k], [i, k + i]);
  return fromEdges(2 * k, edges);
}

/** The Petersen graph (|Aut| = 120, vertex- and distance-transitive of diameter 2). */
export function petersen(): TestGraph {
  const edges: [number, number][] = [];
  for (let i = 0; i < 5; i++) edges.push([i, (i + 1) % 5], [i, i + 5], [5 + i, 5 + ((i + 2) % 5)]);
  return fromEdges(10, edges);
}

/** The hypercube Q_k (|Aut| = 2^k·k!, distance-transitive of diameter k). */
export function hypercube(k: number): TestGraph {
  const n = 1 << k;
  const edges: [number, number][] = [];
  for (let v = 0; v < n; v++) for (let b = 0; b < k; b++) if (v < (v ^ (1 << b))) edges.push([v, v ^ (1 << b)]);
  return fromEdges(n, edges);
}

/** C_6 with weights alternating 0.5 and 1.5 (Aut = D_3, 6 elements: the tied weights). */
export function alternatingHexagon(): TestGraph {
  return fromEdges(6, Array.from({ length: 6 }, (_, i) => [i, (i + 1) % 6, i % 2 ? 1.5 : 0.5] as [number, number, number]));
}

/** Graphs as one batch: blocks back to back, vertex offsets, colours when any graph has them (0 for the others). */
export function graphBatchOf(graphs: TestGraph[]): { data: Float64Array; offsets: Int32Array; colors?: Float64Array } {
  const offsets = new Int32Array(graphs.length + 1);
  graphs.forEach((g, i) => (offsets[i + 1] = offsets[i] + g.n));
  const data = new Float64Array(graphs.reduce((s, g) => s + g.n * g.n, 0));
  let at = 0;
  for (const g of graphs) {
    data.set(g.a, at);
    at += g.n * g.n;
  }
  if (!graphs.some((g) => g.colors)) return { data, offsets };
  const colors = new Float64Array(offsets[graphs.length]);
  graphs.forEach((g, i) => g.colors && colors.set(g.colors, offsets[i]));
  return { data, offsets, colors };
}

/** Point sets of `rowLen` values per row as one ragged batch. */
export function pointBatchOf(sets: Float64Array[], dim: number, rowLen = dim): { data: Float64Array; dim: number; offsets: Int32Array } {
  const offsets = new Int32Array(sets.length + 1);
  sets.forEach((s, i) => (offsets[i + 1] = offsets[i] + s.length / rowLen));
  const data = new Float64Array(offsets[sets.length] * rowLen);
  let at = 0;
  for (const s of sets) {
    data.set(s, at);
    at += s.length;
  }
  return { data, dim, offsets };
}

/** The 8 corners of the cube [−1, 1]³ (stabilizer under S(n) x O(3): 48 elements). */
export function cubeCorners(): Float64Array {
  const x = new Float64Array(24);
  for (let v = 0; v < 8; v++) x.set([v & 1 ? 1 : -1, v & 2 ? 1 : -1, v & 4 ? 1 : -1], v * 3);
  return x;
}

/** `n` seeded random rows of `rowLen` values in [−1, 1). */
export function randomRows(n: number, rowLen: number, seed: number): Float64Array {
  const u = rng(seed);
  return Float64Array.from({ length: n * rowLen }, () => u() * 2 - 1);
}
