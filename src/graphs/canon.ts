/**
 * Canonical labeling of vertex- and edge-coloured graphs: validation in TypeScript,
 * the search in the WASM kernel canon_label (assembly/canon/), many graphs per call.
 *
 * Conventions: `labeling[i]` is the vertex placed at canonical position i, so the
 * canonical form is C[i][j] = A[labeling[i]][labeling[j]] (C = P·A·Pᵀ with
 * P[i][labeling[i]] = 1). Generators map v ↦ g[v]. Isomorphic inputs (same vertex
 * colour ids, same edge colour ids) get identical canonical forms.
 */
import { describe, inputRangeError, inputTypeError, internalError, optionError } from '../errors.js';
import { kernels, withArena, type Arena, type Kernels } from '../wasm/module.js';
import { iota, labelReduced, type Core, type Graph, type Labeled } from './reduce.js';

/** CSR adjacency: neighbours of v are col[rowPtr[v] .. rowPtr[v+1]). */
export interface CSR {
  rowPtr: ArrayLike<number>;
  col: ArrayLike<number>;
}

export interface GraphOptions {
  n: number;
  /**
   * Directed graph (dense input only): A[i][j] is the arc i → j and need not equal
   * A[j][i]. Isomorphisms preserve arcs with their colours.
   */
  directed?: boolean;
  /** Vertex colour ids (integers), length n. Lower ids come first canonically. */
  colors?: ArrayLike<number>;
  /**
   * Edge colour ids (non-zero integers): n×n row-major for dense input, one per
   * entry of `col` for CSR. Without it, a dense adjacency's own integer entries are
   * the colour ids (0 = no edge) and CSR edges all have colour 1.
   */
  edgeColors?: ArrayLike<number>;
}

export interface GraphInput extends GraphOptions {
  adjacency: ArrayLike<number> | CSR;
}

export interface CanonicalLabeling {
  n: number;
  /** labeling[i] = the vertex at canonical position i. */
  labeling: Int32Array;
  /** Edge-colour matrix of the canonical form, n×n (0 = no edge). */
  canonical: Int32Array;
  /** Vertex colours in canonical order. */
  canonicalColors: Int32Array;
  /** orbits[v] = the smallest vertex in v's orbit under Aut. */
  orbits: Int32Array;
  /** Generators of Aut (at most n − 1), each v ↦ g[v]. */
  generators: Int32Array[];
  /** |Aut| (a float when past 2^53; see sizeExact). */
  size: number;
  sizeExact: bigint;
}

/**
 * Largest vertex count accepted: the kernel's scratch is about 38·n + 4·entries +
 * 32·n words, and dense input and canonical forms take n² words each.
 */
export const MAX_VERTICES = 1 << 22;


/**
 * A validated graph: dense edge-colour matrix (converted to CSR in WASM, which also
 * finds the first asymmetric pair for the error message raised here) or CSR.
 */
type Checked = {
  /** Index of the input, for error messages. */
  input: number;
  n: number;
  /** Vertex colour ids as given (checked), or null: every vertex has colour 0. */
  colors: ArrayLike<number> | null;
  /** Loop colour per vertex (dense input with a non-zero diagonal), else null. */
  loops: Int32Array | null;
  /** CSR entries (each undirected edge twice; for dense input, if symmetric). */
  entries: number;
  /** Directed input: its arc-colour matrix (the CSR then holds pair codes, see arcPairs). */
  arcs: Int32Array | null;
} & (
  | { dense: Int32Array; source: { a: ArrayLike<number>; w: ArrayLike<number> }; rowPtr: null; col: null; ecol: null }
  | { dense: null; source: null; rowPtr: Int32Array; col: Int32Array; ecol: Int32Array }
);

function isCSR(a: unknown): a is CSR {
  return typeof a === 'object' && a !== null && 'rowPtr' in a && 'col' in a;
}

function checkInt(input: number, what: string, x: number): void {
  if (!Number.isFinite(x)) throw inputRangeError(input, `${what} must be finite, got ${x}`);
  if (!Number.isInteger(x) || x < -(2 ** 31) || x >= 2 ** 31) throw inputRangeError(input, `${what} must be a 32-bit integer colour id, got ${x}`);
}

export function checkArray(input: number, what: string, a: unknown): ArrayLike<number> {
  if (a === null || typeof a !== 'object' || typeof (a as ArrayLike<number>).length !== 'number') {
    throw inputTypeError(input, `${what} must be an array or typed array of numbers`);
  }
  if (isBigIntArray(a)) throw inputTypeError(input, `${what} must hold numbers, got a ${a.constructor.name}`);
  return a as ArrayLike<number>;
}

/** A typed array of bigints, whose entries no number check accepts. */
export function isBigIntArray(a: unknown): a is BigInt64Array | BigUint64Array {
  return a instanceof BigInt64Array || a instanceof BigUint64Array;
}

