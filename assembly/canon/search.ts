/**
 * Canonical labeling by individualization–refinement (McKay & Piperno, "Practical
 * Graph Isomorphism II", 2014; Junttila & Kaski, bliss, 2007/2011), written from
 * the papers.
 *
 * The search tree: the root is the equitable refinement of the vertex-colour
 * partition; a node's children individualize each vertex of its target cell (first
 * largest non-singleton cell) and refine; leaves are discrete partitions, i.e.
 * labelings. A leaf's value is (trace of its path, certificate); the greatest
 * leaf gives the canonical labeling. The search is depth first, children in
 * increasing vertex order, without recursion (per-level state in arrays).
 *
 * Pruning:
 * - trace: the refinement trace is the node invariant along the path; a node whose
 *   trace differs from the first path's and is below the best path's is cut during
 *   its refinement (refine.ts);
 * - deferred leaders: a node that beats the best path (and cannot be automorphic
 *   to the first) stops refining there and is finished after its siblings, unless
 *   one beats it first; with children in random trace order, this saves the ~ln n
 *   full refinements of short-lived bests;
 * - automorphisms: a leaf equivalent to the first or the best leaf yields an
 *   automorphism; the search then jumps back to the deepest node the two leaves
 *   share, since the rest of the current subtree is an image of a searched one;
 * - orbits: a child is skipped when an automorphism found so far that fixes the
 *   node's prefix maps it to a smaller vertex (automorphisms.ts);
 * - root screen: before the first path, the children of a large root cell are
 *   compared by trace alone, and those before the first child with the greatest
 *   trace are dropped (all of them when no other child ties with it: rootScreen).
 *
 * |Aut|: when a node of the first path is finished, the automorphisms found fix its
 * prefix and generate its stabilizer, so the orbit of the first child in it is the
 * union–find class of that child. |Aut| is the product of these orbit sizes over
 * the first path (orbit–stabilizer). The kernel writes the factors; TypeScript
 * multiplies them exactly (bigint).
 */
import {
  N, ROW, LAB, LEN, CELL, FIRSTLAB, BESTLAB, FP, BP, PATH, TCS, TCMIN, TCMAX, LAST, LEADER, EQF, CMPB, GAMMA,
  CUR_T, CUR_TS, FIRST_T, FIRST_TS, BEST_T, BEST_TS,
  ld, st, copyWords, zeroWords, layout, workBytes, clearScratch, setGraph, initPartition, restore,
  individualize, targetCell, enqueue, resetQueue,
} from './partition';
import { refine, resetRefine, truncateTrace, limitBest, outEqF, outCmpB, curLen, PRUNED, LEADS, TIED } from './refine';
import {
  resetAutomorphisms, isAutomorphism, addAutomorphism, prunedByOrbit, orbitSize, orbitMin,
  generatorCount,
} from './automorphisms';
import { compareWithBest, invalidateCertificate } from './certificate';
import { mayReduce } from './reducible';

/**
 * Bytes of scratch canon_label needs for graphs of at most n vertices and at most
 * `entries` CSR entries each (an undirected edge counts twice). O(n + entries).
 */
export function canon_work(n: i32, entries: i32): usize {
  return workBytes(n, entries);
}

/**
 * One dense edge-colour matrix to CSR rows, checking symmetry. `adj`: n × n i32,
 * row-major, with 12 bytes of slack after it, entry = edge colour id, 0 = no
 * edge; its diagonal is set to 0 here (loops belong in the vertex colour: the
 * caller reads them first). Writes rowPtr[0..n] as absolute entry indices
 * starting at e0 and the entries to col (neighbour) and ecol (colour) from index
 * e0 (col / ecol need 4 slots of slack past the last entry: groups of four are
 * stored whole); returns the index after the last entry, or −1 − (i·n + j) for
 * the first pair i < j (row-major) with adj[i][j] != adj[j][i] (the caller
 * reports it; the outputs are undefined then).
 *
 * Also writes the matrix as bits, which is all a 0/1 graph's canonical form needs
 * and a sixteenth of its CSR: row i at the i32 words bits[i·⌈n/32⌉ ..], bit j set
 * when j != i and adj[i][j] != 0; and 1 at `binary` when every entry off the
 * diagonal is 0 or 1, else 0.
 * Graphs of a batch are converted one call each, into one CSR batch.
 */
