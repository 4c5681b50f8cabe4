/**
 * Ordered partitions of the vertex set, the state every other part of the canonical
 * labeling engine works on (docs/architecture.md).
 *
 * The partition is a permutation `lab` (position → vertex, with inverse `inv`) cut
 * into cells of consecutive positions. A cell is named by its first position. Every
 * cell start made below the root is pushed on a stack with its search level, so
 * going back up to level k pops the newer starts and merges each cell into the one
 * before it: refinement permutes vertices only inside cells, so the vertex set of
 * every level-k cell comes back unchanged, no copy of the partition per level is
 * needed, and undoing costs what the splits cost (the device of nauty's ptn levels,
 * McKay & Piperno 2014 §3, kept as a stack).
 *
 * All arrays live in the scratch area laid out by `layout`; the engine keeps them in
 * module globals because one graph is labelled at a time and nothing allocates.
 */

// The graph being labelled: CSR rows (absolute indices into COL/ECOL), n vertices.
export let N: i32 = 0;
export let ROW: usize = 0;
export let COL: usize = 0;
export let ECOL: usize = 0;
export let EH: usize = 0; // u64 per CSR entry: hash of its edge colour (refine.ts)

// Partition state.
export let LAB: usize = 0; // position → vertex
export let INV: usize = 0; // vertex → position
export let CELL: usize = 0; // vertex → start of its cell
export let LEN: usize = 0; // cell start → cell length
export let SPLITS: usize = 0; // stack of cell starts made below the root
export let SPLITLV: usize = 0; // … and the level of each
export let cells: i32 = 0;
let nsplits: i32 = 0;

// Refinement scratch (refine.ts).
export let KEY: usize = 0; // u64 per vertex: hashed multiset of edge colours into the splitter
export let TOUCH: usize = 0; // vertex → stamp of the last splitter that reached it
export let TCNT: usize = 0; // cell start → vertices of the cell reached by the splitter
export let TCELLS: usize = 0; // cells reached by the splitter
export let QUEUE: usize = 0; // ring of pending splitter cells (n + 1 slots)
export let INQ: usize = 0; // cell start → 1 when queued
export let WBUF: usize = 0; // copy of the splitter's vertices
export let SORTBUF: usize = 0; // vertices of a cell being sorted by key (sortByKey)

// Search and certificate scratch (search.ts, automorphisms.ts).
export let MARK: usize = 0; // vertex / position → edge colour, kept zero between uses
export let STAMP: usize = 0; // vertex → visit stamp (orbit walks)
export let VQ: usize = 0; // vertex queue (orbit walks)
export let GAMMA: usize = 0; // candidate automorphism
export let QG: usize = 0; // indices of the automorphisms fixing a prefix (n + EXTRA_CAP)
export let UFP: usize = 0; // union–find parent of the orbits of the automorphisms found
export let UFS: usize = 0; // union–find class size (valid at roots)
export let UFM: usize = 0; // union–find class minimum (valid at roots)
export let FIRSTLAB: usize = 0;
export let BESTLAB: usize = 0;
export let BESTINV: usize = 0;
export let FP: usize = 0; // vertex individualized at each level of the first path
export let BP: usize = 0; // … of the best path
export let PATH: usize = 0; // … of the current path
export let TCS: usize = 0; // level → start of its target cell
export let TCMIN: usize = 0; // level → smallest vertex of its target cell
export let TCMAX: usize = 0; // level → largest vertex of its target cell
export let LAST: usize = 0; // level → last child tried (vertex id)
export let LEADER: usize = 0; // level → deferred child that beats the best path, or -1
export let EQF: usize = 0; // level → 1 while the trace equals the first path's
export let CMPB: usize = 0; // level → sign of (trace − best path's trace)
export let CUR_T: usize = 0; // trace of the current path (u32 values)
export let CUR_TS: usize = 0; // level → start of its part of CUR_T
export let FIRST_T: usize = 0;
export let FIRST_TS: usize = 0;
export let BEST_T: usize = 0;
export let BEST_TS: usize = 0;
export let CERT_OFF: usize = 0; // best leaf certificate: row offsets (n + 1)
export let CERT: usize = 0; // best leaf certificate: (position, colour) pairs
export let ROWTMP: usize = 0; // one certificate row
export let EXTRA: usize = 0; // automorphisms kept only for pruning (EXTRA_CAP × n)