/** Validate one graph and bring it to CSR with colours (both directions stored). */
export function checkGraph(g: GraphInput, input = 0): Checked {
  if (g === null || typeof g !== 'object') throw inputTypeError(input, 'a graph must be an object { adjacency, n }');
  const n = g.n;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw inputTypeError(input, `n must be an integer, got ${String(n)}`);
  if (n < 1) throw inputRangeError(input, `a graph needs at least one vertex, got n = ${n}`);
  if (n > MAX_VERTICES) throw inputRangeError(input, `a graph may have at most ${MAX_VERTICES} vertices, got n = ${n}`);
  let colors: ArrayLike<number> | null = null;
  if (g.colors !== undefined) {
    colors = checkArray(input, 'colors', g.colors);
    if (colors.length !== n) throw inputRangeError(input, `colors must have length n = ${n}, got ${colors.length}`);
    // (the message only for a bad entry: a string per entry cost more than the search of large graphs)
    for (let i = 0; i < n; i++) if ((colors[i] | 0) !== colors[i]) checkInt(input, `colors[${i}]`, colors[i]);
  }
  if (isCSR(g.adjacency)) {
    if (g.directed) throw inputTypeError(input, 'directed graphs take a dense n×n adjacency, not CSR');
    return { input, n, colors, loops: null, arcs: null, dense: null, source: null, ...checkCSR(g.adjacency, g.edgeColors, n, input) };
  }
  const a = checkArray(input, 'adjacency', g.adjacency);
  if (a.length !== n * n) throw inputRangeError(input, `adjacency must have n·n = ${n * n} entries, got ${a.length}`);
  const w = g.edgeColors === undefined ? a : checkArray(input, 'edgeColors', g.edgeColors);
  if (w.length !== n * n) throw inputRangeError(input, `edgeColors must have n·n = ${n * n} entries, got ${w.length}`);
  // an Int32Array of colour ids is used as is; anything else is checked entry by entry
  const dense = w === a && a instanceof Int32Array ? a : colourMatrix(a, w, n, input);
  let loops: Int32Array | null = null;
  for (let i = 0; i < n; i++) {
    if (dense[i * n + i] === 0) continue;
    loops ??= new Int32Array(n);
    loops[i] = dense[i * n + i];
  }
  if (g.directed) return { input, n, colors, loops, arcs: dense, dense: null, source: null, ...arcPairs(dense, n) };
  // the bound n(n − 1) for small graphs (a pass over n² values less); the exact
  // count past it: scratch sized by the bound passes 2 GiB at n ≈ 8200
  let entries = n * (n - 1);
  if (n > EXACT_ENTRIES) {
    entries = 0;
    for (let i = 0; i < n * n; i++) if (dense[i] !== 0) entries++;
    if (loops !== null) for (let i = 0; i < n; i++) if (loops[i] !== 0) entries--;
  }
  return { input, n, colors, loops, arcs: null, dense, source: { a, w }, rowPtr: null, col: null, ecol: null, entries };
}

/** Dense graphs up to this many vertices size their scratch by the bound n(n − 1) on their CSR entries. */
const EXACT_ENTRIES = 1024;

/**
 * A digraph as the engine's graph: vertices i, j are joined when either arc is
 * present, with colour code(A[i][j], A[j][i]) as seen from i — the rank of that
 * ordered pair among the graph's distinct pairs, an order fixed by the multiset of
 * pairs, so isomorphic digraphs get the same codes. Refinement then counts, for
 * each vertex, the (out, in) colour pairs into a cell, and automorphisms of the
 * coded graph are exactly those of the digraph.
 */
function arcPairs(d: Int32Array, n: number): { rowPtr: Int32Array; col: Int32Array; ecol: Int32Array; entries: number } {
  const pairs = new Map<string, number>();
  const key = (i: number, j: number) => `${d[i * n + j]},${d[j * n + i]}`;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && (d[i * n + j] !== 0 || d[j * n + i] !== 0)) pairs.set(key(i, j), 0);
  [...pairs.keys()]
    .map((k) => k.split(',').map(Number))
    .sort((p, q) => p[0] - q[0] || p[1] - q[1])
    .forEach((p, r) => pairs.set(`${p[0]},${p[1]}`, r + 1));
  const rowPtr = new Int32Array(n + 1);
  const col: number[] = [];
  const ecol: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j || (d[i * n + j] === 0 && d[j * n + i] === 0)) continue;
      col.push(j);
      ecol.push(pairs.get(key(i, j))!);
    }
    rowPtr[i + 1] = col.length;
  }
  return { rowPtr, col: Int32Array.from(col), ecol: Int32Array.from(ecol), entries: col.length };
}