export function canon_csr(adj: usize, n: i32, rowPtr: usize, col: usize, ecol: usize, e0: i32, bits: usize, binary: usize): i32 {
  // (a zero diagonal: no lane test for it below, and loops are no colours here)
  for (let i = 0; i < n; i++) st(adj, i * n + i, 0);
  if (!symmetricScan(adj, n, binary)) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) if (ld(adj, i * n + j) != ld(adj, j * n + i)) return -1 - (i * n + j);
    }
  }
  const words = (n + 31) >> 5;
  zeroWords(bits, n * words);
  let e = e0;
  for (let i = 0; i < n; i++) {
    st(rowPtr, i, e);
    const r = adj + (<usize>i * <usize>n << 2);
    const row = bits + (<usize>(i * words) << 2);
    let j = 0;
    // branch-free: random adjacency defeats branch prediction (SIMD tests of
    // all-zero groups were slower here at density 0.3). Four entries at a time,
    // the edges of a group moved to its front by a shuffle, all four lanes stored;
    // two groups' lane masks make a byte of the bits.
    if (ASC_FEATURE_SIMD) {
      let js = i32x4(0, 1, 2, 3);
      for (; j + 8 <= n; j += 8) {
        const m0 = compactGroup(v128.load(r + (<usize>j << 2)), js, 15, col, ecol, e);
        e += popcnt(m0);
        js = i32x4.add(js, i32x4.splat(4));
        const m1 = compactGroup(v128.load(r + (<usize>j << 2), 16), js, 15, col, ecol, e);
        e += popcnt(m1);
        js = i32x4.add(js, i32x4.splat(4));
        store<u8>(row + (<usize>j >> 3), <u8>(m0 | (m1 << 4)));
      }
      // the last one or two groups, lanes past the row masked off (their loads
      // reach at most 12 bytes past it: adj needs that slack past the matrix)
      for (; j < n; j += 4) {
        const m = compactGroup(v128.load(r + (<usize>j << 2)), js, (1 << min(n - j, 4)) - 1, col, ecol, e);
        e += popcnt(m);
        js = i32x4.add(js, i32x4.splat(4));
        const b = row + (<usize>j >> 3);
        store<u8>(b, load<u8>(b) | <u8>(m << (j & 7)));
      }
    }
    for (; j < n; j++) {
      const c = ld(r, j);
      st(col, e, j);
      st(ecol, e, c);
      const edge = i32(c != 0);
      e += edge;
      const b = row + (<usize>j >> 3);
      store<u8>(b, load<u8>(b) | <u8>(edge << (j & 7)));
    }
  }
  st(rowPtr, n, e);
  return e;
}

/**
 * canon_csr's step: the entries c of a group of four (neighbours js) in the lanes
 * set in `lanes` that are edges, moved to the front and stored whole at col and
 * ecol from entry e; returns their lane mask.
 */
// @ts-ignore: decorator
@inline function compactGroup(c: v128, js: v128, lanes: i32, col: usize, ecol: usize, e: i32): i32 {
  const m = (i32x4.bitmask(i32x4.eq(c, i32x4.splat(0))) ^ 15) & lanes;
  const front = v128.load(COMPACT + (<usize>m << 4));
  v128.store(col + (<usize>e << 2), i8x16.swizzle(js, front));
  v128.store(ecol + (<usize>e << 2), i8x16.swizzle(c, front));
  return m;
}

/**
 * Byte shuffles for canon_csr, 16 bytes per 4-bit lane mask m: the i32 lanes set
 * in m first, in order (the rest are don't-care).
 */
const COMPACT = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0,
  8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0,
  12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0,
  8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
]);

/**
 * Whether the n × n i32 matrix equals its transpose (4 × 4 blocks against transposed
 * blocks with SIMD); writes 1 at `binary` when every entry of its upper triangle
 * (all of it, if symmetric) is 0 or 1, else 0: their OR has no bit above bit 0.
 */