/** Automorphisms kept for pruning beyond the generators that merged orbits. */
export const EXTRA_CAP: i32 = 32;

/** Trace capacity of one path: at most n splitter cells and one end mark per level. */
// @ts-ignore: decorator
@inline export function traceCap(n: i32): i32 {
  return 2 * n + 8;
}

/**
 * Bytes of scratch for a graph of n vertices and `entries` CSR entries (both
 * directions of each undirected edge). Every array is 8-byte aligned.
 */
export function workBytes(n: i32, entries: i32): usize {
  const vec = (((<usize>n + 2) << 2) + 7) & ~7;
  const tr = ((<usize>traceCap(n) << 2) + 7) & ~7;
  return (
    vec * 38 + // i32 arrays per vertex, position or level
    ((<usize>n + 1) << 3) + // KEY
    tr * 3 +
    ((<usize>entries << 3) + 8) * 2 + // CERT, EH
    ((<usize>n + 1) << 3) + // ROWTMP
    (<usize>EXTRA_CAP << 2) + 8 + // QG beyond its vec part
    <usize>EXTRA_CAP * (<usize>n << 2) + 64
  );
}

let clearEnd: usize = 0;

/** Zero the scratch that must start each graph at zero (TOUCH, TCNT, INQ, MARK, STAMP, KEY). */
export function clearScratch(): void {
  zeroWords(TOUCH, <i32>((clearEnd - TOUCH) >> 2));
}

/** Point the engine's arrays into `work` for a graph of n vertices (see workBytes). */
export function layout(work: usize, n: i32, entries: i32): void {
  const vec = (((<usize>n + 2) << 2) + 7) & ~7;
  const tr = ((<usize>traceCap(n) << 2) + 7) & ~7;
  let p = (work + 7) & ~7;
  // the arrays that start every graph at zero, together: clearScratch zeroes them at once
  TOUCH = p; p += vec;
  TCNT = p; p += vec;
  INQ = p; p += vec;
  MARK = p; p += vec;
  STAMP = p; p += vec;
  KEY = p; p += (<usize>n + 1) << 3;
  clearEnd = p;
  LAB = p; p += vec;
  INV = p; p += vec;
  CELL = p; p += vec;
  LEN = p; p += vec;
  SPLITS = p; p += vec;
  SPLITLV = p; p += vec;
  TCELLS = p; p += vec;
  QUEUE = p; p += vec;
  WBUF = p; p += vec;
  SORTBUF = p; p += vec;
  VQ = p; p += vec;
  GAMMA = p; p += vec;
  UFP = p; p += vec;
  UFS = p; p += vec;
  UFM = p; p += vec;
  FIRSTLAB = p; p += vec;
  BESTLAB = p; p += vec;
  BESTINV = p; p += vec;
  FP = p; p += vec;
  BP = p; p += vec;
  PATH = p; p += vec;
  CERT_OFF = p; p += vec;
  CUR_TS = p; p += vec;
  FIRST_TS = p; p += vec;
  // per-level arrays
  TCS = p; p += vec;
  TCMIN = p; p += vec;
  TCMAX = p; p += vec;
  LAST = p; p += vec;
  LEADER = p; p += vec;
  EQF = p; p += vec;
  CMPB = p; p += vec;
  BEST_TS = p; p += vec;
  QG = p; p += vec + (<usize>EXTRA_CAP << 2) + 8;
  CUR_T = p; p += tr;
  FIRST_T = p; p += tr;
  BEST_T = p; p += tr;
  ROWTMP = p; p += (<usize>n + 1) << 3;
  CERT = p; p += (<usize>entries << 3) + 8;
  EH = p; p += (<usize>entries << 3) + 8;
  EXTRA = p;
}