/** The error for the first asymmetric pair (i, j), i < j, that canon_csr found. */
function asymmetric(c: Checked, code: number): RangeError {
  const n = c.n;
  const i = Math.floor(code / n);
  const j = code % n;
  const { a, w } = c.source!;
  const [p, q] = a[i * n + j] !== a[j * n + i] ? [a[i * n + j], a[j * n + i]] : [w[i * n + j], w[j * n + i]];
  return inputRangeError(c.input, `graph adjacency must be symmetric (A[${i}][${j}] = ${p}, A[${j}][${i}] = ${q})`);
}

/** Edge colour ids of a dense adjacency (colour = edgeColors entry, else the adjacency entry). */
function colourMatrix(a: ArrayLike<number>, w: ArrayLike<number>, n: number, input: number): Int32Array {
  const out = new Int32Array(n * n);
  // one flat pass for the common case (integer ids); the first entry it cannot take is checked in full
  const m = n * n;
  for (let i = 0; i < m; i++) {
    const x = a[i];
    if (x === 0) continue;
    const c = w === a ? x : w[i];
    if ((c | 0) !== c || c === 0 || !Number.isFinite(x)) return badEntry(a, w, n, input);
    out[i] = c;
  }
  return out;
}

/** Throws the error for the first entry (row-major) of a dense adjacency that is not finite or has no valid colour id. */
function badEntry(a: ArrayLike<number>, w: ArrayLike<number>, n: number, input: number): never {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = a[i * n + j];
      if (!Number.isFinite(x)) throw inputRangeError(input, `adjacency must be finite, A[${i}][${j}] = ${x}`);
      if (x === 0) continue;
      const c = w[i * n + j];
      checkInt(input, `edge colour (${i}, ${j})`, c);
      if (c === 0) throw inputRangeError(input, `edge (${i}, ${j}) has colour id 0, which means no edge`);
    }
  }
  throw internalError('badEntry found no bad entry');
}

/**
 * The kernel's vertex colours of c, written at heap[at ..]: its colour ids, or with
 * loops each (colour, loop colour) pair replaced by its rank among the graph's
 * distinct pairs, an order that depends on the multiset of pairs only, so
 * isomorphic graphs get the same ids.
 */
function putKernelColours(c: Checked, heap: Int32Array, at: number): void {
  const { n, colors, loops } = c;
  if (loops === null) {
    for (let i = 0; i < n; i++) heap[at + i] = colors === null ? 0 : colors[i];
    return;
  }
  const pairs = Array.from({ length: n }, (_, i) => [colors === null ? 0 : colors[i], loops[i]] as const);
  const keys = [...new Set(pairs.map(([v, l]) => `${v},${l}`))]
    .map((k) => k.split(',').map(Number))
    .sort((p, q) => p[0] - q[0] || p[1] - q[1])
    .map((p) => `${p[0]},${p[1]}`);
  const rank = new Map(keys.map((k, i) => [k, i]));
  pairs.forEach(([v, l], i) => (heap[at + i] = rank.get(`${v},${l}`)!));
}

function checkCSR(g: CSR, edgeColors: ArrayLike<number> | undefined, n: number, input: number): { rowPtr: Int32Array; col: Int32Array; ecol: Int32Array; entries: number } {
  const rp = checkArray(input, 'adjacency.rowPtr', g.rowPtr);
  const cl = checkArray(input, 'adjacency.col', g.col);
  if (rp.length !== n + 1) throw inputRangeError(input, `adjacency.rowPtr must have n + 1 = ${n + 1} entries, got ${rp.length}`);
  if (rp[0] !== 0 || rp[n] !== cl.length) throw inputRangeError(input, `adjacency.rowPtr must run from 0 to col.length = ${cl.length}`);
  const m = cl.length;
  const ec = edgeColors === undefined ? undefined : checkArray(input, 'edgeColors', edgeColors);
  if (ec !== undefined && ec.length !== m) throw inputRangeError(input, `edgeColors must have one entry per col entry (${m}), got ${ec.length}`);
  const rowPtr = Int32Array.from(rp as ArrayLike<number>);
  const col = new Int32Array(m);
  const ecol = new Int32Array(m);
  // rows: bounds, loops, repeats (a stamp per row); then symmetry, O(n + m). One
  // test per entry, the message built only for a bad one (building it for every
  // entry cost more than labelling a large graph)
  const stamp = new Int32Array(n).fill(-1);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const e1 = rowPtr[i + 1];
    if (!(rowPtr[i] <= e1)) throw inputRangeError(input, `adjacency.rowPtr must be non-decreasing (rowPtr[${i}] = ${rp[i]}, rowPtr[${i + 1}] = ${rp[i + 1]})`);
    let last = -1;
    for (let e = rowPtr[i]; e < e1; e++) {
      const j = cl[e];
      const c = ec === undefined ? 1 : ec[e];
      if (!((j | 0) === j && j >= 0 && j < n && j !== i && (c | 0) === c && c !== 0 && stamp[j] !== i)) badCSREntry(input, n, i, e, j, c);
      stamp[j] = i;
      col[e] = j;
      ecol[e] = c;
      sorted &&= j > last;
      last = j;
    }
  }
  if (!(sorted ? symmetricSorted(n, rowPtr, col, ecol) : symmetricCSR(n, rowPtr, col, ecol))) throw asymmetricCSR(n, rowPtr, col, ecol, input);
  return { rowPtr, col, ecol, entries: m };
}