function symmetricScan(adj: usize, n: i32, binary: usize): bool {
  let diff = 0;
  let high = 0;
  let nb = 0;
  if (ASC_FEATURE_SIMD) {
    nb = n & ~3;
    let acc = i32x4.splat(0);
    let any = i32x4.splat(0);
    const row = <usize>n << 2;
    for (let bi = 0; bi < nb; bi += 4) {
      for (let bj = bi; bj < nb; bj += 4) {
        const a = adj + <usize>bi * row + (<usize>bj << 2);
        const b = adj + <usize>bj * row + (<usize>bi << 2);
        const b0 = v128.load(b), b1 = v128.load(b + row), b2 = v128.load(b + 2 * row), b3 = v128.load(b + 3 * row);
        const x0 = v128.shuffle<i32>(b0, b1, 0, 4, 1, 5);
        const x1 = v128.shuffle<i32>(b2, b3, 0, 4, 1, 5);
        const x2 = v128.shuffle<i32>(b0, b1, 2, 6, 3, 7);
        const x3 = v128.shuffle<i32>(b2, b3, 2, 6, 3, 7);
        const a0 = v128.load(a), a1 = v128.load(a + row), a2 = v128.load(a + 2 * row), a3 = v128.load(a + 3 * row);
        any = v128.or(any, v128.or(v128.or(a0, a1), v128.or(a2, a3)));
        acc = v128.or(acc, v128.xor(a0, v128.shuffle<i32>(x0, x1, 0, 1, 4, 5)));
        acc = v128.or(acc, v128.xor(a1, v128.shuffle<i32>(x0, x1, 2, 3, 6, 7)));
        acc = v128.or(acc, v128.xor(a2, v128.shuffle<i32>(x2, x3, 0, 1, 4, 5)));
        acc = v128.or(acc, v128.xor(a3, v128.shuffle<i32>(x2, x3, 2, 3, 6, 7)));
      }
    }
    diff = i32(v128.any_true(acc));
    high = i32(v128.any_true(v128.andnot(any, i32x4.splat(1))));
  }
  // pairs outside the blocks (all pairs in the scalar build)
  for (let i = 0; i < n; i++) {
    for (let j = max(i + 1, nb); j < n; j++) {
      const x = ld(adj, i * n + j);
      diff |= x ^ ld(adj, j * n + i);
      high |= x & ~1;
    }
  }
  store<i32>(binary, i32(high == 0));
  return diff == 0;
}

/**
 * Canonical labeling of a batch of vertex- and edge-coloured graphs.
 *
 * Input (CSR, undirected: both directions of every edge, same colour):
 * voff (count + 1 i32): vertex offsets; rowPtr (total + 1 i32): absolute offsets
 * into col / ecol; col: neighbour (local id, no loops); ecol: edge colour (non-zero
 * i32); vcol (total i32): vertex colour ids. Isomorphisms must preserve both
 * colourings; canonical order puts lower vertex colour ids first.
 * `work`: canon_work(max n, max entries) bytes.
 *
 * Output per graph g (vertex range v0.. of voff): lab[v0 + i] = the vertex at
 * canonical position i (canonical form: A'[i][j] = A[lab i][lab j]);
 * orbits[v0 + v] = smallest vertex of v's orbit under Aut; sizes[v0 + k] = the
 * factors of |Aut| (1 past the first path's depth); generators of Aut, n i32 each
 * (v ↦ g[v]), at gens + genOff[g] i32, room for (genOff[g+1] − genOff[g]) / n of
 * them (at most n − 1 are ever needed); ngens[g] their count, or −1 when they did
 * not fit (lab, orbits and sizes are still exact; run again with room for n − 1).
 * A graph of at least `reduceFrom` vertices (0: none) that may have twins, several
 * components or be a tree or a cycle is not searched: ngens[g] = −2 and its other outputs are left as they
 * are (src/graphs/reduce.ts labels it).
 */