/**
 * Words below which copyWords and zeroWords loop instead of calling memory.copy /
 * memory.fill, which leave the module (a call into the runtime each): small graphs
 * make dozens of such moves per search.
 */
const SHORT_MOVE: i32 = 64;

/** Copy `words` i32 from src to dst (the ranges do not overlap). */
export function copyWords(dst: usize, src: usize, words: i32): void {
  if (words > SHORT_MOVE) memory.copy(dst, src, <usize>words << 2);
  else for (let i = 0; i < words; i++) st(dst, i, ld(src, i));
}

/** Zero `words` i32 at dst. */
export function zeroWords(dst: usize, words: i32): void {
  if (words > SHORT_MOVE) memory.fill(dst, 0, <usize>words << 2);
  else for (let i = 0; i < words; i++) st(dst, i, 0);
}

/**
 * Vertex v to position q of the labeling `lab` (its inverse `inv` kept), the vertex
 * at q to v's old position: the swap that cells are split and individualized by.
 */
// @ts-ignore: decorator
@inline export function moveTo(lab: usize, inv: usize, v: i32, q: i32): void {
  const p = ld(inv, v);
  const u = ld(lab, q);
  st(lab, q, v);
  st(inv, v, q);
  st(lab, p, u);
  st(inv, u, p);
}

