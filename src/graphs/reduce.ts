/**
 * Canonical labeling without search for the structure that makes individualization–
 * refinement slow (docs/architecture.md): twins, disconnected graphs and trees. Each
 * reduction is exact and a function of the isomorphism class alone, so isomorphic
 * graphs still get identical canonical forms; what no reduction applies to (a
 * connected, twin-free graph with a cycle) goes to the search kernel (`core`).
 *
 * - Trees and cycles are labelled directly when connected (their codes see every
 *   automorphism, twins included), and graphs without edges by their colours.
 * - Twins: u, v are twins when the transposition (u v) is an automorphism (equal
 *   colours, equal neighbourhoods with edge colours, up to each other). Twinhood is
 *   an equivalence relation (a conjugate of a transposition in Aut is one), its
 *   classes are cliques of one edge colour or independent sets, and the classes
 *   are permuted as blocks by every automorphism. So Aut(G) is ∏ S(|K|) extended
 *   by the automorphisms of the quotient graph (one vertex per class, coloured by
 *   (colour, |K|, kind, inner edge colour)): |Aut| gains |K|! per class, the
 *   quotient's generators lift block by block, and each class is placed in
 *   consecutive positions (the quotient is labelled again, since new twins may
 *   appear).
 * - Components (of a twin-free graph, so each is twin-free too: an automorphism of
 *   a component is one of the graph): each is labelled alone, those for the search
 *   in one batch, and they are ordered by their certificates (the canonical form
 *   with colours); m isomorphic components give the wreath product Aut(C) ≀ S(m): a
 *   factor m!, generators of one copy and swaps of consecutive copies, orbits joined
 *   across copies position by position.
 * - Trees: rooted at the centre (or the central edge) by peeling leaves, encoded
 *   bottom up as they are peeled, each vertex by the rank among its layer of
 *   (colour, colour of the edge to its parent, sorted (code, edge colour) of its
 *   children) (Aho, Hopcroft & Ullman 1974, with colours). The canonical order is the preorder with children sorted by code;
 *   |Aut| is the product of k! over the groups of k equal children of each vertex;
 *   orbits are the classes of equal code paths from the root; generators swap equal
 *   sibling subtrees, at one vertex per orbit (an iterated wreath product).
 * - Cycles: the colours read around the cycle in either direction from any vertex;
 *   the canonical order is the least of these 2n sequences (Booth's least rotation,
 *   1980, in each direction); the group is dihedral or cyclic: rotations by the
 *   sequence's period, and a reflection when both directions give the least.
 *
 * Everything is linear in n + m up to the sorting of distinct tuples (see Ranker),
 * in typed arrays (temporaries from a reused scratch stack); |Aut| and generators
 * are made only when asked for.
 */

/** A graph as the reductions see it: CSR rows from 0, both directions of each edge, colour ids. */
export interface Graph {
  n: number;
  rowPtr: Int32Array;
  col: Int32Array;
  /** Edge colour of each entry as seen from its row (non-zero). */
  ecol: Int32Array;
  /** Vertex colour ids; lower ids come first canonically. */
  vcol: Int32Array;
}

/** A labeling: lab[i] = vertex at position i; orbits[v] = smallest vertex of v's orbit. */
export interface Labeled {
  lab: Int32Array;
  orbits: Int32Array;
  /** |Aut| = the product of these (small integers, or bigints); made on demand, as gens. */
  factors: () => (number | bigint)[];
  /** Generators as the pairs (v, g(v)) of their moved points, back to back; made on demand (most callers never read them). */
  gens: () => Int32Array[];
}

/** What the reductions take from the WASM kernels (src/graphs/canon.ts coreOf). */
export interface Core {
  /** The labelings of graphs no reduction applies to (the search kernel), all in one call. */
  search(graphs: Graph[]): Labeled[];
  /** rep[v] = the smallest vertex of v's twin class (canon_twins), or null when every class is one vertex. */
  twins(g: Graph): Int32Array | null;
}

/** Canonical labeling of g with twins, components, trees and cycles reduced. */
export function labelReduced(g: Graph, core: Core): Labeled {
  const shaped = labelShaped(g);
  if (shaped !== null) return shaped;
  const rep = core.twins(g);
  if (rep !== null) {
    const t = withScratch((g) => twinQuotient(g, rep), g);
    return expandTwins(t, labelReduced(t.quotient, core));
  }
  const c = components(g);
  return c.count === 1 ? core.search([g])[0] : joinComponents(g, c, core);
}

/**
 * The labeling of g when it is one vertex, a tree or a cycle, else null: n − 1
 * edges or n of degree 2 make one, if g is connected, which labelTree and
 * labelCycle find out on the way.
 */