/** Throws the error for CSR entry e = (i, j) of colour c, which checkCSR found bad (j repeats the row's entry when no other test fails). */
function badCSREntry(input: number, n: number, i: number, e: number, j: number, c: number): never {
  if (!Number.isInteger(j) || j < 0 || j >= n) throw inputRangeError(input, `adjacency.col[${e}] = ${j} is not a vertex of 0..${n - 1}`);
  if (j === i) throw inputRangeError(input, `loops are not supported in CSR input (vertex ${i}); put them in colors`);
  checkInt(input, `edgeColors[${e}]`, c);
  if (c === 0) throw inputRangeError(input, `edgeColors[${e}] is 0, which means no edge`);
  throw inputRangeError(input, `edge (${i}, ${j}) is listed twice`);
}

/**
 * symmetricCSR for rows in increasing column order (the usual input): rows read in
 * order reach row j's entries in its own order, so the reverse of entry (i, j) must
 * be the next unmatched entry of row j. Each entry matched to a distinct reverse,
 * the m entries are matched one to one. O(m), one scattered read per entry.
 */
function symmetricSorted(n: number, rowPtr: Int32Array, col: Int32Array, ecol: Int32Array): boolean {
  const next = rowPtr.slice(0, n);
  for (let i = 0; i < n; i++) {
    const e1 = rowPtr[i + 1];
    for (let e = rowPtr[i]; e < e1; e++) {
      const j = col[e];
      const k = next[j];
      if (k >= rowPtr[j + 1] || col[k] !== i || ecol[k] !== ecol[e]) return false;
      next[j] = k + 1;
    }
  }
  return true;
}

/**
 * Whether every entry (i, j, c) of rows without repeats has its reverse (j, i, c):
 * each row j against the entries that point to j, which must be as many.
 */
function symmetricCSR(n: number, rowPtr: Int32Array, col: Int32Array, ecol: Int32Array): boolean {
  const m = rowPtr[n];
  const inStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) inStart[col[e] + 1]++;
  for (let j = 0; j < n; j++) {
    inStart[j + 1] += inStart[j];
    if (inStart[j + 1] - inStart[j] !== rowPtr[j + 1] - rowPtr[j]) return false;
  }
  const fill = inStart.slice(0, n);
  const from = new Int32Array(m);
  const colour = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      const k = fill[col[e]]++;
      from[k] = i;
      colour[k] = ecol[e];
    }
  }
  const mark = new Int32Array(n);
  const stamp = new Int32Array(n).fill(-1);
  for (let j = 0; j < n; j++) {
    for (let e = rowPtr[j]; e < rowPtr[j + 1]; e++) {
      stamp[col[e]] = j;
      mark[col[e]] = ecol[e];
    }
    for (let k = inStart[j]; k < inStart[j + 1]; k++) if (stamp[from[k]] !== j || mark[from[k]] !== colour[k]) return false;
  }
  return true;
}

/** The error for the first entry (row-major) whose reverse is missing or of another colour. */
function asymmetricCSR(n: number, rowPtr: Int32Array, col: Int32Array, ecol: Int32Array, input: number): RangeError {
  const seen = new Map<number, number>(); // i·n + j → colour
  for (let i = 0; i < n; i++) for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) seen.set(i * n + col[e], ecol[e]);
  for (const [key, c] of seen) {
    const i = Math.floor(key / n);
    const j = key - i * n;
    const back = seen.get(j * n + i);
    if (back !== c) return inputRangeError(input, `graph adjacency must be symmetric (A[${i}][${j}] = ${c}, A[${j}][${i}] = ${back ?? 0})`);
  }
  throw internalError('asymmetricCSR called on a symmetric graph');
}

/** Generator slots of a graph on a packing's first run (see GENERATOR_ROOM). */
const generatorRoom = (n: number, all: boolean) => n * (all ? n - 1 : Math.min(n - 1, GENERATOR_ROOM));

/**
 * How packGraphs runs: graphs of at least `reduceFrom` vertices (0: none) that may
 * be reducible are handed back for src/graphs/reduce.ts; `forms`: build canonical forms.
 */
export interface PackMode {
  reduceFrom: number;
  forms: boolean;
}