// @ts-ignore: decorator
@inline export function ld(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline export function st(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

// @ts-ignore: decorator
@inline export function ld64(base: usize, i: i32): u64 {
  return load<u64>(base + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline export function st64(base: usize, i: i32, v: u64): void {
  store<u64>(base + (<usize>i << 3), v);
}

// @ts-ignore: decorator
@inline export function ldk(v: i32): u64 {
  return ld64(KEY, v);
}

// @ts-ignore: decorator
@inline export function stk(v: i32, k: u64): void {
  st64(KEY, v, k);
}

let qHead: i32 = 0;
let qTail: i32 = 0;

/** Queue cell `s` as a splitter unless it is queued already. */
export function enqueue(s: i32): void {
  if (ld(INQ, s) != 0) return;
  st(INQ, s, 1);
  st(QUEUE, qTail, s);
  qTail = qTail == N ? 0 : qTail + 1;
}

/** Next splitter cell, or -1 when the queue is empty. */
export function dequeue(): i32 {
  if (qHead == qTail) return -1;
  const s = ld(QUEUE, qHead);
  qHead = qHead == N ? 0 : qHead + 1;
  st(INQ, s, 0);
  return s;
}

/** Start a graph with an empty queue. */
export function resetQueue(): void {
  qHead = 0;
  qTail = 0;
}

/** Set the cell count (refinement keeps it in a local while it works). */
export function setCells(c: i32): void {
  cells = c;
}

/** Drop every pending splitter (refinement stopped early). */
export function clearQueue(): void {
  while (dequeue() >= 0);
}

/** Set the graph being labelled (rows are absolute offsets into col/ecol). */
export function setGraph(n: i32, row: usize, col: usize, ecol: usize): void {
  N = n;
  ROW = row;
  COL = col;
  ECOL = ecol;
  // EH is indexed like COL, by absolute entry (wrapping address arithmetic)
  EH -= <usize>ld(row, 0) << 3;
}

/**
 * Sort positions [a, b) of LAB by KEY of their vertex, ascending (u64), and update
 * INV there when anything moved. Insertion sort up to 48 keys (measured: heapsort's
 * scattered accesses cost more below that, e.g. 10% of the search of G(30, 0.3));
 * past them a counting sort in two passes, O(k), when at most FEW distinct keys
 * occur (the common case in refinement: counts of one edge colour), else heapsort:
 * no recursion, no allocation, O(k log k).
 */
export function sortByKey(a: i32, b: i32): void {
  const k = b - a;
  let sorted = true;
  for (let i = a + 1; i < b && sorted; i++) sorted = ldk(ld(LAB, i - 1)) <= ldk(ld(LAB, i));
  if (sorted) return; // common: one edge colour and a small splitter give equal keys
  if (k > 48 && byFewKeys(a, b)) return;
  if (k <= 48) {
    for (let i = a + 1; i < b; i++) {
      const v = ld(LAB, i);
      const kv = ldk(v);
      let j = i - 1;
      while (j >= a && ldk(ld(LAB, j)) > kv) {
        st(LAB, j + 1, ld(LAB, j));
        j--;
      }
      st(LAB, j + 1, v);
    }
  } else {
    for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(a, i, k);
    for (let end = k - 1; end > 0; end--) {
      const t = ld(LAB, a);
      st(LAB, a, ld(LAB, a + end));
      st(LAB, a + end, t);
      siftDown(a, 0, end);
    }
  }
  for (let i = a; i < b; i++) st(INV, ld(LAB, i), i);
}

/** Distinct keys byFewKeys counts at most. */
const FEW: i32 = 8;
const FEW_KEYS = memory.data(FEW << 3); // the distinct keys, ascending
const FEW_AT = memory.data(FEW << 2); // their counts, then their next slot in SORTBUF

/** Index of key x among the first nd FEW_KEYS, or nd. */
// @ts-ignore: decorator
@inline function fewIndex(x: u64, nd: i32): i32 {
  let j = 0;
  while (j < nd && load<u64>(FEW_KEYS + (<usize>j << 3)) != x) j++;
  return j;
}

/**
 * Counting sort of positions [a, b) of LAB by KEY (stable, INV updated) when they
 * hold at most FEW distinct keys; false, LAB untouched, when they hold more.
 */
function byFewKeys(a: i32, b: i32): bool {
  let nd = 0;
  for (let i = a; i < b; i++) {
    const x = ldk(ld(LAB, i));
    let j = fewIndex(x, nd);
    if (j == nd) {
      if (nd == FEW) return false;
      // insert x in order
      while (j > 0 && load<u64>(FEW_KEYS + (<usize>(j - 1) << 3)) > x) {
        store<u64>(FEW_KEYS + (<usize>j << 3), load<u64>(FEW_KEYS + (<usize>(j - 1) << 3)));
        st(FEW_AT, j, ld(FEW_AT, j - 1));
        j--;
      }
      store<u64>(FEW_KEYS + (<usize>j << 3), x);
      st(FEW_AT, j, 0);
      nd++;
    }
    st(FEW_AT, j, ld(FEW_AT, j) + 1);
  }
  let o = 0;
  for (let j = 0; j < nd; j++) {
    const c = ld(FEW_AT, j);
    st(FEW_AT, j, o);
    o += c;
  }
  for (let i = a; i < b; i++) {
    const v = ld(LAB, i);
    const j = fewIndex(ldk(v), nd);
    const q = ld(FEW_AT, j);
    st(SORTBUF, q, v);
    st(FEW_AT, j, q + 1);
  }
  for (let q = 0; q < b - a; q++) {
    const v = ld(SORTBUF, q);
    st(LAB, a + q, v);
    st(INV, v, a + q);
  }
  return true;
}

function siftDown(a: i32, i: i32, k: i32): void {
  const v = ld(LAB, a + i);
  const kv = ldk(v);
  for (;;) {
    let c = 2 * i + 1;
    if (c >= k) break;
    if (c + 1 < k && ldk(ld(LAB, a + c + 1)) > ldk(ld(LAB, a + c))) c++;
    if (ldk(ld(LAB, a + c)) <= kv) break;
    st(LAB, a + i, ld(LAB, a + c));
    i = c;
  }
  st(LAB, a + i, v);
}

/**
 * Unit partition refined by vertex colour: cells ordered by colour id ascending
 * (so the canonical order of colour classes is the order of the ids). Every cell
 * is queued as a splitter. Expects INQ and KEY zero; leaves KEY zero.
 */
export function initPartition(vcol: usize): void {
  const n = N;
  for (let v = 0; v < n; v++) {
    st(LAB, v, v);
    // order-preserving map of i32 onto u64
    stk(v, <u64>(<u32>(ld(vcol, v) ^ 0x80000000)));
  }
  sortByKey(0, n);
  cells = 0;
  let s = 0;
  for (let p = 0; p < n; p++) {
    if (p == 0 || ldk(ld(LAB, p)) != ldk(ld(LAB, p - 1))) {
      if (p > 0) st(LEN, s, p - s);
      s = p;
      cells++;
      enqueue(p);
    }
    st(CELL, ld(LAB, p), s);
    st(INV, ld(LAB, p), p);
  }
  st(LEN, s, n - s);
  for (let v = 0; v < n; v++) stk(v, 0);
  nsplits = 0;
}

/** Record that position s became a cell start at `level` (0: the root, kept for good). */
// @ts-ignore: decorator
@inline export function newStart(s: i32, level: i32): void {
  if (level == 0) return;
  st(SPLITS, nsplits, s);
  st(SPLITLV, nsplits, level);
  nsplits++;
}

/** Undo the cell starts made below `level`, newest first, merging each cell into its predecessor. */
export function restore(level: i32): void {
  while (nsplits > 0 && ld(SPLITLV, nsplits - 1) > level) {
    nsplits--;
    const s = ld(SPLITS, nsplits);
    const p = ld(CELL, ld(LAB, s - 1));
    const l = ld(LEN, s);
    for (let q = s; q < s + l; q++) st(CELL, ld(LAB, q), p);
    st(LEN, p, ld(LEN, p) + l);
    cells--;
  }
}

/**
 * Make v a singleton cell at the end of its cell (created at `level`) and return
 * its position. O(1): the rest of the cell keeps its start.
 */
export function individualize(v: i32, level: i32): i32 {
  const c = ld(CELL, v);
  const l = ld(LEN, c);
  const q = c + l - 1;
  moveTo(LAB, INV, v, q);
  st(LEN, c, l - 1);
  st(LEN, q, 1);
  st(CELL, v, q);
  newStart(q, level);
  cells++;
  return q;
}

/** Target cell: the first largest non-singleton cell (start), or -1 when discrete. */
export function targetCell(): i32 {
  const n = N;
  let best = -1;
  let bestLen = 1;
  for (let p = 0; p < n; p += ld(LEN, p)) {
    const l = ld(LEN, p);
    if (l > bestLen) {
      best = p;
      bestLen = l;
    }
  }
  return best;
}

/** Sort k i32 values at base ascending (insertion sort for short lists, else heapsort). */
export function sortInts(base: usize, k: i32): void {
  if (k <= 48) {
    for (let i = 1; i < k; i++) {
      const v = ld(base, i);
      let j = i - 1;
      while (j >= 0 && ld(base, j) > v) {
        st(base, j + 1, ld(base, j));
        j--;
      }
      st(base, j + 1, v);
    }
    return;
  }
  for (let i = (k >> 1) - 1; i >= 0; i--) siftInts(base, i, k);
  for (let end = k - 1; end > 0; end--) {
    const t = ld(base, 0);
    st(base, 0, ld(base, end));
    st(base, end, t);
    siftInts(base, 0, end);
  }
}

function siftInts(base: usize, i: i32, k: i32): void {
  const v = ld(base, i);
  for (;;) {
    let c = 2 * i + 1;
    if (c >= k) break;
    if (c + 1 < k && ld(base, c + 1) > ld(base, c)) c++;
    if (ld(base, c) <= v) break;
    st(base, i, ld(base, c));
    i = c;
  }
  st(base, i, v);
}