function labelShaped(g: Graph): Labeled | null {
  const { n, rowPtr } = g;
  if (n === 1) return { lab: Int32Array.of(0), orbits: Int32Array.of(0), factors: () => [], gens: () => [] };
  if (rowPtr[n] === 0) return withScratch(labelEdgeless, g);
  if (rowPtr[n] === 2 * (n - 1)) return withScratch(labelTree, g);
  if (rowPtr[n] !== 2 * n) return null;
  for (let v = 1; v <= n; v++) if (rowPtr[v] !== 2 * v) return null;
  return withScratch(labelCycle, g);
}

/**
 * The labeling of a graph without edges: its colour classes are its twin classes
 * and its quotient is discrete, so this is what the twin reduction gives, with
 * the classes found by ranking the colours instead of hashing neighbourhoods and
 * the quotient (one vertex per colour, in colour order) labelled as it stands.
 */
function labelEdgeless(g: Graph): Labeled {
  const { n, vcol } = g;
  const rank = take(n);
  const k = ranker.rank(vcol, countUp(take(n + 1)), 0, n, rank);
  // classes numbered by their smallest vertex, as canon_twins numbers them; the
  // quotient's labeling lists them in colour order
  const id = take(k).fill(-1);
  const byColour = new Int32Array(k);
  const cls = new Int32Array(n);
  for (let v = 0, count = 0; v < n; v++) {
    const r = rank[v];
    if (id[r] < 0) byColour[r] = id[r] = count++;
    cls[v] = id[r];
  }
  return expandTwins({ cls, ...classMembers(cls, k) }, { lab: byColour, orbits: iota(k), factors: () => [], gens: () => [] });
}

/** 0, step, 2·step, … (length n), by a loop: Int32Array.from with a function iterates slowly. */
export function iota(n: number, step = 1): Int32Array {
  return countUp(new Int32Array(n), step);
}

/** a filled with 0, step, 2·step, … */
function countUp(a: Int32Array, step = 1): Int32Array {
  for (let i = 0; i < a.length; i++) a[i] = step * i;
  return a;
}

/**
 * Temporaries that no result keeps come from one reused buffer, as a stack
 * (take, then release to the mark taken before): a dozen fresh arrays of n words
 * per step cost as much as the step's work on large graphs (new memory is
 * faulted in and zeroed page by page). Taken words hold whatever was there
 * before. Up to SCRATCH_KEEP words (4 MiB) stay allocated between calls.
 */
const SCRATCH_KEEP = 1 << 20;
let scratch = new Int32Array(1 << 12);
let scratchTop = 0;
let scratchWant = 0;

function take(words: number): Int32Array {
  const end = scratchTop + words;
  if (end > scratch.length) {
    // fresh this time; the buffer grows once the stack is empty again
    scratchWant = Math.max(scratchWant, end);
    return new Int32Array(words);
  }
  const a = scratch.subarray(scratchTop, end);
  scratchTop = end;
  return a;
}

/** fn(g), with the scratch it takes given back after. */
function withScratch<T>(fn: (g: Graph) => T, g: Graph): T {
  const mark = scratchTop;
  try {
    return fn(g);
  } finally {
    release(mark);
  }
}

function release(mark: number): void {
  scratchTop = mark;
  if (mark === 0 && scratchWant > scratch.length) {
    scratch = new Int32Array(Math.min(scratchWant, SCRATCH_KEEP));
    scratchWant = 0;
  }
}

/** Append 2, 3, …, k to out: the factors of k!. */
function factorial(out: (number | bigint)[], k: number): void {
  for (let i = 2; i <= k; i++) out.push(i);
}