export function canon_label(
  count: i32, voff: usize, rowPtr: usize, col: usize, ecol: usize, vcol: usize, work: usize,
  lab: usize, orbits: usize, sizes: usize, gens: usize, genOff: usize, ngens: usize, reduceFrom: i32,
): void {
  for (let g = 0; g < count; g++) {
    const v0 = ld(voff, g);
    const n = ld(voff, g + 1) - v0;
    start(n, rowPtr + (<usize>v0 << 2), col, ecol, work);
    resetRefine(ld(ROW, 0), ld(ROW, n));
    const out = <usize>v0 << 2;
    if (reduceFrom > 0 && n >= reduceFrom && mayReduce(vcol + out)) {
      st(ngens, g, -2);
      continue;
    }
    const cap = n > 0 ? (ld(genOff, g + 1) - ld(genOff, g)) / n : 0;
    search(vcol + out, gens + (<usize>ld(genOff, g) << 2), cap, sizes + out);
    copyWords(lab + out, BESTLAB, n);
    for (let v = 0; v < n; v++) st(orbits + out, v, orbitMin(v));
    st(ngens, g, generatorCount());
  }
}

/**
 * The coarsest equitable partition finer than the vertex colouring (colour
 * refinement, 1-WL on coloured edges) of each graph, in the layout of canon_label:
 * cells[v0 + v] = index of v's cell in the engine's cell order (0, 1, …), which is
 * the same for isomorphic graphs. The root of canon_label's search tree.
 */
export function canon_refine(count: i32, voff: usize, rowPtr: usize, col: usize, ecol: usize, vcol: usize, work: usize, cellsOut: usize): void {
  for (let g = 0; g < count; g++) {
    const v0 = ld(voff, g);
    const n = ld(voff, g + 1) - v0;
    const out = cellsOut + (<usize>v0 << 2);
    start(n, rowPtr + (<usize>v0 << 2), col, ecol, work);
    resetQueue();
    resetRefine(ld(ROW, 0), ld(ROW, n));
    initPartition(vcol + (<usize>v0 << 2));
    refine(0, false, 1, 0, false);
    let c = -1;
    for (let p = 0; p < n; p++) {
      if (ld(CELL, ld(LAB, p)) == p) c++;
      st(out, ld(LAB, p), c);
    }
  }
}

/** Lay out the scratch for one graph and clear what must start at zero. */
function start(n: i32, row: usize, col: usize, ecol: usize, work: usize): void {
  layout(work, n, ld(row, n) - ld(row, 0));
  clearScratch();
  setGraph(n, row, col, ecol);
}

let haveFirst = false;
let fpd = 0; // the current node's deepest level shared with the first path
let bestDepth = 0;

function search(vcol: usize, gensOut: usize, genCap: i32, sizes: usize): void {
  const n = N;
  resetQueue();
  resetAutomorphisms(gensOut, genCap);
  invalidateCertificate();
  for (let k = 0; k < n; k++) st(sizes, k, 1);
  haveFirst = false;
  fpd = 0;
  initPartition(vcol);
  refine(0, false, 1, 0, false);
  limitBest(-1, 0);
  st(EQF, 0, 1);
  st(CMPB, 0, 0);
  let level = 0;
  if (!openNode(0)) {
    copyWords(BESTLAB, LAB, n);
    return;
  }
  if (ld(LEN, ld(TCS, 0)) >= SCREEN_FROM) rootScreen();
  let finishLeader = false;
  for (;;) {
    // The next child: a deferred leader first when a sibling tied with it, else
    // the next vertex of the target cell, else the deferred leader, else go up.
    let w = -1;
    let leader = false;
    restore(level);
    if (!finishLeader) w = nextChild(level);
    if (w < 0 && ld(LEADER, level) >= 0) {
      w = ld(LEADER, level);
      st(LEADER, level, -1);
      leader = true;
    }
    finishLeader = false;
    if (w < 0) {
      if (level <= fpd) st(sizes, level, orbitSize(ld(FP, level + 1)));
      if (level == 0) return;
      level--;
      if (fpd > level) fpd = level;
      continue;
    }
    const last = ld(LAST, level);
    if (!leader) st(LAST, level, w);
    truncateTrace(level + 1);
    enqueue(individualize(w, level + 1));
    // a leader is known to beat the best path: refine it whole, without comparing
    const r = refine(level + 1, haveFirst, ld(EQF, level), leader ? 1 : ld(CMPB, level), haveFirst && !leader);
    if (r == PRUNED) continue;
    if (r == LEADS) {
      // the best path is now this node's trace so far; its leaf is found later
      st(LEADER, level, w);
      copyTrace(BEST_T, BEST_TS, level);
      limitBest(level + 1, curLen - ld(CUR_TS, level + 1));
      continue;
    }
    if (r == TIED) {
      // finish the leader, then come back to w
      st(LAST, level, last);
      finishLeader = true;
      continue;
    }
    // a child that beats a deferred leader's trace drops it: it is no longer the best path
    if (outCmpB > 0) st(LEADER, level, -1);
    const child = level + 1;
    st(PATH, child, w);
    if (!haveFirst) {
      st(FP, child, w);
      fpd = child;
    }
    st(EQF, child, outEqF);
    st(CMPB, child, outCmpB);
    if (openNode(child)) {
      level = child;
    } else {
      level = leaf(child);
      if (fpd > level) fpd = level;
    }
  }
}