/**
 * Graphs below this many vertices are searched whatever their structure: the search
 * is then cheaper than the reductions' work in TypeScript (G(10, 0.3), mostly
 * disconnected or with twins, took 10× longer reduced) and than the kernel's test
 * for them (a third of the search of G(50, 0.3)), and no group there is large
 * enough for the search's cost on it to matter (K_100 is searched in milliseconds).
 */
export const REDUCE_FROM = 128;

const PUBLIC: PackMode = { reduceFrom: REDUCE_FROM, forms: true };
/** The irreducible graphs of src/graphs/reduce.ts: searched, no forms. */
const CORE: PackMode = { reduceFrom: 0, forms: false };
/** ngens value of a graph canon_label handed back. */
const REDUCIBLE = -2;

/**
 * Checked graphs laid out in the arena for canon_label: `run` labels them all in
 * one call (repeatable: the bench times it alone), `read` builds the results, all
 * of them views into one copy out of WASM memory (so callers pack a large batch in
 * slices: see labelChecked), null for the graphs the kernel handed back, which
 * `reducible` gives as CSR for src/graphs/reduce.ts.
 */
export function packGraphs(k: Kernels, arena: Arena, graphs: Checked[], allGenerators = false, mode: PackMode = PUBLIC): { run: () => void; read: () => (CanonicalLabeling | null)[]; refine: () => Int32Array[]; overflowed: () => number[]; reducible: () => { g: number; graph: Graph }[] } {
  const x = k.exports;
  const count = graphs.length;
  let total = 0;
  let entries = 0;
  let maxN = 0;
  let maxE = 0;
  let maxDense = 0;
  let genTotal = 0;
  for (const { n, entries: m, dense } of graphs) {
    total += n;
    entries += m;
    genTotal += generatorRoom(n, allGenerators);
    maxN = Math.max(maxN, n);
    maxE = Math.max(maxE, m);
    if (dense) maxDense = Math.max(maxDense, n * n);
  }
  const pVoff = arena.alloc((count + 1) * 4);
  const pGenOff = arena.alloc((count + 1) * 4);
  const pRow = arena.alloc((total + 1) * 4);
  // four slots of slack: canon_csr stores whole groups of four
  const pCol = arena.alloc((entries + 4) * 4);
  const pEcol = arena.alloc((entries + 4) * 4);
  const pVcol = arena.alloc(total * 4);
  const pDense = arena.alloc(maxDense * 4);
  // (usize results past 2^31 read as negative i32 in JS)
  const pWork = arena.alloc(x.canon_work(maxN, maxE) >>> 0);
  const pSizes = arena.alloc(total * 4);
  const pNgens = arena.alloc(count * 4);
  // the results, back to back in the order of the copy out: labelings, canonical
  // colours, orbits, generators (compacted by read), then the canonical forms of
  // the graphs searched (allocated by read, once it knows which)
  const pLab = arena.alloc((3 * total + genTotal) * 4);
  const pColours = pLab + total * 4;
  const pOrb = pColours + total * 4;
  const pGens = pOrb + total * 4;
  // one view of the whole memory: no allocation above this point grows it
  let heap = new Int32Array(arena.memory.buffer);
  // (>>>: pointers may pass 2^31)
  const at = (ptr: number) => ptr >>> 2;
  let v0 = 0;
  let g0 = 0;
  let e = 0;
  for (let g = 0; g < count; g++) {
    const c = graphs[g];
    heap[at(pVoff) + g] = v0;
    heap[at(pGenOff) + g] = g0;
    if (c.dense) {
      heap.set(c.dense, at(pDense));
      const r = x.canon_csr(pDense, c.n, pRow + v0 * 4, pCol, pEcol, e);
      if (r < 0) throw asymmetric(c, -1 - r);
      e = r;
    } else {
      for (let v = 0; v < c.n; v++) heap[at(pRow) + v0 + v] = c.rowPtr[v] + e;
      heap.set(c.col, at(pCol) + e);
      heap.set(c.ecol, at(pEcol) + e);
      e += c.entries;
    }
    putKernelColours(c, heap, at(pVcol) + v0);
    v0 += c.n;
    g0 += generatorRoom(c.n, allGenerators);
  }
  heap[at(pVoff) + count] = total;
  heap[at(pGenOff) + count] = genTotal;
  heap[at(pRow) + total] = e;
  const run = () => x.canon_label(count, pVoff, pRow, pCol, pEcol, pVcol, pWork, pLab, pOrb, pSizes, pGens, pGenOff, pNgens, mode.reduceFrom);
  const searched = (g: number) => heap[at(pNgens) + g] !== REDUCIBLE;
  /**
   * Results: the forms and colours are completed in WASM memory, the generators
   * moved down behind each other, and everything copied out in one piece, of which
   * every per-graph array is a view. A typed array per result would cost an
   * allocation each, several times the search of a small graph.
   */
  const read = () => {
    let forms = 0;
    if (mode.forms) for (let g = 0; g < count; g++) if (searched(g) && graphs[g].n < LAZY_FORM_FROM) forms += graphs[g].n ** 2;
    const pForms = arena.alloc(forms * 4);
    heap = new Int32Array(arena.memory.buffer);
    if (forms > 0) x.canon_forms(count, pVoff, pRow, pCol, pEcol, pLab, pNgens, LAZY_FORM_FROM, pWork, pForms);
    let form = at(pForms);
    let gen = at(pGens);
    for (let g = 0; g < count; g++) {
      const c = graphs[g];
      const n = c.n;
      const lab = at(pLab) + heap[at(pVoff) + g];
      const colour = lab + total;
      if (!searched(g)) continue;
      for (let i = 0; i < n; i++) heap[colour + i] = c.colors === null ? 0 : c.colors[heap[lab + i]];
      if (mode.forms && n < LAZY_FORM_FROM) {
        finishForm(c, heap.subarray(lab, lab + n), heap.subarray(form, form + n * n));
        form += n * n;
      }
      // (ngens = −1: no room; overflowed() has the graph labeled again)
      const len = Math.max(0, heap[at(pNgens) + g]) * n;
      const from = at(pGens) + heap[at(pGenOff) + g];
      if (from !== gen) heap.copyWithin(gen, from, from + len);
      gen += len;
    }
    // the generators' end to the forms' start holds nothing: copy the two parts
    const copy = new Int32Array(gen - at(pLab) + forms);
    copy.set(heap.subarray(at(pLab), gen));
    copy.set(heap.subarray(at(pForms), at(pForms) + forms), gen - at(pLab));
    const base = (p: number) => at(p) - at(pLab);
    const out: (CanonicalLabeling | null)[] = new Array(count);
    form = gen - at(pLab);
    gen = base(pGens);
    for (let g = 0; g < count; g++) {
      const n = graphs[g].n;
      const v0 = heap[at(pVoff) + g];
      if (!searched(g)) {
        out[g] = null;
        continue;
      }
      // |Aut| as a number while exact, in bigint past 2^53
      let size = 1;
      let big: bigint | null = null;
      for (let i = at(pSizes) + v0; i < at(pSizes) + v0 + n; i++) {
        const f = heap[i];
        if (f === 1) continue;
        if (big === null && size * f <= Number.MAX_SAFE_INTEGER) size *= f;
        else big = (big ?? BigInt(size)) * BigInt(f);
      }
      const generators: Int32Array[] = [];
      for (let i = Math.max(0, heap[at(pNgens) + g]); i > 0; i--, gen += n) generators.push(copy.subarray(gen, gen + n));
      const r: CanonicalLabeling = {
        n,
        labeling: copy.subarray(v0, v0 + n),
        canonical: mode.forms && n < LAZY_FORM_FROM ? copy.subarray(form, form + n * n) : NO_FORM,
        canonicalColors: copy.subarray(base(pColours) + v0, base(pColours) + v0 + n),
        orbits: copy.subarray(base(pOrb) + v0, base(pOrb) + v0 + n),
        generators,
        size: big === null ? size : Number(big),
        sizeExact: big ?? BigInt(size),
      };
      if (mode.forms && n < LAZY_FORM_FROM) form += n * n;
      else if (mode.forms) {
        // CSR input: its checked copy is the graph as the kernel saw it; dense: copied out
        const c = graphs[g];
        laterForm(r, c, c.rowPtr === null ? kernelGraph(g) : c);
      }
      out[g] = r;
    }
    return out;
  };
  const refine = () => {
    const pCells = arena.alloc(total * 4);
    x.canon_refine(count, pVoff, pRow, pCol, pEcol, pVcol, pWork, pCells);
    const cells = arena.i32(pCells, total);
    return graphs.map((_, g) => cells.slice(heap[at(pVoff) + g], heap[at(pVoff) + g + 1]));
  };
  /** Graphs whose generators did not fit (ngens = −1): label them again with allGenerators. */
  const overflowed = () => {
    const out: number[] = [];
    for (let g = 0; g < count; g++) if (heap[at(pNgens) + g] === -1) out.push(g);
    return out;
  };
  /** The graphs handed back, as the kernel saw them (CSR from 0, kernel colours). */
  const reducible = () => {
    const out: { g: number; graph: Graph }[] = [];
    for (let g = 0; g < count; g++) if (!searched(g)) out.push({ g, graph: kernelGraph(g) });
    return out;
  };
  /** Graph g as the kernel saw it (CSR from 0, kernel colours), copied out of WASM memory. */
  const kernelGraph = (g: number): Graph => {
    const v0 = heap[at(pVoff) + g];
    const n = graphs[g].n;
    const e0 = heap[at(pRow) + v0];
    const rowPtr = heap.slice(at(pRow) + v0, at(pRow) + v0 + n + 1);
    for (let v = 0; v <= n; v++) rowPtr[v] -= e0;
    const m = rowPtr[n];
    return {
      n,
      rowPtr,
      col: heap.slice(at(pCol) + e0, at(pCol) + e0 + m),
      ecol: heap.slice(at(pEcol) + e0, at(pEcol) + e0 + m),
      vcol: heap.slice(at(pVcol) + v0, at(pVcol) + v0 + n),
    };
  };
  return { run, read, refine, overflowed, reducible };
}