/** A 32-bit mix of x (the murmur3 finalizer). */
function mix(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** h with x mixed in (the murmur3 round). */
function mixInto(h: number, x: number): number {
  let k = Math.imul(x, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

/**
 * Ranks of integer tuples in lexicographic order (a proper prefix first), equal
 * tuples equal ranks, for the items lo ≤ i < hi of a call; item i's tuple is
 * buf[off[i] .. off[i + 1]). The distinct tuples are found in a hash table (each
 * confirmed entry by entry against the first of its kind) and only they are
 * sorted, so the many equal tuples of a symmetric graph cost a hash each. The
 * table is cleared slot by slot after each call, so one Ranker serves every call
 * (calls never nest), many small ones among them (a tree's layers); tables past
 * SCRATCH_KEEP / 4 slots are dropped after their call.
 */
class Ranker {
  private table = new Int32Array(0); // slot → 1 + distinct id, 0: empty
  private used = new Int32Array(0); // the slots taken by the current call
  private first = new Int32Array(0); // distinct id → its first item
  private rankOf = new Int32Array(0);
  private mask = 0;

  /** Room for calls of `count` items (a table at most half full). */
  private reserve(count: number): void {
    if (count <= this.used.length) return;
    const size = 2 << Math.ceil(Math.log2(count + 1));
    this.table = new Int32Array(size);
    this.mask = size - 1;
    this.used = new Int32Array(size >> 1);
    this.first = new Int32Array(size >> 1);
    this.rankOf = new Int32Array(size >> 1);
  }

  /** out[i] = rank of item i for lo ≤ i < hi; returns the number of distinct tuples. */
  rank(buf: Int32Array, off: Int32Array, lo: number, hi: number, out: Int32Array): number {
    this.reserve(hi - lo);
    const distinct = this.ranks(buf, off, lo, hi, out);
    if (this.table.length > SCRATCH_KEEP >> 2) this.table = this.used = this.first = this.rankOf = new Int32Array(0);
    return distinct;
  }

  private ranks(buf: Int32Array, off: Int32Array, lo: number, hi: number, out: Int32Array): number {
    const { table, used, first, rankOf, mask } = this;
    let distinct = 0;
    for (let i = lo; i < hi; i++) {
      const a = off[i];
      const b = off[i + 1];
      // (a symmetric graph's equal tuples mostly come in runs: the previous one is checked first)
      if (i > lo && off[i - 1] + b - a === a && sameRun(buf, off[i - 1], a, b - a)) {
        out[i] = out[i - 1];
        continue;
      }
      let h = b - a;
      for (let j = a; j < b; j++) h = mixInto(h, buf[j]);
      let slot = mix(h) & mask;
      for (;;) {
        const t = table[slot];
        if (t === 0) {
          table[slot] = distinct + 1;
          used[distinct] = slot;
          first[distinct] = i;
          out[i] = distinct++;
          break;
        }
        const f = first[t - 1];
        if (off[f + 1] - off[f] === b - a && sameRun(buf, off[f], a, b - a)) {
          out[i] = t - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    for (let d = 0; d < distinct; d++) table[used[d]] = 0;
    if (distinct === 1) return 1;
    const order = first.slice(0, distinct); // items, sorted by their tuples
    order.sort((x, y) => compareRuns(buf, off[x], off[x + 1] - off[x], off[y], off[y + 1] - off[y]));
    for (let r = 0; r < distinct; r++) rankOf[out[order[r]]] = r;
    for (let i = lo; i < hi; i++) out[i] = rankOf[out[i]];
    return distinct;
  }
}

const ranker = new Ranker();

function sameRun(buf: Int32Array, a: number, b: number, len: number): boolean {
  for (let j = 0; j < len; j++) if (buf[a + j] !== buf[b + j]) return false;
  return true;
}

function compareRuns(buf: Int32Array, a: number, la: number, b: number, lb: number): number {
  const l = Math.min(la, lb);
  for (let j = 0; j < l; j++) if (buf[a + j] !== buf[b + j]) return buf[a + j] < buf[b + j] ? -1 : 1;
  return la - lb;
}

interface Twins {
  /** Vertex → class (classes numbered by their smallest vertex). */
  cls: Int32Array;
  /** Members of class i: members[start[i] .. start[i + 1]), ascending. */
  start: Int32Array;
  members: Int32Array;
  quotient: Graph;
}

/** The members of classes 0..count−1 of `cls` (vertex → class), each ascending: members[start[i] .. start[i + 1]). */
function classMembers(cls: Int32Array, count: number): { start: Int32Array; members: Int32Array } {
  const start = new Int32Array(count + 1);
  for (let v = 0; v < cls.length; v++) start[cls[v] + 1]++;
  for (let i = 0; i < count; i++) start[i + 1] += start[i];
  const fill = take(count);
  fill.set(start.subarray(0, count));
  const members = new Int32Array(cls.length);
  for (let v = 0; v < cls.length; v++) members[fill[cls[v]]++] = v;
  return { start, members };
}

/** Classes from rep (each vertex → its class's smallest vertex) and the quotient graph. */
function twinQuotient(g: Graph, rep: Int32Array): Twins {
  const { n, rowPtr, col, ecol, vcol } = g;
  const cls = new Int32Array(n);
  let count = 0;
  for (let v = 0; v < n; v++) cls[v] = rep[v] === v ? count++ : cls[rep[v]];
  const { start, members } = classMembers(cls, count);
  // quotient colours: rank of (colour, size, inner edge colour or 0 for independent classes)
  const buf = take(3 * count);
  for (let i = 0; i < count; i++) {
    const a = members[start[i]];
    buf[3 * i] = vcol[a];
    buf[3 * i + 1] = start[i + 1] - start[i];
    buf[3 * i + 2] = 0;
    if (start[i + 1] - start[i] < 2) continue;
    const b = members[start[i] + 1];
    for (let e = rowPtr[a]; e < rowPtr[a + 1]; e++) if (col[e] === b) buf[3 * i + 2] = ecol[e];
  }
  const vq = new Int32Array(count);
  ranker.rank(buf, countUp(take(count + 1), 3), 0, count, vq);
  // one entry per neighbouring class, through its smallest vertex
  let entries = 0;
  for (let i = 0; i < count; i++) {
    const r = members[start[i]];
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) if (rep[col[e]] === col[e] && cls[col[e]] !== i) entries++;
  }
  const qRow = new Int32Array(count + 1);
  const qCol = new Int32Array(entries);
  const qEcol = new Int32Array(entries);
  let o = 0;
  for (let i = 0; i < count; i++) {
    const r = members[start[i]];
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
      const w = col[e];
      if (rep[w] !== w || cls[w] === i) continue;
      qCol[o] = cls[w];
      qEcol[o++] = ecol[e];
    }
    qRow[i + 1] = o;
  }
  return { cls, start, members, quotient: { n: count, rowPtr: qRow, col: qCol, ecol: qEcol, vcol: vq } };
}

/** The labeling of g from its quotient's: classes as blocks, |K|! each, twin transpositions. */
function expandTwins(t: Omit<Twins, 'quotient'>, q: Labeled): Labeled {
  const { cls, start, members } = t;
  const n = cls.length;
  const lab = new Int32Array(n);
  let p = 0;
  for (let j = 0; j < q.lab.length; j++) {
    const i = q.lab[j];
    for (let k = start[i]; k < start[i + 1]; k++) lab[p++] = members[k];
  }
  const orbits = new Int32Array(n);
  for (let v = 0; v < n; v++) orbits[v] = members[start[q.orbits[cls[v]]]];
  const factors = () => {
    const out = q.factors();
    for (let i = 0; i + 1 < start.length; i++) factorial(out, start[i + 1] - start[i]);
    return out;
  };
  const gens = () => {
    const out: Int32Array[] = [];
    for (let i = 0; i + 1 < start.length; i++) {
      for (let k = start[i]; k + 1 < start[i + 1]; k++) out.push(Int32Array.of(members[k], members[k + 1], members[k + 1], members[k]));
    }
    for (const s of q.gens()) {
      let len = 0;
      for (let j = 0; j < s.length; j += 2) len += 2 * (start[s[j] + 1] - start[s[j]]);
      const moved = new Int32Array(len);
      let o = 0;
      for (let j = 0; j < s.length; j += 2) {
        const a = s[j];
        const b = s[j + 1];
        for (let k = 0; k < start[a + 1] - start[a]; k++) {
          moved[o++] = members[start[a] + k];
          moved[o++] = members[start[b] + k];
        }
      }
      out.push(moved);
    }
    return out;
  };
  return { lab, orbits, factors, gens };
}

interface Components {
  count: number;
  /** Vertex → component, components numbered by their smallest vertex. */
  comp: Int32Array;
}

function components(g: Graph): Components {
  const { n, rowPtr, col } = g;
  const comp = new Int32Array(n).fill(-1);
  const mark = scratchTop;
  const queue = take(n);
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (comp[s] >= 0) continue;
    comp[s] = count;
    queue[0] = s;
    for (let head = 0, tail = 1; head < tail; head++) {
      const v = queue[head];
      for (let e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
        const w = col[e];
        if (comp[w] < 0) {
          comp[w] = count;
          queue[tail++] = w;
        }
      }
    }
    count++;
  }
  release(mark);
  return { count, comp };
}

/** The subgraph on the given vertices (ascending), local ids by position. */
function subgraph(g: Graph, vertices: Int32Array, local: Int32Array): Graph {
  const k = vertices.length;
  const rowPtr = new Int32Array(k + 1);
  for (let i = 0; i < k; i++) rowPtr[i + 1] = rowPtr[i] + g.rowPtr[vertices[i] + 1] - g.rowPtr[vertices[i]];
  const col = new Int32Array(rowPtr[k]);
  const ecol = new Int32Array(rowPtr[k]);
  const vcol = new Int32Array(k);
  for (let i = 0; i < k; i++) {
    const v = vertices[i];
    vcol[i] = g.vcol[v];
    for (let e = g.rowPtr[v], o = rowPtr[i]; e < g.rowPtr[v + 1]; e++, o++) {
      col[o] = local[g.col[e]];
      ecol[o] = g.ecol[e];
    }
  }
  return { n: k, rowPtr, col, ecol, vcol };
}

/**
 * The canonical form of a labelled graph as one integer sequence, written at
 * out[o ..] (returns its end): n, the colours in canonical order, then per position
 * its degree and its (position, colour) pairs by position. Equal exactly for
 * isomorphic graphs. pos, at: scratch of n entries.
 */
/** Sort a[lo .. hi) ascending: insertion sort for the short runs that most are, else the native sort. */
function sortInts(a: Int32Array, lo: number, hi: number): void {
  if (hi - lo > 16) {
    a.subarray(lo, hi).sort();
    return;
  }
  for (let i = lo + 1; i < hi; i++) {
    const x = a[i];
    let j = i - 1;
    for (; j >= lo && a[j] > x; j--) a[j + 1] = a[j];
    a[j + 1] = x;
  }
}

function certificate(g: Graph, lab: Int32Array, out: Int32Array, o: number, pos: Int32Array, at: Int32Array): number {
  const { n, rowPtr, col, ecol, vcol } = g;
  for (let i = 0; i < n; i++) pos[lab[i]] = i;
  out[o++] = n;
  for (let i = 0; i < n; i++) out[o++] = vcol[lab[i]];
  for (let i = 0; i < n; i++) {
    const v = lab[i];
    const d = rowPtr[v + 1] - rowPtr[v];
    out[o++] = d;
    // the neighbours' positions sorted (they are distinct), then spread into (position, colour) pairs
    for (let e = rowPtr[v], k = o; k < o + d; e++, k++) {
      at[pos[col[e]]] = ecol[e];
      out[k] = pos[col[e]];
    }
    sortInts(out, o, o + d);
    for (let k = d - 1; k >= 0; k--) {
      out[o + 2 * k] = out[o + k];
      out[o + 2 * k + 1] = at[out[o + 2 * k]];
    }
    o += 2 * d;
  }
  return o;
}

/** The involution exchanging lab[x + i] and lab[y + i] for i < size, as its moved pairs. */
function swapRuns(lab: Int32Array, x: number, y: number, size: number): Int32Array {
  const s = new Int32Array(4 * size);
  for (let i = 0; i < size; i++) {
    const a = lab[x + i];
    const b = lab[y + i];
    s[4 * i] = a;
    s[4 * i + 1] = b;
    s[4 * i + 2] = b;
    s[4 * i + 3] = a;
  }
  return s;
}

/** The labeling of a twin-free graph of several components (see the file's comment). */
function joinComponents(g: Graph, c: Components, core: Core): Labeled {
  const { n } = g;
  const { count, comp } = c;
  const local = new Int32Array(n);
  const start = new Int32Array(count + 1);
  for (let v = 0; v < n; v++) local[v] = start[comp[v] + 1]++;
  for (let i = 0; i < count; i++) start[i + 1] += start[i];
  const byComp = new Int32Array(n);
  for (let v = 0; v < n; v++) byComp[start[comp[v]] + local[v]] = v;
  const subs: Graph[] = new Array(count);
  const labels: Labeled[] = new Array(count);
  const searched: number[] = [];
  for (let i = 0; i < count; i++) {
    subs[i] = subgraph(g, byComp.subarray(start[i], start[i + 1]), local);
    const l = labelShaped(subs[i]);
    if (l !== null) labels[i] = l;
    else searched.push(i);
  }
  if (searched.length > 0) core.search(searched.map((i) => subs[i])).forEach((l, j) => (labels[searched[j]] = l));
  // the components by certificate (ranks of equal certificates equal), ties by smallest vertex
  const off = new Int32Array(count + 1);
  const cert = new Int32Array(count + 2 * n + 2 * g.rowPtr[n]);
  const pos = new Int32Array(n);
  const at = new Int32Array(n);
  for (let i = 0; i < count; i++) off[i + 1] = certificate(subs[i], labels[i].lab, cert, off[i], pos, at);
  const rank = new Int32Array(count);
  const kinds = ranker.rank(cert, off, 0, count, rank);
  const kindStart = new Int32Array(kinds + 1);
  for (let i = 0; i < count; i++) kindStart[rank[i] + 1]++;
  for (let r = 0; r < kinds; r++) kindStart[r + 1] += kindStart[r];
  const order = new Int32Array(count);
  const fill = kindStart.slice(0, kinds);
  for (let i = 0; i < count; i++) order[fill[rank[i]]++] = i;
  const lab = new Int32Array(n);
  const orbits = new Int32Array(n);
  const kindPos = new Int32Array(kinds); // position of a kind's first copy
  let p = 0;
  for (let r = 0; r < kinds; r++) {
    const a = kindStart[r];
    const b = kindStart[r + 1];
    const first = labels[order[a]];
    const k = start[order[a] + 1] - start[order[a]];
    kindPos[r] = p;
    for (let j = a; j < b; j++) {
      const i = order[j];
      const l = labels[i];
      for (let q = 0; q < k; q++) lab[p++] = byComp[start[i] + l.lab[q]];
    }
    // orbits: positions q of the copies are joined when the first copy's vertices there are
    const lowest = new Int32Array(k).fill(n); // first copy's orbit (a local vertex) → smallest global vertex
    for (let q = 0; q < k; q++) {
      const o = first.orbits[first.lab[q]];
      for (let x = kindPos[r] + q; x < p; x += k) if (lab[x] < lowest[o]) lowest[o] = lab[x];
    }
    for (let q = 0; q < k; q++) {
      const o = first.orbits[first.lab[q]];
      for (let x = kindPos[r] + q; x < p; x += k) orbits[lab[x]] = lowest[o];
    }
  }
  const factors = () => {
    const out: (number | bigint)[] = [];
    for (const l of labels) for (const f of l.factors()) out.push(f);
    for (let r = 0; r < kinds; r++) factorial(out, kindStart[r + 1] - kindStart[r]);
    return out;
  };
  const gens = () => {
    const out: Int32Array[] = [];
    for (let r = 0; r < kinds; r++) {
      const a = kindStart[r];
      const b = kindStart[r + 1];
      const i0 = order[a];
      const k = start[i0 + 1] - start[i0];
      for (const s of labels[i0].gens()) out.push(s.map((v) => byComp[start[i0] + v]));
      // swaps of consecutive copies, position by position (lab holds the copies back to back)
      const p0 = kindPos[r];
      for (let j = 0; j + 1 < b - a; j++) out.push(swapRuns(lab, p0 + j * k, p0 + (j + 1) * k, k));
    }
    return out;
  };
  return { lab, orbits, factors, gens };
}

/**
 * Sort kids[a .. b) by (code, colour of the edge to it, vertex): insertion sort for
 * the few children most vertices have, else the native sort with a comparator.
 */
function sortKids(kids: Int32Array, a: number, b: number, code: Int32Array, down: Int32Array): void {
  const before = (x: number, y: number) => code[x] < code[y] || (code[x] === code[y] && (down[x] < down[y] || (down[x] === down[y] && x < y)));
  if (b - a > 16) {
    const sorted = Array.from(kids.subarray(a, b)).sort((x, y) => (before(x, y) ? -1 : 1));
    kids.set(sorted, a);
    return;
  }
  for (let i = a + 1; i < b; i++) {
    const v = kids[i];
    let j = i - 1;
    for (; j >= a && before(v, kids[j]); j--) kids[j + 1] = kids[j];
    kids[j + 1] = v;
  }
}

/**
 * Tree labeling (g with n − 1 edges, n ≥ 2, no twins needed; null when g is not
 * connected, so has a cycle, which peeling cannot consume). Peeling leaves layer
 * by layer roots the tree at its centre (or central edge) and orders it bottom up
 * by height, so each layer is coded as it is peeled: a vertex's code is its
 * layer's offset plus its rank there of (colour, colour of the edge to its parent,
 * its children's (code, colour of the edge to the child) sorted). Equal codes are
 * isomorphic rooted subtrees (equal heights), and codes compare consistently
 * across layers.
 */
function labelTree(g: Graph): Labeled | null {
  const { n, rowPtr, col, ecol, vcol } = g;
  const deg = take(n); // −1 once peeled
  const order = take(n); // the peeling order: leaves first, the centre(s) last
  const up = take(n); // colour of v → parent
  const down = take(n); // colour of parent → v
  // each row with the entry to the parent (or the other centre) moved last: v's children are kids[rowPtr[v] .. kidEnd[v])
  const kids = take(rowPtr[n]);
  kids.set(col);
  const kidEnd = take(n);
  kidEnd.set(rowPtr.subarray(1));
  const code = take(n);
  const rank = take(n); // by position in order
  const buf = take(2 * n + 2 * rowPtr[n]);
  const off = take(n + 1);
  let tail = 0;
  for (let v = 0; v < n; v++) if ((deg[v] = rowPtr[v + 1] - rowPtr[v]) <= 1) order[tail++] = v;
  let codes = 0;
  /** Codes for order[lo .. hi), whose children are coded and whose edges to them and up are known. */
  const codeLayer = (lo: number, hi: number) => {
    let o = 0;
    for (let i = lo; i < hi; i++) {
      const v = order[i];
      off[i] = o;
      buf[o++] = vcol[v];
      buf[o++] = up[v];
      const a = rowPtr[v];
      const b = kidEnd[v];
      if (b - a > 1) sortKids(kids, a, b, code, down);
      for (let j = a; j < b; j++) {
        buf[o++] = code[kids[j]];
        buf[o++] = down[kids[j]];
      }
    }
    off[hi] = o;
    const distinct = ranker.rank(buf, off, lo, hi, rank);
    for (let i = lo; i < hi; i++) code[order[i]] = codes + rank[i];
    codes += distinct;
  };
  /** v's entry e to w, its parent (or the other centre), moved last in its row of kids. */
  const toParent = (v: number, e: number, w: number) => {
    const last = rowPtr[v + 1] - 1;
    up[v] = ecol[e];
    kids[e] = kids[last];
    kids[last] = w;
    kidEnd[v] = last;
  };
  let head = 0;
  for (let left = n; left > 2; ) {
    const lo = head;
    const hi = tail;
    if (lo === hi) return null; // a cycle is left: not connected
    left -= hi - lo;
    for (; head < hi; head++) {
      // every neighbour but the parent is peeled already
      const v = order[head];
      deg[v] = -1;
      for (let e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
        const w = col[e];
        if (deg[w] < 0) down[w] = ecol[e];
        else {
          toParent(v, e, w);
          if (--deg[w] === 1) order[tail++] = w;
        }
      }
    }
    codeLayer(lo, hi);
  }
  // the centre, or two adjacent centres, each the other's "parent" across the central edge
  const roots = n - head;
  up[order[head]] = down[order[head]] = 0;
  for (let i = head; i < n; i++) {
    const v = order[i];
    const other = roots === 2 ? order[2 * head + 1 - i] : -1;
    for (let e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
      const w = col[e];
      down[w] = ecol[e];
      if (w === other) toParent(v, e, w);
    }
  }
  codeLayer(head, n);
  sortKids(order, head, n, code, down);
  // the preorder from the centre(s), children in code order
  const lab = new Int32Array(n);
  const stack = rank; // (free again)
  let sp = 0;
  let p = 0;
  for (let i = n - 1; i >= head; i--) stack[sp++] = order[i];
  while (sp > 0) {
    const v = stack[--sp];
    lab[p++] = v;
    for (let j = kidEnd[v] - 1; j >= rowPtr[v]; j--) stack[sp++] = kids[j];
  }
  // runs of equal siblings, top down: orbit classes (the first member of a class gives its
  // children's runs new classes, the others reuse them run by run), factors, swaps
  const runLengths = take(n + 1).fill(0); // how many runs of each length
  let longest = 0;
  const swaps = take(2 * n); // pairs of equal sibling subtrees (their roots), at the first member of each class
  let nswaps = 0;
  const cls = take(n);
  const runsOf = take(n).fill(-1); // class → its children's first run in runCls
  const runCls = take(n);
  let runs = 0;
  let classes = 0;
  const lowest = take(n); // class → its smallest vertex
  const classify = (list: Int32Array, a: number, b: number, owner: number) => {
    const fresh = owner < 0 || runsOf[owner] < 0;
    if (fresh && owner >= 0) runsOf[owner] = runs;
    let j = fresh ? 0 : runsOf[owner];
    for (let x = a; x < b; ) {
      const v = list[x];
      let y = x + 1;
      while (y < b && code[list[y]] === code[v] && down[list[y]] === down[v]) y++;
      let id: number;
      if (!fresh) id = runCls[j++];
      else {
        id = classes++;
        lowest[id] = n;
        if (owner >= 0) runCls[runs++] = id;
      }
      runLengths[y - x]++;
      if (y - x > longest) longest = y - x;
      for (let z = x; z < y; z++) {
        cls[list[z]] = id;
        if (list[z] < lowest[id]) lowest[id] = list[z];
        if (fresh && z > x) {
          swaps[nswaps++] = list[z - 1];
          swaps[nswaps++] = list[z];
        }
      }
      x = y;
    }
  };
  classify(order, head, n, -1);
  for (let i = n - 1; i >= 0; i--) {
    const v = order[i];
    if (kidEnd[v] > rowPtr[v]) classify(kids, rowPtr[v], kidEnd[v], cls[v]);
  }
  const orbits = new Int32Array(n);
  for (let v = 0; v < n; v++) orbits[v] = lowest[cls[v]];
  const pairs = swaps.slice(0, nswaps);
  const lengths = runLengths.slice(0, longest + 1);
  const factors = () => {
    const out: number[] = [];
    for (let k = 2; k < lengths.length; k++) for (let i = 0; i < lengths[k]; i++) factorial(out, k);
    return out;
  };
  const gens = () => {
    // a subtree is a run of the preorder, and y's follows x's (consecutive siblings):
    // swap the two position by position
    const pos = new Int32Array(n);
    for (let i = 0; i < n; i++) pos[lab[i]] = i;
    const out: Int32Array[] = [];
    for (let k = 0; k < pairs.length; k += 2) {
      const x = pairs[k];
      const y = pairs[k + 1];
      out.push(swapRuns(lab, pos[x], pos[y], pos[y] - pos[x]));
    }
    return out;
  };
  return { lab, orbits, factors, gens };
}

/** The start of the lexicographically least rotation of s (Booth 1980), O(n); s2 is s twice. */
function leastRotation(s2: Int32Array, n: number): number {
  const f = take(2 * n).fill(-1);
  let k = 0;
  for (let j = 1; j < 2 * n; j++) {
    const sj = s2[j];
    let i = f[j - k - 1];
    while (i !== -1 && sj !== s2[k + i + 1]) {
      if (sj < s2[k + i + 1]) k = j - i - 1;
      i = f[i];
    }
    if (sj !== s2[k + i + 1]) {
      if (sj < s2[k]) k = j;
      f[j - k] = -1;
    } else {
      f[j - k] = i + 1;
    }
  }
  return k;
}

/** The least period of the cyclic sequence s[0 .. n) (a divisor of n), from its prefix function. */
function period(s: Int32Array, n: number): number {
  const pi = take(n);
  pi[0] = 0;
  for (let i = 1; i < n; i++) {
    let k = pi[i - 1];
    while (k > 0 && s[i] !== s[k]) k = pi[k - 1];
    pi[i] = s[i] === s[k] ? k + 1 : k;
  }
  const p = n - pi[n - 1];
  return n % p === 0 ? p : n;
}

/** Cycle labeling (every vertex of degree 2, n ≥ 3; null when the walk from 0 closes early: several cycles). */
function labelCycle(g: Graph): Labeled | null {
  const { n, rowPtr, col, ecol, vcol } = g;
  // walk the cycle from 0: c[i], and the colours of the edge c[i] – c[i + 1] seen from either end
  const c = new Int32Array(n);
  const fwd = take(n);
  const back = take(n);
  for (let i = 0, v = 0, prev = -1; i < n; i++) {
    if (i > 0 && v === 0) return null;
    c[i] = v;
    const e = col[rowPtr[v]] !== prev ? rowPtr[v] : rowPtr[v] + 1;
    fwd[i] = ecol[e];
    prev = v;
    v = col[e];
  }
  const at = take(n);
  for (let i = 0; i < n; i++) at[c[i]] = i;
  for (let i = 0; i < n; i++) {
    const w = c[i + 1 < n ? i + 1 : 0];
    back[i] = col[rowPtr[w]] === c[i] ? ecol[rowPtr[w]] : ecol[rowPtr[w] + 1];
  }
  // tokens: (colour, colour of the edge ahead seen from here, seen from there), forward and backward, ranked together
  const buf = take(6 * n);
  for (let i = 0; i < n; i++) {
    const j = i > 0 ? i - 1 : n - 1;
    buf[3 * i] = buf[3 * (n + i)] = vcol[c[i]];
    buf[3 * i + 1] = fwd[i];
    buf[3 * i + 2] = back[i];
    buf[3 * (n + i) + 1] = back[j];
    buf[3 * (n + i) + 2] = fwd[j];
  }
  const ids = take(2 * n);
  ranker.rank(buf, countUp(take(2 * n + 1), 3), 0, 2 * n, ids);
  // F: the forward reading from c[0], twice; B: the backward one (c[0], c[n − 1], …), twice
  const F = take(2 * n);
  const B = take(2 * n);
  for (let k = 0; k < n; k++) {
    F[k] = F[n + k] = ids[k];
    B[k] = B[n + k] = ids[n + (k === 0 ? 0 : n - k)];
  }
  const sf = leastRotation(F, n);
  const sb = leastRotation(B, n);
  let cmp = 0;
  for (let k = 0; k < n && cmp === 0; k++) cmp = F[sf + k] - B[sb + k];
  // position k of the forward reading from sf is vertex c[sf + k]; of the backward one from sb, c[−(sb + k)]
  const forward = new Int32Array(n);
  const backward = new Int32Array(n);
  for (let k = 0, i = sf, j = sb === 0 ? 0 : n - sb; k < n; k++) {
    forward[k] = c[i];
    backward[k] = c[j];
    i = i + 1 < n ? i + 1 : 0;
    j = j > 0 ? j - 1 : n - 1;
  }
  const lab = cmp <= 0 ? forward : backward;
  const p = period(F, n);
  const mirrored = cmp === 0;
  const factors = () => [n / p, mirrored ? 2 : 1].filter((f) => f > 1);
  // orbits: the rotation by p joins the positions of a residue mod p; the reflection
  // forward(k) ↦ backward(k) pairs residues (an involution on them)
  const lowest = take(p).fill(n);
  for (let i = 0, r = 0; i < n; i++, r = r + 1 < p ? r + 1 : 0) if (c[i] < lowest[r]) lowest[r] = c[i];
  if (mirrored) {
    const pair = take(p);
    for (let k = 0; k < p; k++) pair[at[forward[k]] % p] = at[backward[k]] % p;
    const own = lowest.slice();
    for (let r = 0; r < p; r++) lowest[r] = Math.min(own[r], own[pair[r]]);
  }
  const orbits = new Int32Array(n);
  for (let v = 0; v < n; v++) orbits[v] = lowest[at[v] % p];
  const gens = () => {
    const out: Int32Array[] = [];
    if (p < n) {
      const s = new Int32Array(2 * n);
      for (let i = 0; i < n; i++) {
        s[2 * i] = c[i];
        s[2 * i + 1] = c[(i + p) % n];
      }
      out.push(s);
    }
    if (mirrored) {
      const moved: number[] = [];
      for (let k = 0; k < n; k++) if (forward[k] !== backward[k]) moved.push(forward[k], backward[k]);
      out.push(Int32Array.from(moved));
    }
    return out;
  };
  return { lab, orbits, factors, gens };
}
