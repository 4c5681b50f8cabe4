/**
 * A cheap test for the structure that src/graphs/reduce.ts labels without search:
 * twins, several components, trees, cycles. It may answer true for a graph that has none
 * (a hash collision: the exact reductions then find nothing and the graph comes
 * back with the test off), never false for one that has some, so the route a graph
 * takes depends on exact, isomorphism-invariant properties only.
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
