/**
 * One graph in every form the labeling takes — Int32Array, the other integer typed
 * arrays, Float64Array, Float32Array, number[], CSR — gives the same results bit for
 * bit, through canonicalLabeling(s) and canonicalize; results made on first read
 * (labelings' arrays and forms, graph frames' arrays) are the same whenever and in
 * whatever order they are read; and a rule broken in any form gets the same error.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalLabeling, canonicalLabelings, type CanonicalLabeling, type GraphInput } from '../src/graphs/canon.js';
import { canonicalize } from '../src/canonicalize.js';
import { group } from '../src/groups.js';
import type { GraphFrame } from '../src/frames/graph.js';

/** A random graph: n vertices, edge colour ids in 1..edgeColours (0 = no edge), vertex colours, loop colours. */
const graphArb = fc
  .record({
    n: fc.integer({ min: 1, max: 40 }),
    density: fc.double({ min: 0, max: 1, noNaN: true }),
    edgeColours: fc.integer({ min: 1, max: 3 }),
    vertexColours: fc.integer({ min: 0, max: 3 }),
    loops: fc.boolean(),
    seed: fc.integer(),
  })
  .map(({ n, density, edgeColours, vertexColours, loops, seed }) => {
    let s = seed >>> 0;
    const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const a = new Int32Array(n * n);
    for (let i = 0; i < n; i++) {
      if (loops && next() < 0.3) a[i * n + i] = 1 + Math.floor(next() * edgeColours);
      for (let j = i + 1; j < n; j++) if (next() < density) a[i * n + j] = a[j * n + i] = 1 + Math.floor(next() * edgeColours);
    }
    const colors = vertexColours === 0 ? undefined : Int32Array.from({ length: n }, () => Math.floor(next() * vertexColours));
    return { n, a, colors };
  });

/** The dense forms of one adjacency: every array type the API takes. */
const DENSE: [string, (a: Int32Array) => ArrayLike<number>][] = [
  ['Uint8Array', (a) => Uint8Array.from(a)],
  ['Int16Array', (a) => Int16Array.from(a)],
  ['Float64Array', (a) => Float64Array.from(a)],
  ['Float32Array', (a) => Float32Array.from(a)],
  ['number[]', (a) => Array.from(a)],
];

/** The CSR of a loop-free dense matrix: rowPtr, col and edge colours per entry, in the given array type. */
function csrOf<T extends ArrayLike<number>>(a: Int32Array, n: number, as: (x: number[]) => T): { rowPtr: T; col: T; edgeColors: T } {
  const rowPtr = [0];
  const col: number[] = [];
  const ecol: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j || a[i * n + j] === 0) continue;
      col.push(j);
      ecol.push(a[i * n + j]);
    }
    rowPtr.push(col.length);
  }
  return { rowPtr: as(rowPtr), col: as(col), edgeColors: as(ecol) };
}

/** Every field of a labeling as plain data (typed arrays with their type). */
const data = (l: CanonicalLabeling) => ({
  n: l.n,
  labeling: l.labeling,
  canonical: l.canonical,
  canonicalColors: l.canonicalColors,
  orbits: l.orbits,
  generators: l.generators,
  size: l.size,
  sizeExact: l.sizeExact,
});

const frameData = (f: GraphFrame) => ({
  group: f.group,
  n: f.n,
  canonical: f.canonical,
  permutation: f.permutation,
  orbits: f.orbits,
  generators: f.generators,
  size: f.size,
  sizeExact: f.sizeExact,
  pairOrbits: f.pairOrbits(),
  elements: f.size <= 48 ? f.elements() : null,
});