/** Trace entries a root child may equal the best child's before rootScreen gives up. */
const SCREEN_TIE: i32 = 16;

/**
 * Root target cells from this size are screened: the screen costs up to two
 * refinements more when the root has symmetry (the second child ties), and what
 * it saves grows with the cell (random cubic graphs, n = 5000: 5× fewer edges
 * scanned; n = 1000: 2.8×; n = 2000: 7%, where the first child's trace already
 * parted early from the others').
 */
const SCREEN_FROM: i32 = 512;

/**
 * Screen the root's children by their trace alone, before any leaf: the greatest
 * level-1 trace is the first part of the greatest leaf's, and a child whose trace
 * is lower can neither hold that leaf nor be automorphic to a child that has it.
 * So when the first child with the greatest trace, c, comes first and its subtree
 * is the first path, the children before c (all lower) need no search, and the
 * first path's stabilizer chain, hence |Aut|, the orbits and the generators, is
 * what the search finds from c. Here no child is kept alive for being equal to
 * the first path's trace while it is already below the best, which in the search
 * of an asymmetric graph carries each child to where its trace first differs
 * from that one path's, e.g. five BFS levels of a random cubic graph.
 * The screen walks the children in vertex order, each refined until it is below
 * the greatest trace so far; a greater one becomes it (deferred as in the search:
 * finished only when a later child ties with what is known of it). All walked:
 * c is the only child to search; a child equal to the greatest trace for
 * SCREEN_TIE entries (symmetry is likely): the search starts at c instead.
 */
function rootScreen(): void {
  const s = ld(TCS, 0);
  const hi = ld(TCMAX, 0);
  let best = -1;
  // the best child's trace is known up to `known` entries while it is deferred
  // (a child that beats the best stops a few entries past where it won, as in
  // the search: most are beaten in turn), else whole (-1)
  let known = -1;
  let complete = true;
  for (let v = ld(TCMIN, 0); v <= hi; v++) {
    restore(0);
    if (ld(CELL, v) != s) continue;
    truncateTrace(1);
    enqueue(individualize(v, 1));
    const r = refine(1, best >= 0, 0, 0, best >= 0);
    if (r == PRUNED) continue;
    if (r == TIED && known >= 0 && known < SCREEN_TIE) {
      // equal to all that is known of the deferred best: finish it, then v again
      restore(0);
      truncateTrace(1);
      enqueue(individualize(best, 1));
      refine(1, false, 0, 0, false);
      copyTrace(BEST_T, BEST_TS, 0);
      known = -1;
      limitBest(1, SCREEN_TIE);
      v--;
      continue;
    }
    if (best >= 0 && outCmpB == 0) {
      complete = false;
      break;
    }
    best = v;
    copyTrace(BEST_T, BEST_TS, 0);
    known = r == LEADS ? curLen - ld(CUR_TS, 1) : -1;
    limitBest(1, known >= 0 ? min(known, SCREEN_TIE) : SCREEN_TIE);
  }
  restore(0);
  truncateTrace(1);
  limitBest(-1, 0);
  st(LAST, 0, best - 1);
  if (complete) st(TCMAX, 0, best);
}