/** The canonical form of the internal (CORE) runs, which build none. */
const NO_FORM = new Int32Array(0);

/**
 * Searched graphs from this many vertices get their canonical form on first read:
 * its n² words (100 MB at n = 5000) cost several times the labeling of a sparse
 * graph that size, and the labeling, orbits and generators need none of them.
 */
const LAZY_FORM_FROM = 256;

/**
 * Give r (a searched graph, c) its canonical form from g, the graph as the kernel
 * saw it: on first read, or at once for a digraph (its form is read from the arc
 * matrix, which may be the caller's own array).
 */
function laterForm(r: CanonicalLabeling, c: Checked, g: KernelCSR): void {
  let form = c.arcs === null ? null : csrForm(c, g, r.labeling);
  Object.defineProperty(r, 'canonical', { get: () => (form ??= csrForm(c, g, r.labeling)), enumerable: true });
}

/** The CSR arrays of a graph as the kernel saw it (rows from 0). */
type KernelCSR = Pick<Graph, 'rowPtr' | 'col' | 'ecol'>;

/** The canonical form of c under `lab`, from g, c as the kernel saw it. */
function csrForm(c: Checked, g: KernelCSR, lab: Int32Array): Int32Array {
  const n = c.n;
  const form = new Int32Array(n * n);
  const pos = new Int32Array(n);
  for (let i = 0; i < n; i++) pos[lab[i]] = i;
  for (let i = 0; i < n; i++) {
    const v = lab[i];
    for (let e = g.rowPtr[v]; e < g.rowPtr[v + 1]; e++) form[i * n + pos[g.col[e]]] = g.ecol[e];
  }
  finishForm(c, lab, form);
  return form;
}

