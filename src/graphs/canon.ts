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
import { kernels, withArena, type Arena, type KernelExports, type Kernels } from '../wasm/module.js';
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
 * Largest vertex count accepted: the kernel's scratch is about 37·n + 4·entries +
 * 32·n words, and dense input and canonical forms take n² words each.
 */
export const MAX_VERTICES = 1 << 22;


/**
 * A validated graph: dense edge-colour matrix (converted to CSR in WASM, which also
 * finds the first asymmetric pair for the error message raised here) or CSR.
 * A dense matrix is kept as given when its entries are the colour ids: typed arrays
 * whose every value is an i32 id are copied into WASM memory as they are, floats
 * (`floats`) are copied as f64 and checked there (canon_from_f64, which says
 * whether some entry is no i32; entryError then finds the first for the message),
 * and other arrays are checked here entry by entry; no n×n copy is made in
 * JavaScript. Entries checked in WASM memory throw at packing, after every graph
 * of the call had its shape checked.
 */
type Checked = {
  /** Index of the input, for error messages. */
  input: number;
  n: number;
  /** Vertex colour ids as given (checked), or null: every vertex has colour 0. */
  colors: ArrayLike<number> | null;
  /**
   * Loop colour per vertex (dense input with a non-zero diagonal), else null. An
   * undirected dense graph's are read at packing from its copy in WASM memory: a
   * read of the diagonal of the input itself touches a cache line per row of it.
   */
  loops: Int32Array | null;
  /** CSR entries (each undirected edge twice; for dense input, if symmetric). */
  entries: number;
  /** Directed input: its arc-colour matrix (the CSR then holds pair codes, see arcPairs). */
  arcs: Int32Array | null;
} & (
  | { dense: ArrayLike<number>; floats: boolean; source: { a: ArrayLike<number>; w: ArrayLike<number> }; rowPtr: null; col: null; ecol: null; verify: false }
  | {
      dense: null;
      floats: false;
      source: null;
      /** Entry indices from 0 into col and ecol (ecol null: every edge has colour 1), integers, non-decreasing. */
      rowPtr: ArrayLike<number>;
      col: ArrayLike<number>;
      ecol: ArrayLike<number> | null;
      /** CSR as the caller gave it, with only its shape checked: canon_check_csr checks the rest at packing. */
      verify: boolean;
    }
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
    // (the message, with its index, only for an id that fails: (x | 0) === x is exactly an i32)
    if (!allInts(colors)) for (let i = 0; i < n; i++) if ((colors[i] | 0) !== colors[i]) checkInt(input, `colors[${i}]`, colors[i]);
  }
  if (isCSR(g.adjacency)) {
    if (g.directed) throw inputTypeError(input, 'directed graphs take a dense n×n adjacency, not CSR');
    return checkCSR(g.adjacency, g.edgeColors, n, input, colors);
  }
  const a = checkArray(input, 'adjacency', g.adjacency);
  if (a.length !== n * n) throw inputRangeError(input, `adjacency must have n·n = ${n * n} entries, got ${a.length}`);
  const w = g.edgeColors === undefined ? a : checkArray(input, 'edgeColors', g.edgeColors);
  if (w.length !== n * n) throw inputRangeError(input, `edgeColors must have n·n = ${n * n} entries, got ${w.length}`);
  if (g.directed) {
    // (a copy: the canonical form is read from it after the call)
    const arcs = w === a && a instanceof Int32Array ? a.slice() : colourMatrix(a, w, n, input);
    return { input, n, colors, loops: loopColours(arcs, n), arcs, dense: null, floats: false, source: null, ...arcPairs(arcs, n) };
  }
  const floats = w === a && (a instanceof Float64Array || a instanceof Float32Array);
  let dense: ArrayLike<number>;
  if (w !== a) dense = colourMatrix(a, w, n, input);
  else if (floats || isIdArray(a)) dense = a;
  else {
    dense = a;
    const m = n * n;
    for (let i = 0; i < m; i++) if ((a[i] | 0) !== a[i]) throw entryError(a, w, n, input);
  }
  // the bound n(n − 1) for small graphs (a pass over n² values less); the exact
  // count past it: scratch sized by the bound passes 2 GiB at n ≈ 8200
  let entries = n * (n - 1);
  if (n > EXACT_ENTRIES) {
    entries = 0;
    for (let i = 0; i < n * n; i++) if (dense[i] !== 0) entries++;
    for (let i = 0; i < n; i++) if (dense[i * n + i] !== 0) entries--;
  }
  return { input, n, colors, loops: null, arcs: null, dense, floats, source: { a, w }, rowPtr: null, col: null, ecol: null, verify: false, entries };
}