/** Set up the node at `level` (partition refined); false when it is a leaf. */
function openNode(level: i32): bool {
  st(CUR_TS, level + 1, curLen);
  const t = targetCell();
  if (t < 0) return false;
  // the cell's vertex range bounds nextChild's walk over vertex ids
  let lo = 0x7fffffff;
  let hi = -1;
  for (let p = t, e = t + ld(LEN, t); p < e; p++) {
    const v = ld(LAB, p);
    lo = min(lo, v);
    hi = max(hi, v);
  }
  st(TCS, level, t);
  st(TCMIN, level, lo);
  st(TCMAX, level, hi);
  st(LAST, level, -1);
  st(LEADER, level, -1);
  return true;
}

/**
 * The next child of the node at `level` to search (a vertex), or -1: children go
 * in increasing vertex order. Searching below the node permutes its target cell,
 * so the children are found by walking vertex ids up from the last one tried,
 * testing cell membership: O(range of the cell) per node, where scanning the cell
 * for each child would cost O(cell²). On the first path every automorphism found
 * fixes the prefix and the orbit test is a union–find lookup; elsewhere candidates
 * are tested one by one.
 */
function nextChild(level: i32): i32 {
  const s = ld(TCS, level);
  const lo = ld(TCMIN, level);
  const hi = ld(TCMAX, level);
  const first = haveFirst && level <= fpd;
  for (let v = max(ld(LAST, level) + 1, lo); v <= hi; v++) {
    if (ld(CELL, v) != s) continue;
    if (first) {
      if (orbitMin(v) == v) return v;
      continue;
    }
    // the cell's smallest vertex has no smaller vertex in its orbit: never pruned
    if (v == lo || !haveFirst || !prunedByOrbit(v, level)) return v;
  }
  return -1;
}

function copyTrace(dst: usize, dstStarts: usize, depth: i32): void {
  copyWords(dst, CUR_T, curLen);
  copyWords(dstStarts, CUR_TS, depth + 2);
}

/** A leaf at `depth` (LAB discrete): compare, record; returns the level to resume at. */
function leaf(depth: i32): i32 {
  const n = N;
  if (!haveFirst) {
    haveFirst = true;
    copyWords(FIRSTLAB, LAB, n);
    copyWords(BESTLAB, LAB, n);
    copyWords(BP, PATH, depth + 1);
    bestDepth = depth;
    copyTrace(FIRST_T, FIRST_TS, depth);
    copyTrace(BEST_T, BEST_TS, depth);
    return depth - 1;
  }
  if (ld(EQF, depth) != 0) {
    for (let i = 0; i < n; i++) st(GAMMA, ld(FIRSTLAB, i), ld(LAB, i));
    if (isAutomorphism(GAMMA)) {
      addAutomorphism(GAMMA);
      return fpd;
    }
  }
  let c = ld(CMPB, depth);
  if (c == 0) {
    c = compareWithBest();
    if (c == 0) {
      for (let i = 0; i < n; i++) st(GAMMA, ld(BESTLAB, i), ld(LAB, i));
      addAutomorphism(GAMMA);
      let j = 0;
      while (j < depth && j < bestDepth && ld(PATH, j + 1) == ld(BP, j + 1)) j++;
      return j;
    }
  } else if (c > 0) {
    invalidateCertificate();
  }
  if (c > 0) {
    copyWords(BESTLAB, LAB, n);
    copyWords(BP, PATH, depth + 1);
    bestDepth = depth;
    copyTrace(BEST_T, BEST_TS, depth);
    limitBest(-1, 0);
    for (let k = 0; k <= depth; k++) st(CMPB, k, 0);
  }
  return depth - 1;
}