describe('graph inputs in every array type', () => {
  it('Int32Array, other typed arrays, floats, number[] and CSR label alike, bit for bit, one by one and in batches', () => {
    fc.assert(
      fc.property(fc.array(graphArb, { minLength: 1, maxLength: 4 }), (graphs) => {
        const want = graphs.map(({ n, a, colors }) => data(canonicalLabeling(a, { n, colors })));
        for (let g = 0; g < graphs.length; g++) {
          const { n, a, colors } = graphs[g];
          // the definition: C = P·A·Pᵀ with the input's own values (loops on the diagonal)
          const p = want[g].labeling;
          expect(Array.from(want[g].canonical)).toEqual(Array.from({ length: n * n }, (_, k) => a[p[Math.floor(k / n)] * n + p[k % n]]));
          for (const [name, as] of DENSE) expect(data(canonicalLabeling(as(a), { n, colors })), name).toStrictEqual(want[g]);
          if (!a.some((x, k) => x !== 0 && k % (n + 1) === 0)) {
            for (const as of [(x: number[]) => x, (x: number[]) => Int32Array.from(x), (x: number[]) => Float64Array.from(x)] as ((x: number[]) => ArrayLike<number>)[]) {
              const { rowPtr, col, edgeColors } = csrOf(a, n, as);
              expect(data(canonicalLabeling({ rowPtr, col }, { n, colors, edgeColors })), 'CSR').toStrictEqual(want[g]);
            }
            // rows in falling order (the general check): the same canonical labeling and group
            const { rowPtr, col, edgeColors } = csrOf(a, n, (x) => x);
            for (let v = 0; v < n; v++) {
              col.splice(rowPtr[v], rowPtr[v + 1] - rowPtr[v], ...col.slice(rowPtr[v], rowPtr[v + 1]).reverse());
              edgeColors.splice(rowPtr[v], rowPtr[v + 1] - rowPtr[v], ...edgeColors.slice(rowPtr[v], rowPtr[v + 1]).reverse());
            }
            const r = canonicalLabeling({ rowPtr, col }, { n, colors, edgeColors });
            for (const k of ['labeling', 'canonical', 'canonicalColors', 'orbits', 'sizeExact'] as const) expect(r[k], `CSR, rows falling: ${k}`).toStrictEqual(want[g][k]);
          }
        }
        for (const [name, as] of [['Int32Array', (a: Int32Array) => a] as const, ...DENSE]) {
          const batch: GraphInput[] = graphs.map(({ n, a, colors }) => ({ adjacency: as(a), n, colors }));
          expect(canonicalLabelings(batch).map(data), `batch of ${name}`).toStrictEqual(want);
        }
      }),
      { numRuns: 30, seed: 7 },
    );
  }, 60_000);

  it('canonicalize gives the same frame for every array type (the canonical form P·A·Pᵀ as f64)', () => {
    const G = group('graph');
    fc.assert(
      fc.property(graphArb, ({ n, a, colors }) => {
        const want = frameData(canonicalize(G, a, { n, colors }));
        const l = canonicalLabeling(a, { n, colors });
        expect(want.canonical).toStrictEqual(Float64Array.from(l.canonical));
        for (const [name, as] of DENSE) expect(frameData(canonicalize(G, as(a), { n, colors })), name).toStrictEqual(want);
      }),
      { numRuns: 40, seed: 8 },
    );
  }, 60_000);

  it('results made on first read are the same read in any order, at any time, and the same object when read again', () => {
    const G = group('graph');
    fc.assert(
      fc.property(graphArb, fc.infiniteStream(fc.nat()), ({ n, a, colors }, picks) => {
        const want = data(canonicalLabeling(a, { n, colors }));
        const wantFrame = frameData(canonicalize(G, a, { n, colors }));
        const l = canonicalLabeling(a, { n, colors });
        const f = canonicalize(G, a, { n, colors });
        // other calls in between: a later read must not see their memory
        canonicalLabelings([{ adjacency: a, n }, { adjacency: Uint8Array.from(a), n }]);
        const keys = ['labeling', 'canonical', 'canonicalColors', 'orbits', 'generators'] as const;
        const frameKeys = ['canonical', 'permutation', 'orbits', 'generators'] as const;
        const order = [...keys].sort(() => (picks.next().value % 3) - 1);
        for (const k of order) expect(l[k], k).toStrictEqual(want[k]);
        for (const k of keys) expect(l[k], `${k} again`).toBe(l[k]);
        for (const k of [...frameKeys].reverse()) expect(f[k], k).toStrictEqual(wantFrame[k]);
        for (const k of frameKeys) expect(f[k], `${k} again`).toBe(f[k]);
        // the input changed after the call: the results are the call's
        a.fill(0);
        expect(frameData(f)).toStrictEqual(wantFrame);
      }),
      { numRuns: 30, seed: 9 },
    );
  });

  it('a broken rule gets the same error in every array type, dense and CSR', () => {
    const dense: [number[], string][] = [
      [[0, 1, 0, 0], 'input 0: graph adjacency must be symmetric (A[0][1] = 1, A[1][0] = 0)'],
      [[0, 1.5, 1.5, 0], 'input 0: edge colour (0, 1) must be a 32-bit integer colour id, got 1.5'],
      [[0, NaN, NaN, 0], 'input 0: adjacency must be finite, A[0][1] = NaN'],
      [[0, 2 ** 31, 2 ** 31, 0], 'input 0: edge colour (0, 1) must be a 32-bit integer colour id, got 2147483648'],
      [[Infinity, 1, 1, 0], 'input 0: adjacency must be finite, A[0][0] = Infinity'],
    ];
    for (const [a, message] of dense) {
      for (const as of [(x: number[]) => x, (x: number[]) => Float64Array.from(x), (x: number[]) => Float32Array.from(x)]) {
        const adjacency = as(a);
        if (Array.from(adjacency).some((x, i) => x !== a[i])) continue;
        expect(() => canonicalLabeling(adjacency, { n: 2 }), message).toThrow(message);
        expect(() => canonicalize('graph', adjacency, { n: 2 }), message).toThrow(message);
      }
    }
    const csr: [{ rowPtr: number[]; col: number[] }, number[] | undefined, string][] = [
      [{ rowPtr: [0, 1, 1], col: [1] }, undefined, 'input 0: graph adjacency must be symmetric (A[0][1] = 1, A[1][0] = 0)'],
      [{ rowPtr: [0, 1, 2], col: [1, 7] }, undefined, 'input 0: adjacency.col[1] = 7 is not a vertex of 0..1'],
      [{ rowPtr: [0, 1, 2], col: [1, -1] }, undefined, 'input 0: adjacency.col[1] = -1 is not a vertex of 0..1'],
      [{ rowPtr: [0, 1, 2], col: [1, 0.5] }, undefined, 'input 0: adjacency.col[1] = 0.5 is not a vertex of 0..1'],
      [{ rowPtr: [0, 1, 2], col: [0, 0] }, undefined, 'input 0: loops are not supported in CSR input (vertex 0); put them in colors'],
      [{ rowPtr: [0, 2, 4], col: [1, 1, 0, 0] }, undefined, 'input 0: edge (0, 1) is listed twice'],
      [{ rowPtr: [0, 1, 2], col: [1, 0] }, [1, 0], 'input 0: edgeColors[1] is 0, which means no edge'],
      [{ rowPtr: [0, 1, 2], col: [1, 0] }, [1, 2.5], 'input 0: edgeColors[1] must be a 32-bit integer colour id, got 2.5'],
      [{ rowPtr: [0, 1, 2], col: [1, 0] }, [2, 1], 'input 0: graph adjacency must be symmetric (A[0][1] = 2, A[1][0] = 1)'],
      [{ rowPtr: [0, 2, 3, 4], col: [2, 1, 0, 1] }, undefined, 'input 0: graph adjacency must be symmetric (A[0][2] = 1, A[2][0] = 0)'],
      [{ rowPtr: [0, 2, 3, 5], col: [2, 1, 0, 0, 0] }, undefined, 'input 0: edge (2, 0) is listed twice'],
      [{ rowPtr: [0, 2, 1, 2], col: [1, 2] }, undefined, 'input 0: adjacency.rowPtr must be non-decreasing (rowPtr[1] = 2, rowPtr[2] = 1)'],
      [{ rowPtr: [0, 1.5, 2], col: [1, 0] }, undefined, 'input 0: adjacency.rowPtr[1] = 1.5 is not an integer'],
    ];
    for (const [g, edgeColors, message] of csr) {
      for (const as of [(x: number[]) => x, (x: number[]) => Int32Array.from(x), (x: number[]) => Float64Array.from(x)]) {
        if ([...g.rowPtr, ...g.col, ...(edgeColors ?? [])].some((x) => !Number.isInteger(x)) && !(as([0.5])[0] === 0.5)) continue;
        const ec = edgeColors === undefined ? undefined : as(edgeColors);
        expect(() => canonicalLabeling({ rowPtr: as(g.rowPtr), col: as(g.col) }, { n: g.rowPtr.length - 1, edgeColors: ec }), message).toThrow(message);
      }
    }
  });
});
