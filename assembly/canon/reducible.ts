/**
 * The reductions' kernels: a cheap test for the structure that src/graphs/reduce.ts
 * labels without search (twins, several components, trees, cycles), and the exact
 * twin classes it collapses (canon_twins). The test may answer true for a graph that
 * has none (a hash collision: the exact reductions then find nothing and the graph
 * comes back with the test off), never false for one that has some, so the route a
 * graph takes depends on exact, isomorphism-invariant properties only.
 *
 * Twins u, v (the transposition (u v) is an automorphism) have equal colours and
 * degrees and equal neighbour multisets {(w, colour(·, w))}, up to each other when
 * adjacent. With H(v) = Σ_w R[w] ^ EH(v, w) over v's entries (R a random word per
 * vertex, computed once), non-adjacent twins have H(u) = H(v), adjacent ones with edge colour c
 * have H(u) + (R[u] ^ Hc) = H(v) + (R[v] ^ Hc). O(n log n + m), on the engine's
 * scratch (partition.ts), which it leaves as clearScratch leaves it.
 */
import { N, ROW, COL, LAB, KEY, STAMP, VQ, EH, ROWTMP, ld, st, ldk, stk, sortByKey, clearScratch } from './partition';

// @ts-ignore: decorator
@inline function vertexWord(v: i32): u64 {
  let z = (<u64>v + 1) * 0x9e3779b97f4a7c15;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

// R[v], kept in ROWTMP (a u64 per vertex that only the search's certificates use)
// @ts-ignore: decorator
@inline function word(v: i32): u64 {
  return load<u64>(ROWTMP + (<usize>v << 3));
}

// @ts-ignore: decorator
@inline function eh(e: i32): u64 {
  return load<u64>(EH + (<usize>e << 3));
}

/** Whether the graph set by setGraph (EH filled by resetRefine) may have twins, components or be a tree or a cycle. */
export function mayReduce(vcol: usize): bool {
  const n = N;
  if (n <= 1) return false;
  const r = reachable();
  const entries = ld(ROW, n) - ld(ROW, 0);
  const found = r < n || entries == 2 * (n - 1) || (entries == 2 * n && cycle()) || twinsHashed(vcol);
  clearScratch();
  return found;
}

/** Whether every vertex has degree 2 (with connectivity: a cycle). */
function cycle(): bool {
  for (let v = 0; v < N; v++) if (ld(ROW, v + 1) - ld(ROW, v) != 2) return false;
  return true;
}

/** Vertices reachable from 0 (breadth first, STAMP marks). */
function reachable(): i32 {
  st(STAMP, 0, 1);
  st(VQ, 0, 0);
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const v = ld(VQ, head);
    for (let e = ld(ROW, v), e1 = ld(ROW, v + 1); e < e1; e++) {
      const w = ld(COL, e);
      if (ld(STAMP, w) != 0) continue;
      st(STAMP, w, 1);
      st(VQ, tail++, w);
    }
  }
  return tail;
}

function twinsHashed(vcol: usize): bool {
  const n = N;
  // KEY(v) = H(v); closed twins are tested edge by edge, open ones after a sort
  for (let v = 0; v < n; v++) store<u64>(ROWTMP + (<usize>v << 3), vertexWord(v));
  for (let v = 0; v < n; v++) {
    let h: u64 = 0;
    for (let e = ld(ROW, v), e1 = ld(ROW, v + 1); e < e1; e++) h += word(ld(COL, e)) ^ eh(e);
    stk(v, h);
  }
  for (let u = 0; u < n; u++) {
    const du = ld(ROW, u + 1) - ld(ROW, u);
    for (let e = ld(ROW, u), e1 = ld(ROW, u + 1); e < e1; e++) {
      const v = ld(COL, e);
      if (v <= u || ld(vcol, v) != ld(vcol, u) || ld(ROW, v + 1) - ld(ROW, v) != du) continue;
      const c = eh(e);
      if (ldk(u) + (word(u) ^ c) == ldk(v) + (word(v) ^ c)) return true;
    }
  }
  for (let v = 0; v < n; v++) {
    st(LAB, v, v);
    const d = ld(ROW, v + 1) - ld(ROW, v);
    stk(v, ldk(v) + vertexWord(ld(vcol, v) ^ (d << 20) ^ 0x5bd1e995) * 0xff51afd7ed558ccd);
  }
  sortByKey(0, n);
  for (let p = 1; p < n; p++) if (ldk(ld(LAB, p)) == ldk(ld(LAB, p - 1))) return true;
  return false;
}

