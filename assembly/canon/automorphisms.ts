/**
 * Automorphisms found during the search: testing a candidate, the orbits of the
 * group they generate, and the pruning tests built on them.
 *
 * Every automorphism found merges orbits in a union–find (class size and minimum
 * kept at the roots). One that merges at least one pair of classes is a generator
 * and goes to the output; at most n − 1 do, and they generate Aut(G): at each level
 * of the first path the search finds, for every orbit of the stabilizer, one
 * element moving the first child into it (Schreier; McKay & Piperno 2014 §2.4).
 * Up to EXTRA_CAP others are kept only to prune subtrees off the first path.
 */
import {
  N, ROW, COL, ECOL, MARK, STAMP, VQ, QG, UFP, UFS, UFM, EXTRA, EXTRA_CAP, PATH, ld, st, copyWords,
} from './partition';

let gens: usize = 0; // output generators, n i32 each
let ngens: i32 = 0;
let gcap: i32 = 0; // room for this many at `gens`
let overflow = false; // a generator found no room
let nextra: i32 = 0;
let visit: i32 = 0;

/**
 * Start a graph: generators go to `out` (room for `cap`); orbits are singletons.
 * STAMP must be zero.
 */
export function resetAutomorphisms(out: usize, cap: i32): void {
  gens = out;
  gcap = cap;
  overflow = false;
  ngens = 0;
  nextra = 0;
  visit = 0;
  for (let v = 0; v < N; v++) {
    st(UFP, v, v);
    st(UFS, v, 1);
    st(UFM, v, v);
  }
}

/** Generators stored, or -1 when some found no room (orbits and |Aut| stay exact). */
export function generatorCount(): i32 {
  return overflow ? -1 : ngens;
}

/** Union–find root, with path halving. */
export function find(v: i32): i32 {
  let p = ld(UFP, v);
  while (p != v) {
    const g = ld(UFP, p);
    st(UFP, v, g);
    v = g;
    p = ld(UFP, v);
  }
  return v;
}

/** Size of the orbit of v under the automorphisms found so far. */
export function orbitSize(v: i32): i32 {
  return ld(UFS, find(v));
}

/** Smallest vertex in the orbit of v under the automorphisms found so far. */
export function orbitMin(v: i32): i32 {
  return ld(UFM, find(v));
}

/**
 * Whether g (vertex → vertex) preserves every edge with its colour. O(n + m):
 * the edges of g(x) are marked by their colour and looked up from the edges of x.
 * MARK is left zero.
 */
export function isAutomorphism(g: usize): bool {
  const n = N;
  for (let x = 0; x < n; x++) {
    const y = ld(g, x);
    const xa = ld(ROW, x);
    const xb = ld(ROW, x + 1);
    const ya = ld(ROW, y);
    const yb = ld(ROW, y + 1);
    if (xb - xa != yb - ya) return false;
    for (let e = ya; e < yb; e++) st(MARK, ld(COL, e), ld(ECOL, e));
    let ok = true;
    for (let e = xa; e < xb; e++) {
      if (ld(MARK, ld(g, ld(COL, e))) != ld(ECOL, e)) {
        ok = false;
        break;
      }
    }
    for (let e = ya; e < yb; e++) st(MARK, ld(COL, e), 0);
    if (!ok) return false;
  }
  return true;
}

/** Record automorphism g: merge orbits; keep it as a generator if it merged any. */
export function addAutomorphism(g: usize): void {
  const n = N;
  let merged = false;
  for (let v = 0; v < n; v++) {
    const a = find(v);
    const b = find(ld(g, v));
    if (a == b) continue;
    merged = true;
    // union by size; the root keeps the class minimum
    const big = ld(UFS, a) >= ld(UFS, b) ? a : b;
    const small = big == a ? b : a;
    st(UFP, small, big);
    st(UFS, big, ld(UFS, big) + ld(UFS, small));
    if (ld(UFM, small) < ld(UFM, big)) st(UFM, big, ld(UFM, small));
  }
  const row = <usize>n << 2;
  if (merged && ngens < gcap) {
    copyWords(gens + <usize>ngens * row, g, n);
    ngens++;
  } else if (merged) {
    overflow = true;
  } else if (nextra < EXTRA_CAP) {
    copyWords(EXTRA + <usize>nextra * row, g, n);
    nextra++;
  }
}

/**
 * Whether child w of a node with individualized prefix PATH[1..depth] can be
 * skipped: some automorphism found so far that fixes the prefix pointwise maps w
 * to a smaller vertex. Children are tried in increasing vertex order, so a smaller
 * vertex of w's orbit under that subgroup was tried before (or was itself skipped
 * for a still smaller one), and w's subtree is its image. (On the first path every
 * automorphism found fixes the prefix and the union–find answers: see orbitMin.)
 */
export function prunedByOrbit(w: i32, depth: i32): bool {
  const n = N;
  // the automorphisms that fix the prefix, by index
  let nq = 0;
  for (let i = 0; i < ngens + nextra; i++) {
    if (fixesPrefix(generator(i), depth)) st(QG, nq++, i);
  }
  if (nq == 0) return false;
  // walk the orbit of w under the automorphisms that fix the prefix
  visit++;
  st(STAMP, w, visit);
  st(VQ, 0, w);
  let head = 0;
  let tail = 1;
  while (head < tail) {
    const x = ld(VQ, head++);
    for (let i = 0; i < nq; i++) {
      const y = ld(generator(ld(QG, i)), x);
      if (ld(STAMP, y) == visit) continue;
      if (y < w) return true;
      st(STAMP, y, visit);
      st(VQ, tail++, y);
    }
  }
  return false;
}

/** Automorphism i: the output generators first, then the extra ones. */
function generator(i: i32): usize {
  const row = <usize>N << 2;
  return i < ngens ? gens + <usize>i * row : EXTRA + <usize>(i - ngens) * row;
}

function fixesPrefix(g: usize, depth: i32): bool {
  for (let k = 1; k <= depth; k++) {
    const v = ld(PATH, k);
    if (ld(g, v) != v) return false;
  }
  return true;
}
