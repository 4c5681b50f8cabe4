/**
 * Equitable refinement on vertex and edge colours, with a trace.
 *
 * A partition is equitable when, for every pair of cells (X, W) and every edge
 * colour c, all vertices of X have the same number of c-coloured edges into W.
 * Refinement processes splitter cells W from a queue: each vertex u reached from W
 * gets key(u) = Σ_{v∈W} H(colour(u,v)) with H a 64-bit mixing of the colour id, and
 * every cell is split by key, fragments in ascending key order. For one edge colour
 * the key is count·H(1) with H(1) odd, hence exact; with several colours distinct
 * colour multisets give distinct keys except with probability ~2⁻⁶⁴, and a
 * collision would only make a cell coarser (every choice here is a function of the
 * graph and the partition alone, so labelings stay canonical). Edge colours are
 * refined directly: a weighted complete graph costs n² key updates per splitter
 * pass, never a graph of n + n(n−1)/2 vertices.
 *
 * Splitter choice follows Hopcroft: when a cell that is not queued splits, one
 * largest fragment is left out (its counts follow from the others), giving
 * O(m log n) work per refinement (McKay & Piperno 2014, §4; Junttila & Kaski 2007).
 *
 * The trace is one u32 per splitter processed — a hash of the splitter's position
 * and of every cell it reached (position, fragment keys and sizes) — and one end
 * mark (high bit set, with the cell count). It is a node invariant: equal for nodes
 * related by an automorphism. Traces of the first and the best path are kept; a
 * node whose trace differs from the first path's and is below the best path's can
 * lead to no automorphism and no better leaf, so refinement stops at that splitter
 * (the trace pruning of Traces, McKay & Piperno 2014 §5).
 */
import {
  N, ROW, COL, ECOL, LAB, INV, CELL, LEN, EH, KEY, TOUCH, TCNT, TCELLS, WBUF, INQ,
  CUR_T, CUR_TS, FIRST_T, FIRST_TS, BEST_T, BEST_TS,
  ld, st, ld64, st64, moveTo, copyWords, sortByKey, sortInts, newStart, enqueue, dequeue, clearQueue, cells, setCells,
} from './partition';

/** Trace comparison state after `refine`: 1 while equal to the first path. */
export let outEqF: i32 = 1;
/** … and the sign of (this path − best path), lexicographic. */
export let outCmpB: i32 = 0;
/** Entries of CUR_T in use. */
export let curLen: i32 = 0;

let stamp: i32 = 0;

/** Reset the per-graph refinement state (TOUCH must be zero); hash the edge colours once. */
export function resetRefine(entries0: i32, entries1: i32): void {
  stamp = 0;
  curLen = 0;
  // most graphs have one edge colour, or runs of one: hash each run once
  let c = 0;
  let h: u64 = 0;
  for (let e = entries0; e < entries1; e++) {
    const ce = ld(ECOL, e);
    if (ce != c) {
      c = ce;
      h = colourHash(c);
    }
    store<u64>(EH + (<usize>e << 3), h);
  }
}

/** Truncate the current path's trace to the levels above `level`. */
export function truncateTrace(level: i32): void {
  curLen = ld(CUR_TS, level);
}

// @ts-ignore: decorator
@inline function colourHash(c: i32): u64 {
  // splitmix64 finalizer; | 1 makes H odd, so counts of one colour never collide
  let z = <u64>c * 0x9e3779b97f4a7c15;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return (z ^ (z >> 31)) | 1;
}

// @ts-ignore: decorator
@inline function mix(h: u32, x: u32): u32 {
  h ^= x;
  h *= 0x85ebca6b;
  return h ^ (h >> 13);
}

/** refine's outcome: the node is refined (its trace complete). */
export const REFINED: i32 = 0;
/** The node can lead to no automorphism and no better leaf. */
export const PRUNED: i32 = 1;
/** The node's trace just passed the best path's: stopped there, to be finished later. */
export const LEADS: i32 = 2;
/** The node's trace equals all that is known of a deferred leader's: finish the leader first. */
export const TIED: i32 = 3;

// The best path's trace at level `limitLevel` is known only up to `limitLen`
// entries while a leader is deferred (-1: fully known).
/** Trace entries a leader refines past the one where it passed the best path. */
const LEAD_MARGIN: i32 = 4;
let leadsAt: i32 = -1; // entry of this refinement where it passed the best path

let limitLevel: i32 = -1;
let limitLen: i32 = 0;

/** The best path's trace is known up to `len` entries of `level` (a deferred leader). */
export function limitBest(level: i32, len: i32): void {
  limitLevel = level;
  limitLen = len;
}

/**
 * Append trace value t for `level` and compare it with the first and best paths;
 * returns REFINED to go on, or PRUNED / LEADS / TIED to stop (see refine).
 */