/** Whether every value an array of this type can hold is an i32 colour id (so it needs no check). */
function isIdArray(a: ArrayLike<number>): boolean {
  return a instanceof Int32Array || a instanceof Uint8Array || a instanceof Int8Array || a instanceof Uint16Array || a instanceof Int16Array || a instanceof Uint8ClampedArray;
}

/** The loop colour of each vertex (the diagonal of a dense matrix at d[from ..]), or null when it has none. */
function loopColours(d: ArrayLike<number>, n: number, from = 0): Int32Array | null {
  let loops: Int32Array | null = null;
  for (let i = 0; i < n; i++) {
    const x = d[from + i * n + i];
    if (x === 0) continue;
    loops ??= new Int32Array(n);
    loops[i] = x;
  }
  return loops;
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
function arcPairs(d: Int32Array, n: number): { rowPtr: Int32Array; col: Int32Array; ecol: Int32Array; entries: number; verify: false } {
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
  return { rowPtr, col: Int32Array.from(col), ecol: Int32Array.from(ecol), entries: col.length, verify: false };
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
    if ((c | 0) !== c || c === 0 || !Number.isFinite(x)) throw entryError(a, w, n, input);
    out[i] = c;
  }
  return out;
}

/** The error for the first entry (row-major) of a dense adjacency that is not finite or has no valid colour id. */
function entryError(a: ArrayLike<number>, w: ArrayLike<number>, n: number, input: number): Error {
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
  return internalError('entryError found no bad entry');
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

/**
 * A CSR graph's shape and rowPtr (integers from 0, non-decreasing) checked here, its
 * arrays kept as given once every entry is an i32 (ecol null: all 1); the rest
 * (bounds, loops, colour 0, repeats, symmetry) canon_check_csr checks in WASM
 * memory at packing, and rejectCSR names the rule broken. No copy: an array of
 * its own costs a call on a small graph about 0.5 µs.
 */
function checkCSR(g: CSR, edgeColors: ArrayLike<number> | undefined, n: number, input: number, colors: ArrayLike<number> | null): Checked {
  const rp = checkArray(input, 'adjacency.rowPtr', g.rowPtr);
  const cl = checkArray(input, 'adjacency.col', g.col);
  if (rp.length !== n + 1) throw inputRangeError(input, `adjacency.rowPtr must have n + 1 = ${n + 1} entries, got ${rp.length}`);
  if (rp[0] !== 0 || rp[n] !== cl.length) throw inputRangeError(input, `adjacency.rowPtr must run from 0 to col.length = ${cl.length}`);
  const m = cl.length;
  const ec = edgeColors === undefined ? undefined : checkArray(input, 'edgeColors', edgeColors);
  if (ec !== undefined && ec.length !== m) throw inputRangeError(input, `edgeColors must have one entry per col entry (${m}), got ${ec.length}`);
  let ok = allInts(rp) && allInts(cl) && (ec === undefined || allInts(ec));
  for (let i = 0; i < n; i++) if (!(rp[i] <= rp[i + 1])) ok = false;
  if (!ok) rejectCSR(rp, cl, ec, n, input);
  return { input, n, colors, loops: null, arcs: null, dense: null, floats: false, source: null, rowPtr: rp, col: cl, ecol: ec ?? null, entries: m, verify: true };
}

/** Whether every entry is an i32 ((x | 0) === x exactly then), with no pass for typed arrays that hold nothing else. */
function allInts(a: ArrayLike<number>): boolean {
  if (isIdArray(a)) return true;
  for (let i = 0; i < a.length; i++) if ((a[i] | 0) !== a[i]) return false;
  return true;
}

/**
 * Throws the error for the first rule a CSR graph breaks: rowPtr entries that are
 * no integers, then row by row (rowPtr order, bounds, loops, colours, repeats: a
 * stamp per row), then symmetry; O(n + m). `rp`: rowPtr as given.
 */
function rejectCSR(rp: ArrayLike<number>, cl: ArrayLike<number>, ec: ArrayLike<number> | undefined, n: number, input: number): never {
  for (let i = 0; i <= n; i++) if (!Number.isInteger(rp[i])) throw inputRangeError(input, `adjacency.rowPtr[${i}] = ${rp[i]} is not an integer`);
  const rowPtr = Int32Array.from(rp);
  const m = cl.length;
  const col = new Int32Array(m);
  const ecol = new Int32Array(m);
  const stamp = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (!(rp[i] <= rp[i + 1])) throw inputRangeError(input, `adjacency.rowPtr must be non-decreasing (rowPtr[${i}] = ${rp[i]}, rowPtr[${i + 1}] = ${rp[i + 1]})`);
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      const j = cl[e];
      if (!Number.isInteger(j) || j < 0 || j >= n) throw inputRangeError(input, `adjacency.col[${e}] = ${j} is not a vertex of 0..${n - 1}`);
      if (j === i) throw inputRangeError(input, `loops are not supported in CSR input (vertex ${i}); put them in colors`);
      const c = ec === undefined ? 1 : ec[e];
      if ((c | 0) !== c) checkInt(input, `edgeColors[${e}]`, c);
      if (c === 0) throw inputRangeError(input, `edgeColors[${e}] is 0, which means no edge`);
      if (stamp[j] === i) throw inputRangeError(input, `edge (${i}, ${j}) is listed twice`);
      stamp[j] = i;
      col[e] = j;
      ecol[e] = c;
    }
  }
  if (!symmetricCSR(n, rowPtr, col, ecol)) throw asymmetricCSR(n, rowPtr, col, ecol, input);
  throw internalError('rejectCSR found no broken rule');
}

