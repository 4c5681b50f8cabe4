/**
 * Leaf certificates: the graph relabelled by a leaf's discrete partition, compared
 * as a sequence of rows. Row i lists the edges of the vertex at position i as
 * (position of the neighbour, edge colour) pairs in increasing position; rows are
 * ordered by length, then lexicographically. Two leaves have equal certificates
 * exactly when mapping one labeling onto the other is an automorphism.
 *
 * The best leaf's certificate is built lazily (many searches never compare two
 * leaves), and a better leaf overwrites it from the first differing row only.
 */
import { N, ROW, COL, ECOL, MARK, LAB, INV, BESTLAB, BESTINV, CERT, CERT_OFF, ROWTMP, ld, st, copyWords } from './partition';

let valid = false;

/** Forget the stored certificate (the best leaf changed without a comparison). */
export function invalidateCertificate(): void {
  valid = false;
}

/** Row i of labeling (lab, inv) as pairs at `out`; returns the number of pairs. */
function row(lab: usize, inv: usize, i: i32, out: usize): i32 {
  const v = ld(lab, i);
  const a = ld(ROW, v);
  const d = ld(ROW, v + 1) - a;
  if (d <= 16) {
    for (let j = 0; j < d; j++) {
      const p = ld(inv, ld(COL, a + j));
      const c = ld(ECOL, a + j);
      let k = j - 1;
      while (k >= 0 && ld(out, 2 * k) > p) {
        st(out, 2 * k + 2, ld(out, 2 * k));
        st(out, 2 * k + 3, ld(out, 2 * k + 1));
        k--;
      }
      st(out, 2 * k + 2, p);
      st(out, 2 * k + 3, c);
    }
  } else {
    // mark positions, then read them back in order: O(n) but no sorting
    for (let j = 0; j < d; j++) st(MARK, ld(inv, ld(COL, a + j)), ld(ECOL, a + j));
    let k = 0;
    for (let p = 0; p < N && k < d; p++) {
      const c = ld(MARK, p);
      if (c == 0) continue;
      st(out, 2 * k, p);
      st(out, 2 * k + 1, c);
      st(MARK, p, 0);
      k++;
    }
  }
  return d;
}

function buildBest(): void {
  const n = N;
  for (let i = 0; i < n; i++) st(BESTINV, ld(BESTLAB, i), i);
  let off = 0;
  for (let i = 0; i < n; i++) {
    st(CERT_OFF, i, off);
    off += 2 * row(BESTLAB, BESTINV, i, CERT + (<usize>off << 2));
  }
  st(CERT_OFF, n, off);
  valid = true;
}

/**
 * Compare the current leaf (LAB, INV) with the best leaf: −1, 0 or 1. When the
 * current leaf is greater, the stored certificate becomes its certificate (the
 * caller copies LAB to BESTLAB).
 */
export function compareWithBest(): i32 {
  if (!valid) buildBest();
  const n = N;
  for (let i = 0; i < n; i++) {
    const d = row(LAB, INV, i, ROWTMP);
    const off = ld(CERT_OFF, i);
    const bd = (ld(CERT_OFF, i + 1) - off) >> 1;
    let cmp = d == bd ? 0 : d < bd ? -1 : 1;
    for (let j = 0; cmp == 0 && j < 2 * d; j++) {
      const x = ld(ROWTMP, j);
      const y = ld(CERT, off + j);
      if (x != y) cmp = x < y ? -1 : 1;
    }
    if (cmp < 0) return -1;
    if (cmp > 0) {
      // rows before i agree: rewrite from row i on
      copyWords(CERT + (<usize>off << 2), ROWTMP, 2 * d);
      let o = off + 2 * d;
      for (let r = i + 1; r < n; r++) {
        st(CERT_OFF, r, o);
        o += 2 * row(LAB, INV, r, CERT + (<usize>o << 2));
      }
      st(CERT_OFF, n, o);
      return 1;
    }
  }
  return 0;
}