// @ts-ignore: decorator
@inline function tableSize(n: i32): i32 {
  return 2 << (32 - clz<i32>(n)); // a power of two past 2n: probes stay short
}

/** Bytes of canon_twins' work for n vertices. */
export function canon_twins_work(n: i32): usize {
  return (<usize>n << 4) + (<usize>n << 2) * 6 + (<usize>tableSize(n) << 2);
}

// @ts-ignore: decorator
@inline function colourWord(c: i32): u64 {
  return vertexWord(c ^ 0x27d4eb2f);
}

// @ts-ignore: decorator
@inline function ldi(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function sti(base: usize, i: i32, x: i32): void {
  store<i32>(base + (<usize>i << 2), x);
}

// @ts-ignore: decorator
@inline function ld64(base: usize, i: i32): u64 {
  return load<u64>(base + (<usize>i << 3));
}

/** The root of x in the union–find `parent`, halving the path (parents are smaller vertices). */
function findRoot(parent: usize, x: i32): i32 {
  while (ldi(parent, x) != x) {
    const g = ldi(parent, ldi(parent, x));
    sti(parent, x, g);
    x = g;
  }
  return x;
}

function unite(parent: usize, x: i32, y: i32): void {
  const a = findRoot(parent, x);
  const b = findRoot(parent, y);
  if (a < b) sti(parent, b, a);
  else if (b < a) sti(parent, a, b);
}

/**
 * The twin classes of a graph in CSR (rowPtr from 0, n + 1 i32; col and ecol, both
 * directions of each edge, ecol non-zero; vcol, an i32 colour per vertex): rep[v] =
 * the smallest vertex of v's class (u, v are twins when they have one colour and
 * the same neighbours with the same edge colours, up to each other). Returns 1 when
 * some class has two vertices or more, else 0 (rep is then the identity).
 * Candidates are grouped by the hashes of twinsHashed, adjacent ones edge by edge
 * and the others in an open-addressing table; each candidate is then checked entry
 * by entry against the first unclaimed vertex of its group, so a collision costs
 * time, never a wrong class. Expected O(n + m); `work` is canon_twins_work(n)
 * bytes, written before it is read.
 */
export function canon_twins(n: i32, row: usize, col: usize, ecol: usize, vcol: usize, work: usize, rep: usize): i32 {
  const words = work;
  const hash = words + (<usize>n << 3);
  const parent = hash + (<usize>n << 3);
  const members = parent + (<usize>n << 2);
  const placed = members + (<usize>n << 2);
  const markS = placed + (<usize>n << 2);
  const markC = markS + (<usize>n << 2);
  const done = markC + (<usize>n << 2);
  const table = done + (<usize>n << 2);
  const size = tableSize(n);
  for (let v = 0; v < n; v++) {
    store<u64>(words + (<usize>v << 3), vertexWord(v));
    sti(parent, v, v);
    sti(rep, v, v);
    sti(placed, v, 0);
    sti(markS, v, 0);
    sti(done, v, 0);
  }
  // (the colour's hash is kept while the colour repeats: most graphs have one edge colour)
  let c0 = 0;
  let ch = colourWord(0);
  for (let v = 0; v < n; v++) {
    let h: u64 = 0;
    for (let e = ldi(row, v), e1 = ldi(row, v + 1); e < e1; e++) {
      if (ldi(ecol, e) != c0) ch = colourWord((c0 = ldi(ecol, e)));
      h += ld64(words, ldi(col, e)) ^ ch;
    }
    store<u64>(hash + (<usize>v << 3), h);
  }
  let any = false;
  // adjacent twins u, v with edge colour c: H(u) + (R[u] ^ C(c)) = H(v) + (R[v] ^ C(c))
  for (let u = 0; u < n; u++) {
    const du = ldi(row, u + 1) - ldi(row, u);
    for (let e = ldi(row, u), e1 = ldi(row, u + 1); e < e1; e++) {
      const v = ldi(col, e);
      if (v <= u || ldi(vcol, v) != ldi(vcol, u) || ldi(row, v + 1) - ldi(row, v) != du) continue;
      if (ldi(ecol, e) != c0) ch = colourWord((c0 = ldi(ecol, e)));
      if (ld64(hash, u) + (ld64(words, u) ^ ch) == ld64(hash, v) + (ld64(words, v) ^ ch)) {
        unite(parent, u, v);
        any = true;
      }
    }
  }
  // the others: equal (colour, degree, H)
  for (let s = 0; s < size; s++) sti(table, s, -1);
  for (let v = 0; v < n; v++) {
    const dv = ldi(row, v + 1) - ldi(row, v);
    const hv = ld64(hash, v);
    let slot = <i32>((hv ^ vertexWord(dv ^ 0x5bd1e995)) >> 32) & (size - 1);
    for (;;) {
      const w = ldi(table, slot);
      if (w < 0) {
        sti(table, slot, v);
        break;
      }
      if (ld64(hash, w) == hv && ldi(vcol, w) == ldi(vcol, v) && ldi(row, w + 1) - ldi(row, w) == dv) {
        unite(parent, w, v);
        any = true;
        break;
      }
      slot = (slot + 1) & (size - 1);
    }
  }
  if (!any) return 0;
  // the groups' members by root, each ascending (a counting sort: parents are smaller
  // vertices, so a vertex's parent is flattened before it); the table is done with
  const start = table;
  for (let v = 0; v <= n; v++) sti(start, v, 0);
  for (let v = 0; v < n; v++) {
    const r = ldi(parent, ldi(parent, v));
    sti(parent, v, r);
    sti(start, r + 1, ldi(start, r + 1) + 1);
  }
  for (let v = 0; v < n; v++) sti(start, v + 1, ldi(start, v + 1) + ldi(start, v));
  for (let v = 0; v < n; v++) {
    const r = ldi(parent, v);
    const at = ldi(placed, r);
    sti(members, ldi(start, r) + at, v);
    sti(placed, r, at + 1);
  }
  let stamp = 0;
  let merged = 0;
  for (let g = 0; g < n; g++) {
    const g0 = ldi(start, g);
    const g1 = ldi(start, g + 1);
    if (g1 - g0 < 2) continue;
    for (let i = g0; i < g1; i++) {
      const r = ldi(members, i);
      if (ldi(done, r)) continue;
      sti(done, r, 1);
      stamp++;
      const r1 = ldi(row, r + 1);
      for (let e = ldi(row, r); e < r1; e++) {
        sti(markS, ldi(col, e), stamp);
        sti(markC, ldi(col, e), ldi(ecol, e));
      }
      const dr = r1 - ldi(row, r);
      for (let j = i + 1; j < g1; j++) {
        const u = ldi(members, j);
        if (ldi(done, u) || ldi(vcol, u) != ldi(vcol, r) || ldi(row, u + 1) - ldi(row, u) != dr) continue;
        // adjacent: r stands in u's row with the colour of the edge r → u
        const adjacent = ldi(markS, u) == stamp;
        if (adjacent) {
          sti(markS, r, stamp);
          sti(markC, r, ldi(markC, u));
        }
        let ok = true;
        for (let e = ldi(row, u), e1 = ldi(row, u + 1); e < e1 && ok; e++) ok = ldi(markS, ldi(col, e)) == stamp && ldi(markC, ldi(col, e)) == ldi(ecol, e);
        if (adjacent) sti(markS, r, 0);
        if (!ok) continue;
        sti(done, u, 1);
        sti(rep, u, r);
        merged = 1;
      }
    }
  }
  return merged;
}