/**
 * Whether every entry (i, j, c) of rows without repeats has its reverse (j, i, c).
 * Each row must have as many entries pointing to it as it holds; then a row sorted
 * ascending (as most CSR is) is checked in one pass: the entries pointing to j,
 * met in order of i, are row j itself, entry by entry (a bijection, so passing
 * proves it); the rows where that fails are checked again as sets.
 */
function symmetricCSR(n: number, rowPtr: Int32Array, col: Int32Array, ecol: Int32Array): boolean {
  const m = rowPtr[n];
  const inDegree = new Int32Array(n);
  for (let e = 0; e < m; e++) inDegree[col[e]]++;
  for (let j = 0; j < n; j++) if (inDegree[j] !== rowPtr[j + 1] - rowPtr[j]) return false;
  const next = rowPtr.slice(0, n);
  let unsorted: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      const k = next[col[e]]++;
      if (col[k] !== i || ecol[k] !== ecol[e]) (unsorted ??= new Uint8Array(n))[col[e]] = 1;
    }
  }
  if (unsorted === null) return true;
  // those rows against the entries that point to them, marked by a stamp per row
  next.set(rowPtr.subarray(0, n));
  const from = new Int32Array(m);
  const colour = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      if (unsorted[col[e]] === 0) continue;
      const k = next[col[e]]++;
      from[k] = i;
      colour[k] = ecol[e];
    }
  }
  const mark = new Int32Array(n);
  const stamp = new Int32Array(n).fill(-1);
  for (let j = 0; j < n; j++) {
    if (unsorted[j] === 0) continue;
    for (let e = rowPtr[j]; e < rowPtr[j + 1]; e++) {
      stamp[col[e]] = j;
      mark[col[e]] = ecol[e];
    }
    for (let k = rowPtr[j]; k < rowPtr[j + 1]; k++) if (stamp[from[k]] !== j || mark[from[k]] !== colour[k]) return false;
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
 * A class, not closures: a call on one small graph costs little more than its search.
 */
class PackedGraphs {
  private readonly x: KernelExports;
  private readonly count: number;
  private readonly total: number;
  /** One view of the whole memory: nothing allocated after the constructor grows it, but refine. */
  private heap: Int32Array;
  private readonly pVoff: number;
  private readonly pGenOff: number;
  private readonly pVcol: number;
  private readonly pWork: number;
  private readonly pSizes: number;
  private readonly pNgens: number;
  private readonly pLab: number;
  private readonly pGens: number;
  private readonly pRow: number;
  private readonly pCol: number;
  private readonly pEcol: number;
  /**
   * The dense graphs' bits (canon_csr), behind each other in graph order, and per
   * graph the word offset of its bits there when it is a 0/1 graph (its form is
   * then built from them), else −1.
   */
  private readonly pBits: number;
  private readonly pBitsAt: number;

  constructor(private readonly arena: Arena, private readonly graphs: Checked[], allGenerators: boolean, private readonly mode: PackMode) {
    const x = (this.x = arena.exports);
    const count = (this.count = graphs.length);
    let total = 0;
    let entries = 0;
    let maxN = 0;
    let maxE = 0;
    let maxDense = 0;
    let genTotal = 0;
    let bitsTotal = 0;
    let floats = false;
    let verify = false;
    for (let g = 0; g < count; g++) {
      const c = graphs[g];
      total += c.n;
      if (c.dense !== null) bitsTotal += bitWords(c.n);
      entries += c.entries;
      genTotal += generatorRoom(c.n, allGenerators);
      maxN = Math.max(maxN, c.n);
      maxE = Math.max(maxE, c.entries);
      if (c.dense !== null) maxDense = Math.max(maxDense, c.n * c.n);
      floats ||= c.floats;
      verify ||= c.verify;
    }
    this.total = total;
    const pVoff = (this.pVoff = arena.alloc((count + 1) * 4));
    const pGenOff = (this.pGenOff = arena.alloc((count + 1) * 4));
    const pVcol = (this.pVcol = arena.alloc(total * 4));
    // (f64 when a graph's entries are floats: canon_from_f64 converts them in place;
    // canon_csr reads up to 12 bytes past the matrix)
    const pDense = arena.alloc(maxDense * (floats ? 8 : 4) + 16);
    // (usize results past 2^31 read as negative i32 in JS)
    this.pWork = arena.alloc(x.canon_work(maxN, maxE) >>> 0);
    this.pSizes = arena.alloc(total * 4);
    this.pNgens = arena.alloc(count * 4);
    const pCheck = verify ? arena.alloc(x.canon_check_work(maxN, maxE) >>> 0) : 0;
    const pBits = (this.pBits = arena.alloc(bitsTotal * 4));
    const pBitsAt = (this.pBitsAt = arena.alloc(count * 4));
    // the results and the CSR in one block: labelings, canonical colours, orbits
    // (copied out as they are), generators (compacted by read), rowPtr, col, ecol
    // (four slots of slack each: canon_csr stores whole groups of four)
    const pLab = (this.pLab = arena.alloc((3 * total + genTotal + total + 1 + 2 * (entries + 4)) * 4));
    const pGens = (this.pGens = pLab + 3 * total * 4);
    const pRow = (this.pRow = pGens + genTotal * 4);
    const pCol = (this.pCol = pRow + (total + 1) * 4);
    const pEcol = (this.pEcol = pCol + (entries + 4) * 4);
    const heap = (this.heap = arena.heap32());
    const f64 = floats ? arena.heap64() : null;
    let v0 = 0;
    let g0 = 0;
    let e = 0;
    let b = 0;
    for (let g = 0; g < count; g++) {
      const c = graphs[g];
      heap[at(pVoff) + g] = v0;
      heap[at(pGenOff) + g] = g0;
      heap[at(pBitsAt) + g] = -1;
      if (c.dense !== null) {
        if (f64 !== null && c.floats) {
          f64.set(c.dense, pDense >>> 3);
          if (x.canon_from_f64(pDense, c.n * c.n, pDense) !== 0) throw entryError(c.source.a, c.source.w, c.n, c.input);
        } else heap.set(c.dense, at(pDense));
        c.loops = loopColours(heap, c.n, at(pDense));
        // (canon_csr writes its binary flag in the graph's slot: 1 becomes the offset)
        const r = x.canon_csr(pDense, c.n, pRow + v0 * 4, pCol, pEcol, e, pBits + b * 4, pBitsAt + g * 4);
        if (r < 0) throw asymmetric(c, -1 - r);
        heap[at(pBitsAt) + g] = heap[at(pBitsAt) + g] === 1 ? b : -1;
        e = r;
        b += bitWords(c.n);
      } else {
        for (let v = 0; v <= c.n; v++) heap[at(pRow) + v0 + v] = c.rowPtr[v] + e;
        heap.set(c.col, at(pCol) + e);
        if (c.ecol === null) heap.fill(1, at(pEcol) + e, at(pEcol) + e + c.entries);
        else heap.set(c.ecol, at(pEcol) + e);
        if (c.verify && x.canon_check_csr(c.n, pRow + v0 * 4, pCol, pEcol, pCheck) !== 0) rejectCSR(c.rowPtr, c.col, c.ecol ?? undefined, c.n, c.input);
        e += c.entries;
      }
      putKernelColours(c, heap, at(pVcol) + v0);
      v0 += c.n;
      g0 += generatorRoom(c.n, allGenerators);
    }
    heap[at(pVoff) + count] = total;
    heap[at(pGenOff) + count] = genTotal;
    heap[at(pRow) + total] = e;
  }

  run(): void {
    this.x.canon_label(this.count, this.pVoff, this.pRow, this.pCol, this.pEcol, this.pVcol, this.pWork, this.pLab,
      this.pLab + 2 * this.total * 4, this.pSizes, this.pGens, this.pGenOff, this.pNgens, this.mode.reduceFrom);
  }

  private searched(g: number): boolean {
    return this.heap[at(this.pNgens) + g] !== REDUCIBLE;
  }

  /**
   * Results: labelings, canonical colours, orbits, the generators behind each other
   * and what each form is built from (formWords) copied out of WASM memory into
   * one piece, which the results read lazily (SearchedLabeling). A typed array per
   * result would cost an allocation each, several times the search of a small graph.
   */
  read(): (CanonicalLabeling | null)[] {
    const { heap, graphs, count, total, pNgens, pVoff, pGenOff } = this;
    const forms = this.mode.forms;
    // (ngens = −1: no room; overflowed() has the graph labeled again)
    const ngens = (g: number) => Math.max(0, heap[at(pNgens) + g]);
    let length = 3 * total;
    for (let g = 0; g < count; g++) if (this.searched(g)) length += ngens(g) * graphs[g].n + (forms ? this.formWords(g) : 0);
    const buf = resultInts(length);
    copyRun(buf, 0, heap, at(this.pLab), total);
    copyRun(buf, 2 * total, heap, at(this.pLab) + 2 * total, total);
    const copy: Copy = { buf, total };
    const out: (CanonicalLabeling | null)[] = new Array(count);
    let to = 3 * total;
    for (let g = 0; g < count; g++) {
      const c = graphs[g];
      const n = c.n;
      if (!this.searched(g)) {
        out[g] = null;
        continue;
      }
      const v0 = heap[at(pVoff) + g];
      // (the colours of graphs without are the buffer's zeros)
      if (c.colors !== null) for (let i = 0; i < n; i++) buf[total + v0 + i] = c.colors[buf[v0 + i]];
      const gen = to;
      copyRun(buf, gen, heap, at(this.pGens) + heap[at(pGenOff) + g], ngens(g) * n);
      to += ngens(g) * n;
      const form = forms ? to : -1;
      if (forms) to += this.copyForm(g, buf, form);
      // |Aut| as a number while exact, in bigint past 2^53
      let size = 1;
      let big: bigint | null = null;
      for (let i = at(this.pSizes) + v0; i < at(this.pSizes) + v0 + n; i++) {
        const f = heap[i];
        if (f === 1) continue;
        if (big === null && size * f <= Number.MAX_SAFE_INTEGER) size *= f;
        else big = (big ?? BigInt(size)) * BigInt(f);
      }
      out[g] = new SearchedLabeling(copy, v0, n, gen, ngens(g), big === null ? size : Number(big), big, form, this.bitsAt(g) >= 0, c.loops, c.arcs);
    }
    return out;
  }

  /** Where graph g's bits are among the bits (a 0/1 dense graph: its form is built from them), else −1. */
  private bitsAt(g: number): number {
    return this.heap[at(this.pBitsAt) + g];
  }

  /**
   * Words of graph g's copy for its form: a 0/1 graph's bits; nothing for a digraph,
   * whose form is read from its arcs; else its CSR, rowPtr from 0 (n + 1), col, ecol.
   */
  private formWords(g: number): number {
    const c = this.graphs[g];
    if (c.arcs !== null) return 0;
    if (this.bitsAt(g) >= 0) return bitWords(c.n);
    const r = at(this.pRow) + this.heap[at(this.pVoff) + g];
    return c.n + 1 + 2 * (this.heap[r + c.n] - this.heap[r]);
  }

  /** Graph g's formWords at buf[to ..]; returns their count. */
  private copyForm(g: number, buf: Int32Array, to: number): number {
    const { heap, graphs } = this;
    const n = graphs[g].n;
    const words = this.formWords(g);
    if (words === 0) return 0;
    if (this.bitsAt(g) >= 0) {
      copyRun(buf, to, heap, at(this.pBits) + this.bitsAt(g), words);
      return words;
    }
    const r = at(this.pRow) + heap[at(this.pVoff) + g];
    const e0 = heap[r];
    const m = heap[r + n] - e0;
    for (let v = 0; v <= n; v++) buf[to + v] = heap[r + v] - e0;
    copyRun(buf, to + n + 1, heap, at(this.pCol) + e0, m);
    copyRun(buf, to + n + 1 + m, heap, at(this.pEcol) + e0, m);
    return words;
  }

  refine(): Int32Array[] {
    const pCells = this.arena.alloc(this.total * 4);
    this.x.canon_refine(this.count, this.pVoff, this.pRow, this.pCol, this.pEcol, this.pVcol, this.pWork, pCells);
    const cells = this.arena.i32(pCells, this.total);
    this.heap = this.arena.heap32();
    return this.graphs.map((_, g) => cells.slice(this.heap[at(this.pVoff) + g], this.heap[at(this.pVoff) + g + 1]));
  }

  /** Graphs whose generators did not fit (ngens = −1): label them again with allGenerators. */
  overflowed(): number[] {
    const out: number[] = [];
    for (let g = 0; g < this.count; g++) if (this.heap[at(this.pNgens) + g] === -1) out.push(g);
    return out;
  }

  /** The graphs handed back, as the kernel saw them (CSR from 0, kernel colours). */
  reducible(): { g: number; graph: Graph }[] {
    const { heap, pRow, pCol, pEcol, pVcol } = this;
    const out: { g: number; graph: Graph }[] = [];
    for (let g = 0; g < this.count; g++) {
      if (this.searched(g)) continue;
      const v0 = heap[at(this.pVoff) + g];
      const n = this.graphs[g].n;
      const e0 = heap[at(pRow) + v0];
      const rowPtr = heap.slice(at(pRow) + v0, at(pRow) + v0 + n + 1);
      for (let v = 0; v <= n; v++) rowPtr[v] -= e0;
      const m = rowPtr[n];
      out.push({
        g,
        graph: {
          n,
          rowPtr,
          col: heap.slice(at(pCol) + e0, at(pCol) + e0 + m),
          ecol: heap.slice(at(pEcol) + e0, at(pEcol) + e0 + m),
          vcol: heap.slice(at(pVcol) + v0, at(pVcol) + v0 + n),
        },
      });
    }
    return out;
  }
}

/** An i32 index of a byte pointer (>>>: pointers may pass 2^31). */
const at = (ptr: number) => ptr >>> 2;

/** Words of a row of an n-vertex graph's bits as canon_csr writes them, and of all n rows. */
const rowWords = (n: number) => (n + 31) >>> 5;
const bitWords = (n: number) => n * rowWords(n);

/**
 * heap[from .. from + length) to out[to ..]: a loop for short runs, on which
 * TypedArray.prototype.set with its subarray costs more (about 70 ns) than the loop
 * (about 2 ns a value; the two meet near 30 values).
 */
function copyRun(out: Int32Array, to: number, heap: Int32Array, from: number, length: number): void {
  if (length > 32) out.set(heap.subarray(from, from + length), to);
  else for (let i = 0; i < length; i++) out[to + i] = heap[from + i];
}

/** Checked graphs laid out for canon_label (PackedGraphs). */
export function packGraphs(arena: Arena, graphs: Checked[], allGenerators = false, mode: PackMode = PUBLIC): PackedGraphs {
  return new PackedGraphs(arena, graphs, allGenerators, mode);
}

/**
 * A slice's results as copied out of WASM memory: per graph at its vertex offset v0,
 * labeling buf[v0 ..], canonical colours buf[total + v0 ..], orbits
 * buf[2·total + v0 ..]; then each graph's generators and its form's words
 * (PackedGraphs formWords) behind each other.
 */
interface Copy {
  buf: Int32Array;
  total: number;
}

/**
 * The result of a searched graph: views into its slice's copy, each made on first
 * read, and the canonical form built on first read from the labeling and the CSR
 * (C[i][j] = colour(lab[i], lab[j]), then finishForm): a call that reads only
 * some of them pays for no more.
 */
class SearchedLabeling implements CanonicalLabeling {
  readonly n: number;
  readonly size: number;
  /** |Aut| exactly when past 2^53, else null: sizeExact is then made from size on first read. */
  #big: bigint | null;
  // (# fields: a result's own keys are its public fields alone)
  readonly #copy: Copy;
  readonly #v0: number;
  readonly #gen: number;
  readonly #ngens: number;
  /** Where the form's words are in the copy (PackedGraphs formWords), or −1: no forms (the internal runs). */
  readonly #form: number;
  /** The form's words are the graph's bits (a 0/1 graph), not its CSR. */
  readonly #bits: boolean;
  readonly #loops: Int32Array | null;
  readonly #arcs: Int32Array | null;
  #lab: Int32Array | null = null;
  #canonical: Int32Array | null = null;
  #colours: Int32Array | null = null;
  #orbits: Int32Array | null = null;
  #gens: Int32Array[] | null = null;

  /** Graph at vertex offset v0 of `copy`, its `ngens` generators at copy.buf[gen ..], what its form is built from at copy.buf[form ..]. */
  constructor(copy: Copy, v0: number, n: number, gen: number, ngens: number, size: number, big: bigint | null, form: number, bits: boolean, loops: Int32Array | null, arcs: Int32Array | null) {
    this.n = n;
    this.size = size;
    this.#big = big;
    this.#copy = copy;
    this.#v0 = v0;
    this.#gen = gen;
    this.#ngens = ngens;
    this.#form = form;
    this.#bits = bits;
    this.#loops = loops;
    this.#arcs = arcs;
  }

  get sizeExact(): bigint {
    return (this.#big ??= BigInt(this.size));
  }

  get labeling(): Int32Array {
    return (this.#lab ??= this.#view(this.#v0, this.n));
  }

  get canonicalColors(): Int32Array {
    return (this.#colours ??= this.#view(this.#copy.total + this.#v0, this.n));
  }

  get orbits(): Int32Array {
    return (this.#orbits ??= this.#view(2 * this.#copy.total + this.#v0, this.n));
  }

  get generators(): Int32Array[] {
    if (this.#gens === null) {
      const n = this.n;
      this.#gens = new Array(this.#ngens);
      for (let i = 0; i < this.#ngens; i++) this.#gens[i] = this.#view(this.#gen + i * n, n);
    }
    return this.#gens;
  }

  get canonical(): Int32Array {
    if (this.#form < 0) return NO_FORM;
    return (this.#canonical ??= this.formInto(new Int32Array(this.n * this.n)));
  }

  /** The canonical form written into `out` (n×n, zeros), in the form's own values. */
  formInto<T extends Int32Array | Float64Array>(out: T): T {
    const n = this.n;
    const buf = this.#copy.buf;
    const lab = this.labeling;
    const f = this.#form;
    if (this.#arcs === null) {
      if (position.length < n) position = new Int32Array(Math.max(n, 2 * position.length));
      const pos = position;
      for (let i = 0; i < n; i++) pos[lab[i]] = i;
      if (this.#bits) {
        // row lab[i]'s set bits, lowest first (canon_csr's layout)
        const words = rowWords(n);
        for (let i = 0; i < n; i++) {
          const row = f + lab[i] * words;
          const to = i * n;
          for (let w = 0; w < words; w++) {
            for (let x = buf[row + w]; x !== 0; x &= x - 1) out[to + pos[32 * w + 31 - Math.clz32(x & -x)]] = 1;
          }
        }
      } else {
        const col = f + n + 1;
        const ecol = col + buf[f + n];
        for (let i = 0; i < n; i++) {
          const v = lab[i];
          const to = i * n;
          for (let e = buf[f + v], end = buf[f + v + 1]; e < end; e++) out[to + pos[buf[col + e]]] = buf[ecol + e];
        }
      }
    }
    finishForm(n, this.#loops, this.#arcs, lab, out);
    return out;
  }

  /** `length` values of the copy from `from` (a view made with the buffer's constructor: subarray looks up a species). */
  #view(from: number, length: number): Int32Array {
    const buf = this.#copy.buf;
    return new Int32Array(buf.buffer, buf.byteOffset + from * 4, length);
  }
}

/** Canonical position of each vertex, for formInto (kept between calls: an allocation costs more than the form of a small graph). */
let position = new Int32Array(64);

/** The canonical form of the internal (CORE) runs, which build none. */
const NO_FORM = new Int32Array(0);

/**
 * A canonical form as the kernel's CSR gives it (edge colours, zero diagonal) made
 * the input's: loop colours on the diagonal, a digraph's arcs.
 */
function finishForm(n: number, loops: Int32Array | null, arcs: Int32Array | null, lab: Int32Array, form: Int32Array | Float64Array): void {
  if (loops !== null) for (let i = 0; i < n; i++) form[i * n + i] = loops[lab[i]];
  // the kernel's CSR holds pair codes: a digraph's form is read from its arcs
  if (arcs !== null) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) form[i * n + j] = arcs[lab[i] * n + lab[j]];
}

/** A labeling's canonical form as f64 (the graph frames' `canonical`), with no i32 copy on the way for a searched graph. */
export function canonicalF64(l: CanonicalLabeling): Float64Array {
  if (!(l instanceof SearchedLabeling)) return new Float64Array(l.canonical);
  const m = l.n * l.n;
  if (m * 8 > SLAB_PART) return l.formInto(new Float64Array(m));
  const o = slabPart(m * 8);
  return l.formInto(new Float64Array(slab, o, m));
}

/**
 * Results of small graphs are views into slabs of SLAB bytes, handed out in order:
 * an ArrayBuffer of its own costs a call on a small graph more than its search
 * (0.6 µs for 400 bytes, against 40 ns for a view). A slab lives while any result
 * in it does, so parts are at most SLAB_PART bytes (larger results get their own
 * buffer) and a slab is at most 16 of them.
 */
const SLAB = 1 << 19;
const SLAB_PART = SLAB >> 4;
let slab = new ArrayBuffer(0);
let slabTop = 0;

/** The offset in `slab` (which it may replace) of `bytes` (at most SLAB_PART) never handed out, so zero; 8-byte aligned. */
function slabPart(bytes: number): number {
  if (slabTop + bytes > slab.byteLength) {
    slab = new ArrayBuffer(SLAB);
    slabTop = 0;
  }
  const o = slabTop;
  slabTop += (bytes + 7) & ~7;
  return o;
}

/** Zeroed i32 result memory of `length` values: a slab's part, or its own buffer when large. */
function resultInts(length: number): Int32Array {
  if (length * 4 > SLAB_PART) return new Int32Array(length);
  const o = slabPart(length * 4);
  return new Int32Array(slab, o, length);
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
      if (form === null) {
        form = new Int32Array(n * n);
        const pos = new Int32Array(n);
        for (let i = 0; i < n; i++) pos[l.lab[i]] = i;
        for (let i = 0; i < n; i++) {
          const v = l.lab[i];
          for (let e = g.rowPtr[v]; e < g.rowPtr[v + 1]; e++) form[i * n + pos[g.col[e]]] = g.ecol[e];
        }
        finishForm(n, c.loops, c.arcs, l.lab, form);
      }
      return form;
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
      return (exact ??= product(l.factors()));
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
    const batch = new PackedGraphs(arena, graphs, false, mode);
    batch.run();
    const reducible = batch.reducible();
    return { reducible, overflowed: batch.overflowed(), results: batch.read() };
  });
  if (out.overflowed.length > 0) {
    const again = withArena(k, 'canon_label', (arena) => {
      const batch = new PackedGraphs(arena, out.overflowed.map((g) => graphs[g]), true, mode);
      batch.run();
      return batch.read();
    });
    out.overflowed.forEach((g, i) => (out.results[g] = again[i]));
  }
  if (out.reducible.length > 0) {
    const core = coreOf(k);
    for (const { g, graph } of out.reducible) out.results[g] = reducedResult(graphs[g], graph, labelReduced(graph, core));
  }
  return out.results as CanonicalLabeling[];
}

/** The kernels as reduce.ts's Core: the search on irreducible graphs in one batch (generators as moved points), and twin classes. */
function coreOf(k: Kernels): Core {
  return { search: searchCore(k), twins: (g) => twinClasses(g, k) };
}

/** canon_twins on g: rep[v] = the smallest vertex of v's twin class, or null when there are none. */
function twinClasses(g: Graph, k: Kernels): Int32Array | null {
  return withArena(k, 'canon_twins', (arena) => {
    const n = g.n;
    const row = arena.putI32(g.rowPtr);
    const col = arena.putI32(g.col);
    const ecol = arena.putI32(g.ecol);
    const vcol = arena.putI32(g.vcol);
    const work = arena.alloc(arena.exports.canon_twins_work(n) >>> 0);
    const rep = arena.alloc(n * 4);
    return arena.exports.canon_twins(n, row, col, ecol, vcol, work, rep) === 0 ? null : arena.i32(rep, n).slice();
  });
}

function searchCore(k: Kernels): Core['search'] {
  return (graphs) => {
    const checked = graphs.map((g): Checked => ({ input: 0, n: g.n, colors: g.vcol, loops: null, arcs: null, dense: null, floats: false, source: null, rowPtr: g.rowPtr, col: g.col, ecol: g.ecol, entries: g.rowPtr[g.n], verify: false }));
    return labelChecked(checked, k, CORE).map((r) => {
      const gens = () =>
        r.generators.map((p) => {
          const moved: number[] = [];
          for (let v = 0; v < r.n; v++) if (p[v] !== v) moved.push(v, p[v]);
          return Int32Array.from(moved);
        });
      return { lab: r.labeling, orbits: r.orbits, factors: () => [r.sizeExact], gens };
    });
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
  return withArena(k, 'canon_refine', (arena) => new PackedGraphs(arena, checked, false, PUBLIC).refine());
}

/** Canonical labeling, generators, orbits and |Aut| of one graph. */
export function canonicalLabeling(adjacency: ArrayLike<number> | CSR, options: GraphOptions): CanonicalLabeling {
  const o = options as Partial<GraphOptions> | undefined;
  return canonicalLabelingOf({ adjacency, n: o?.n as number, directed: o?.directed, colors: o?.colors, edgeColors: o?.edgeColors });
}

/** The same for one GraphInput (its errors name input 0). */
export function canonicalLabelingOf(g: GraphInput, k: Kernels = kernels()): CanonicalLabeling {
  return labelSlice([checkGraph(g, 0)], k)[0];
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