/**
 * A canonical form as the kernel leaves it (edge colours of the CSR, zero
 * diagonal) made the input's: loop colours on the diagonal, a digraph's arcs.
 */
function finishForm(c: Checked, lab: Int32Array, form: Int32Array): void {
  const { n, loops, arcs } = c;
  if (loops !== null) for (let i = 0; i < n; i++) form[i * n + i] = loops[lab[i]];
  // the kernel's form holds pair codes: a digraph's form is read from its arcs
  if (arcs !== null) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) form[i * n + j] = arcs[lab[i] * n + lab[j]];
}

/** The result for a graph labelled by src/graphs/reduce.ts; canonical form, generators and |Aut| made on first read. */
function reducedResult(c: Checked, g: Graph, l: Labeled): CanonicalLabeling {
  const n = c.n;
  let exact: bigint | null = null;
  let form: Int32Array | null = null;
  let gens: Int32Array[] | null = null;
  return {
    n,
    labeling: l.lab,
    get canonical() {
      return (form ??= csrForm(c, g, l.lab));
    },
    canonicalColors: canonicalColours(c.colors, l.lab),
    orbits: l.orbits,
    get generators() {
      return (gens ??= l.gens().map((s) => {
        const p = iota(n);
        for (let j = 0; j < s.length; j += 2) p[s[j]] = s[j + 1];
        return p;
      }));
    },
    // |Aut| past 10^4 digits costs more than the labeling: made on first read too
    get size() {
      return Number(this.sizeExact);
    },
    get sizeExact() {
      return (exact ??= product(l.factors));
    },
  };
}

/** The colours of a labeling's positions (all 0 without colours). */
function canonicalColours(colors: ArrayLike<number> | null, lab: Int32Array): Int32Array {
  const out = new Int32Array(lab.length);
  if (colors !== null) for (let i = 0; i < lab.length; i++) out[i] = colors[lab[i]];
  return out;
}

/** The product of many small factors, as a balanced tree of bigint products. */
function product(factors: readonly (number | bigint)[]): bigint {
  const parts: bigint[] = [];
  let acc = 1;
  for (const f of factors) {
    if (typeof f === 'bigint') parts.push(f);
    else if (acc * f <= Number.MAX_SAFE_INTEGER) acc *= f;
    else {
      parts.push(BigInt(acc));
      acc = f;
    }
  }
  parts.push(BigInt(acc));
  for (let live = parts.length; live > 1; live = (live + 1) >> 1) {
    for (let i = 0; 2 * i < live; i++) parts[i] = 2 * i + 1 < live ? parts[2 * i] * parts[2 * i + 1] : parts[2 * i];
  }
  return parts[0];
}