function emit(level: i32, t: u32, compare: bool, defer: bool): i32 {
  const i = curLen - ld(CUR_TS, level);
  st(CUR_T, curLen++, <i32>t);
  if (!compare) return REFINED;
  if (outEqF != 0 && <u32>ld(FIRST_T, ld(FIRST_TS, level) + i) != t) outEqF = 0;
  if (outCmpB == 0) {
    const b = <u32>ld(BEST_T, ld(BEST_TS, level) + i);
    if (t != b) {
      outCmpB = t > b ? 1 : -1;
      if (outCmpB > 0) leadsAt = i;
    }
    // equal to every entry known of a deferred leader's trace (which may end at
    // its end mark, with no entry after it to find the tie at): tied
    if (outCmpB == 0 && level == limitLevel && i + 1 >= limitLen) return TIED;
  }
  // a leader refines a few splitters past the entry where it won, so that fewer
  // later siblings tie with its known prefix and force it to be finished early
  if (outCmpB > 0 && defer && outEqF == 0 && leadsAt >= 0 && i >= leadsAt + LEAD_MARGIN) return LEADS;
  return outEqF != 0 || outCmpB >= 0 ? REFINED : PRUNED;
}

/**
 * Refine the current partition from the queued splitters; new cell starts are
 * tagged with `level`. The trace of this level starts at curLen. With `compare`,
 * eqF / cmpB are the parent's comparison state, and refinement stops early:
 * PRUNED once the node can be cut; with `defer`, LEADS when the trace passes the
 * best path's (a node that cannot be automorphic to the first path and beats the
 * best needs finishing only if no later sibling beats it: most are beaten, so the
 * search finishes it after its siblings) and TIED when it equals all that is known
 * of a deferred leader. Leaves KEY, TOUCH marks, TCNT and INQ clean.
 */
export function refine(level: i32, compare: bool, eqF: i32, cmpB: i32, defer: bool): i32 {
  const n = N;
  outEqF = eqF;
  outCmpB = cmpB;
  leadsAt = -1;
  st(CUR_TS, level, curLen);
  let ncells = cells;
  const row = ROW, col = COL, eh = EH, lab = LAB, inv = INV, cell = CELL, len = LEN;
  const key = KEY, touch = TOUCH, tcnt = TCNT, tcells = TCELLS, wbuf = WBUF;
  for (;;) {
    if (ncells == n) break;
    const w = dequeue();
    if (w < 0) break;
    const wl = ld(len, w);
    // the splitter's own cell may be reordered below: read its vertices from a copy
    if (wl == 1) st(wbuf, 0, ld(lab, w));
    else copyWords(wbuf, lab + (<usize>w << 2), wl);
    const mark = ++stamp;
    let ntc = 0;
    // Phase 1: keys, and move reached vertices to the end of their cell.
    for (let i = 0; i < wl; i++) {
      const v = ld(wbuf, i);
      const e1 = ld(row, v + 1);
      for (let e = ld(row, v); e < e1; e++) {
        const u = ld(col, e);
        const c = ld(cell, u);
        const cl = ld(len, c);
        if (cl == 1) continue;
        const h = ld64(eh, e);
        if (ld(touch, u) != mark) {
          st(touch, u, mark);
          const t = ld(tcnt, c);
          if (t == 0) st(tcells, ntc++, c);
          moveTo(lab, inv, u, c + cl - 1 - t);
          st(tcnt, c, t + 1);
          st64(key, u, h);
        } else {
          st64(key, u, ld64(key, u) + h);
        }
      }
    }
    // Phase 2: split the reached cells in position order (an invariant order).
    sortInts(tcells, ntc);
    let tr = mix(mix(0x9747b28c, <u32>w), <u32>wl);
    for (let j = 0; j < ntc; j++) {
      const c = ld(tcells, j);
      const t = ld(tcnt, c);
      st(tcnt, c, 0);
      const cl = ld(len, c);
      const a = c + cl - t;
      if (t > 1) sortByKey(a, c + cl);
      tr = mix(tr, <u32>c);
      // Fragments: [c, a) unreached (if a > c), then runs of equal key in [a, c+cl).
      // Only the reached part is scanned: splitting a large cell costs what reached it.
      const end = c + cl;
      const queued = ld(INQ, c) != 0;
      let largest = c;
      let largestLen = a - c;
      if (a > c) {
        tr = mix(mix(tr, 0), <u32>(a - c));
        st(len, c, a - c);
      }
      // one pass over the reached part: runs, their vertices' cells, keys back to zero
      let s = a;
      let k = ld64(key, ld(lab, a));
      for (let p = a; p <= end; p++) {
        let v = -1;
        let kp: u64 = 0;
        if (p < end) {
          v = ld(lab, p);
          kp = ld64(key, v);
        }
        if (p == end || kp != k) {
          // fragment [s, p) with key k
          tr = mix(mix(tr, <u32>(k ^ (k >> 32))), <u32>(p - s));
          st(len, s, p - s);
          if (s != c) {
            newStart(s, level);
            ncells++;
            if (queued) enqueue(s);
          }
          if (p - s > largestLen) {
            largest = s;
            largestLen = p - s;
          }
          s = p;
          k = kp;
        }
        if (v >= 0) {
          st(cell, v, s);
          st64(key, v, 0);
        }
      }
      if (!queued && largestLen < cl) {
        // Hopcroft: queue every fragment but the first largest
        for (let p = c; p < end; p += ld(len, p)) if (p != largest) enqueue(p);
      }
    }
    setCells(ncells);
    const r = emit(level, tr & 0x7fffffff, compare, defer);
    if (r != REFINED) {
      clearQueue();
      return r;
    }
  }
  clearQueue();
  setCells(ncells);
  return emit(level, 0x80000000 | <u32>ncells, compare, defer);
}