/**
 * Room for generators per graph on the first run: few graphs need more, and room
 * for all n − 1 would cost n² words per graph.
 */
const GENERATOR_ROOM = 32;

/**
 * Result values per slice of a batch (32 KiB): the graphs of a slice are packed,
 * labeled and copied out together, so their CSR, forms and results stay in cache
 * (a whole batch's forms back to back, 16 MB for 400 graphs of 100 vertices, were
 * written and read far out of cache), and small graphs share one allocation.
 */
const SLICE = 1 << 13;

/** Run canon_label over checked graphs, slice by slice (one WASM call per slice). */
export function labelChecked(graphs: Checked[], k: Kernels = kernels(), mode: PackMode = PUBLIC): CanonicalLabeling[] {
  const out: CanonicalLabeling[] = new Array(graphs.length);
  const ints = (c: Checked) => c.n * (c.n + 3);
  for (let g0 = 0; g0 < graphs.length; ) {
    let g1 = g0 + 1;
    let size = ints(graphs[g0]);
    while (g1 < graphs.length && size + ints(graphs[g1]) <= SLICE) size += ints(graphs[g1++]);
    const slice = labelSlice(graphs.slice(g0, g1), k, mode);
    for (let g = g0; g < g1; g++) out[g] = slice[g - g0];
    g0 = g1;
  }
  return out;
}

function labelSlice(graphs: Checked[], k: Kernels, mode: PackMode = PUBLIC): CanonicalLabeling[] {
  const out = withArena(k, 'canon_label', (arena) => {
    const batch = packGraphs(k, arena, graphs, false, mode);
    batch.run();
    return { results: batch.read(), overflowed: batch.overflowed(), reducible: batch.reducible() };
  });
  if (out.overflowed.length > 0) {
    const again = withArena(k, 'canon_label', (arena) => {
      const batch = packGraphs(k, arena, out.overflowed.map((g) => graphs[g]), true, mode);
      batch.run();
      return batch.read();
    });
    out.overflowed.forEach((g, i) => (out.results[g] = again[i]));
  }
  const core = coreOf(k);
  for (const { g, graph } of out.reducible) out.results[g] = reducedResult(graphs[g], graph, labelReduced(graph, core));
  return out.results as CanonicalLabeling[];
}

/** The search kernel as reduce.ts's Core: one irreducible graph, generators as moved points. */
function coreOf(k: Kernels): Core {
  return (g) => {
    const c: Checked = { input: 0, n: g.n, colors: g.vcol, loops: null, arcs: null, dense: null, source: null, rowPtr: g.rowPtr, col: g.col, ecol: g.ecol, entries: g.rowPtr[g.n] };
    const r = labelSlice([c], k, CORE)[0];
    const gens = () =>
      r.generators.map((p) => {
        const moved: number[] = [];
        for (let v = 0; v < g.n; v++) if (p[v] !== v) moved.push(v, p[v]);
        return Int32Array.from(moved);
      });
    return { lab: r.labeling, orbits: r.orbits, factors: [r.sizeExact], gens };
  };
}

/** Each graph of an array checked, its index the input's. */
function checkGraphs(graphs: unknown): Checked[] {
  if (!Array.isArray(graphs)) throw optionError(`graphs must be an array of { adjacency, n }, got ${describe(graphs)}`);
  return graphs.map((g: GraphInput, i) => checkGraph(g, i));
}

/**
 * The coarsest equitable partition of each graph finer than its vertex colouring
 * (colour refinement on vertex and edge colours): cell index per vertex, cells in
 * an order that is the same for isomorphic graphs.
 */
export function equitablePartitions(graphs: GraphInput[], k: Kernels = kernels()): Int32Array[] {
  const checked = checkGraphs(graphs);
  if (checked.length === 0) return [];
  return withArena(k, 'canon_refine', (arena) => packGraphs(k, arena, checked).refine());
}

/** Canonical labeling, generators, orbits and |Aut| of one graph. */
export function canonicalLabeling(adjacency: ArrayLike<number> | CSR, options: GraphOptions): CanonicalLabeling {
  return labelChecked([checkGraph({ adjacency, ...options }, 0)])[0];
}

/** The same for many graphs in one WASM call; errors name the graph's index. */
export function canonicalLabelings(graphs: GraphInput[], k?: Kernels): CanonicalLabeling[] {
  return labelChecked(checkGraphs(graphs), k);
}

/**
 * canonicalLabelings with the reductions tried from `reduceFrom` vertices on
 * (canonicalLabelings: REDUCE_FROM): how the tests reach them on small graphs.
 * Canonical forms are canonical among calls with the same `reduceFrom`.
 */
export function canonicalLabelingsReducedFrom(graphs: GraphInput[], reduceFrom: number, k?: Kernels): CanonicalLabeling[] {
  return labelChecked(checkGraphs(graphs), k, { reduceFrom, forms: true });
}
