/**
 * Canonical labeling without search for the structure that makes individualization–
 * refinement slow (docs/architecture.md): twins, disconnected graphs and trees. Each
 * reduction is exact and a function of the isomorphism class alone, so isomorphic
 * graphs still get identical canonical forms; what no reduction applies to (a
 * connected, twin-free graph with a cycle) goes to the search kernel (`core`).
 *
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
 * - Components: each is labelled alone and they are ordered by their certificates
 *   (the canonical form with colours); m isomorphic components give the wreath
 *   product Aut(C) ≀ S(m): a factor m!, generators of one copy and swaps of
 *   consecutive copies, orbits joined across copies position by position.
 * - Trees: rooted at the centre (or the central edge), encoded bottom up by level,
 *   each vertex by the rank among its level of (colour, colours of the edge to its
 *   parent, sorted codes of its children) (Aho, Hopcroft & Ullman 1974, with
 *   colours). The canonical order is the preorder with children sorted by code;
 *   |Aut| is the product of k! over the groups of k equal children of each vertex;
 *   orbits are the classes of equal code paths from the root; generators swap equal
 *   sibling subtrees, at one vertex per orbit (an iterated wreath product).
 * - Cycles: the colours read around the cycle in either direction from any vertex;
 *   the canonical order is the least of these 2n sequences (Booth's least rotation,
 *   1980, in each direction); the group is dihedral or cyclic: rotations by the
 *   sequence's period, and a reflection when both directions give the least.
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
  /** |Aut| = the product of these (small integers, or bigints). */
  factors: (number | bigint)[];
  /** Generators as the pairs (v, g(v)) of their moved points, back to back; made on demand (most callers never read them). */
  gens: () => Int32Array[];
}

/** The labeling of a graph no reduction applies to (the search kernel). */
export type Core = (g: Graph) => Labeled;

/** Canonical labeling of g with twins, components and trees reduced. */
export function labelReduced(g: Graph, core: Core): Labeled {
  if (g.n === 1) return { lab: Int32Array.of(0), orbits: Int32Array.of(0), factors: [], gens: () => [] };
  const t = twins(g);
  if (t !== null) return expandTwins(t, labelReduced(t.quotient, core));
  const c = components(g);
  if (c.count > 1) return joinComponents(g, c, core);
  if (g.rowPtr[g.n] === 2 * (g.n - 1)) return labelTree(g);
  if (g.rowPtr[g.n] === 2 * g.n && g.rowPtr.every((r, v) => r === 2 * v)) return labelCycle(g);
  return core(g);
}

/** 0, step, 2·step, … (length n), by a loop: Int32Array.from with a function iterates slowly. */
export function iota(n: number, step = 1): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = step * i;
  return a;
}

/** Two 32-bit words per (vertex, colour) entry, summed into neighbourhood hashes. */
function word1(w: number, c: number): number {
  let h = Math.imul(w + 1, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return h ^ (h >>> 12);
}
function word2(w: number, c: number): number {
  let h = Math.imul(w + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(c, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x165667b1);
  return h ^ (h >>> 13);
}

interface Twins {
  /** Vertex → class (classes numbered by their smallest vertex). */
  cls: Int32Array;
  /** Members of class i: members[start[i] .. start[i + 1]), ascending. */
  start: Int32Array;
  members: Int32Array;
  quotient: Graph;
}

/**
 * The twin classes of g, or null when all are singletons. Candidates come from
 * neighbourhood hashes (equal for twins) and each is confirmed exactly against its
 * class's first vertex, so a collision costs time, never a wrong class.
 */
function twins(g: Graph): Twins | null {
  const { n, rowPtr, col, ecol, vcol } = g;
  const h1 = new Int32Array(n);
  const h2 = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    let a = 0;
    let b = 0;
    for (let e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
      a = (a + word1(col[e], ecol[e])) | 0;
      b = (b + word2(col[e], ecol[e])) | 0;
    }
    h1[v] = a;
    h2[v] = b;
  }
  const deg = (v: number) => rowPtr[v + 1] - rowPtr[v];
  // candidate groups: a union–find over vertices
  const parent = iota(n);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const union = (x: number, y: number) => {
    const a = find(x);
    const b = find(y);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  };
  let any = false;
  // adjacent twins: H(u) + word(u, c) = H(v) + word(v, c) for the edge colour c
  for (let u = 0; u < n; u++) {
    for (let e = rowPtr[u]; e < rowPtr[u + 1]; e++) {
      const v = col[e];
      const c = ecol[e];
      if (v <= u || vcol[u] !== vcol[v] || deg(u) !== deg(v)) continue;
      if (((h1[u] + word1(u, c)) | 0) === ((h1[v] + word1(v, c)) | 0) && ((h2[u] + word2(u, c)) | 0) === ((h2[v] + word2(v, c)) | 0)) {
        union(u, v);
        any = true;
      }
    }
  }
  // non-adjacent twins: equal (colour, degree, H), found in an open-addressing table on H
  const size = 2 << Math.ceil(Math.log2(n + 1));
  const table = new Int32Array(size).fill(-1);
  for (let v = 0; v < n; v++) {
    let slot = (h1[v] ^ Math.imul(h2[v], 0x9e3779b1)) & (size - 1);
    for (;;) {
      const w = table[slot];
      if (w < 0) {
        table[slot] = v;
        break;
      }
      if (h1[w] === h1[v] && h2[w] === h2[v] && vcol[w] === vcol[v] && deg(w) === deg(v)) {
        union(w, v);
        any = true;
        break;
      }
      slot = (slot + 1) & (size - 1);
    }
  }
  if (!any) return null;
  // confirm: split each candidate group into exact classes, each against its first vertex
  const rep = iota(n);
  const groupNext = new Int32Array(n).fill(-1); // members of a group, as a list from its root
  const groupLast = iota(n);
  for (let v = 0; v < n; v++) {
    const r = find(v);
    if (r === v) continue;
    groupNext[groupLast[r]] = v;
    groupLast[r] = v;
  }
  const markS = new Int32Array(n);
  const markC = new Int32Array(n);
  let stamp = 0;
  const assigned = new Uint8Array(n);
  let merged = false;
  for (let r0 = 0; r0 < n; r0++) {
    if (find(r0) !== r0 || groupNext[r0] < 0) continue;
    for (let r = r0; r >= 0; r = groupNext[r]) {
      if (assigned[r]) continue;
      assigned[r] = 1;
      stamp++;
      for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
        markS[col[e]] = stamp;
        markC[col[e]] = ecol[e];
      }
      for (let u = groupNext[r]; u >= 0; u = groupNext[u]) {
        if (assigned[u] || vcol[u] !== vcol[r] || deg(u) !== deg(r)) continue;
        // adjacent: r stands in u's row with the colour of the edge r → u
        const adjacent = markS[u] === stamp;
        if (adjacent) {
          markS[r] = stamp;
          markC[r] = markC[u];
        }
        let ok = true;
        for (let e = rowPtr[u]; e < rowPtr[u + 1] && ok; e++) ok = markS[col[e]] === stamp && markC[col[e]] === ecol[e];
        if (adjacent) markS[r] = 0;
        if (!ok) continue;
        assigned[u] = 1;
        rep[u] = r;
        merged = true;
      }
    }
  }
  if (!merged) return null;
  return twinQuotient(g, rep);
}

/** Classes from rep (each vertex → its class's smallest vertex) and the quotient graph. */
function twinQuotient(g: Graph, rep: Int32Array): Twins {
  const { n, rowPtr, col, ecol, vcol } = g;
  const cls = new Int32Array(n);
  let count = 0;
  for (let v = 0; v < n; v++) cls[v] = rep[v] === v ? count++ : cls[rep[v]];
  const start = new Int32Array(count + 1);
  for (let v = 0; v < n; v++) start[cls[v] + 1]++;
  for (let i = 0; i < count; i++) start[i + 1] += start[i];
  const fill = start.slice(0, count);
  const members = new Int32Array(n);
  for (let v = 0; v < n; v++) members[fill[cls[v]]++] = v;
  // quotient colours: rank of (colour, size, inner edge colour or 0 for independent classes)
  const inner = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    if (start[i + 1] - start[i] < 2) continue;
    const a = members[start[i]];
    const b = members[start[i] + 1];
    for (let e = rowPtr[a]; e < rowPtr[a + 1]; e++) if (col[e] === b) inner[i] = ecol[e];
  }
  const buf = new Int32Array(3 * count);
  for (let i = 0; i < count; i++) buf.set([vcol[members[start[i]]], start[i + 1] - start[i], inner[i]], 3 * i);
  const vq = rankTuples(count, buf, iota(count + 1, 3));
  const qRow = new Int32Array(count + 1);
  const qCol: number[] = [];
  const qEcol: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = members[start[i]];
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
      const w = col[e];
      // one entry per neighbouring class, through its smallest vertex
      if (cls[w] === i || rep[w] !== w) continue;
      qCol.push(cls[w]);
      qEcol.push(ecol[e]);
    }
    qRow[i + 1] = qCol.length;
  }
  return { cls, start, members, quotient: { n: count, rowPtr: qRow, col: Int32Array.from(qCol), ecol: Int32Array.from(qEcol), vcol: vq } };
}

/**
 * Ids 0, 1, … by the lexicographic rank of each item's integer tuple (equal tuples,
 * equal ids); item i's tuple is buf[off[i] .. off[i + 1]).
 */
function rankTuples(count: number, buf: Int32Array, off: Int32Array): Int32Array {
  const cmp = (x: number, y: number) => {
    const a = off[x];
    const b = off[y];
    const l = Math.min(off[x + 1] - a, off[y + 1] - b);
    for (let i = 0; i < l; i++) if (buf[a + i] !== buf[b + i]) return buf[a + i] - buf[b + i];
    return off[x + 1] - a - (off[y + 1] - b);
  };
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort(cmp);
  const ids = new Int32Array(count);
  let id = 0;
  for (let k = 0; k < count; k++) {
    if (k > 0 && cmp(order[k - 1], order[k]) !== 0) id++;
    ids[order[k]] = id;
  }
  return ids;
}

function compareInts(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const l = Math.min(a.length, b.length);
  for (let i = 0; i < l; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}

/** The labeling of g from its quotient's: classes as blocks, |K|! each, twin transpositions. */
function expandTwins(t: Twins, q: Labeled): Labeled {
  const { cls, start, members } = t;
  const n = cls.length;
  const lab = new Int32Array(n);
  let p = 0;
  for (const i of q.lab) for (let k = start[i]; k < start[i + 1]; k++) lab[p++] = members[k];
  const orbits = new Int32Array(n);
  for (let v = 0; v < n; v++) orbits[v] = members[start[q.orbits[cls[v]]]];
  const factors = q.factors.slice();
  for (let i = 0; i + 1 < start.length; i++) for (let k = start[i] + 2; k <= start[i + 1]; k++) factors.push(k - start[i]);
  const gens = () => {
    const out: Int32Array[] = [];
    for (let i = 0; i + 1 < start.length; i++) {
      for (let k = start[i]; k + 1 < start[i + 1]; k++) out.push(Int32Array.of(members[k], members[k + 1], members[k + 1], members[k]));
    }
    for (const s of q.gens()) {
      const moved: number[] = [];
      for (let j = 0; j < s.length; j += 2) {
        const a = s[j];
        const b = s[j + 1];
        for (let k = 0; k < start[a + 1] - start[a]; k++) moved.push(members[start[a] + k], members[start[b] + k]);
      }
      out.push(Int32Array.from(moved));
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
  const queue = new Int32Array(n);
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
 * The canonical form of a labelled graph as one integer sequence: n, the colours in
 * canonical order, then per position its degree and its sorted (position, colour)
 * pairs. Equal exactly for isomorphic graphs.
 */
function certificate(g: Graph, lab: Int32Array): Int32Array {
  const { n, rowPtr, col, ecol, vcol } = g;
  const pos = new Int32Array(n);
  for (let i = 0; i < n; i++) pos[lab[i]] = i;
  const out = new Int32Array(1 + 2 * n + 2 * rowPtr[n]);
  out[0] = n;
  for (let i = 0; i < n; i++) out[1 + i] = vcol[lab[i]];
  let o = 1 + n;
  const pairs: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = lab[i];
    out[o++] = rowPtr[v + 1] - rowPtr[v];
    pairs.length = 0;
    for (let e = rowPtr[v]; e < rowPtr[v + 1]; e++) pairs.push(e);
    pairs.sort((x, y) => pos[col[x]] - pos[col[y]]);
    for (const e of pairs) {
      out[o++] = pos[col[e]];
      out[o++] = ecol[e];
    }
  }
  return out;
}

function joinComponents(g: Graph, c: Components, core: Core): Labeled {
  const { n } = g;
  const { count, comp } = c;
  const local = new Int32Array(n);
  const sizes = new Int32Array(count + 1);
  for (let v = 0; v < n; v++) local[v] = sizes[comp[v] + 1]++;
  for (let i = 0; i < count; i++) sizes[i + 1] += sizes[i];
  const byComp = new Int32Array(n);
  const fill = sizes.slice(0, count);
  for (let v = 0; v < n; v++) byComp[fill[comp[v]]++] = v;
  const parts = Array.from({ length: count }, (_, i) => {
    const vertices = byComp.subarray(sizes[i], sizes[i + 1]);
    const sub = subgraph(g, vertices, local);
    const l = labelReduced(sub, core);
    return { vertices, l, cert: certificate(sub, l.lab) };
  });
  // canonical order of the components; ties (isomorphic ones) by smallest vertex
  const order = Array.from({ length: count }, (_, i) => i).sort((x, y) => compareInts(parts[x].cert, parts[y].cert) || x - y);
  const lab = new Int32Array(n);
  const orbits = new Int32Array(n);
  const factors: (number | bigint)[] = [];
  const makers: ((out: Int32Array[]) => void)[] = [];
  let p = 0;
  for (let a = 0; a < count; ) {
    let b = a + 1;
    while (b < count && compareInts(parts[order[a]].cert, parts[order[b]].cert) === 0) b++;
    const copies = order.slice(a, b).map((i) => parts[i]);
    const first = copies[0];
    const k = first.vertices.length;
    for (const { vertices, l } of copies) {
      for (let i = 0; i < k; i++) lab[p++] = vertices[l.lab[i]];
      factors.push(...l.factors);
    }
    for (let m = 2; m <= copies.length; m++) factors.push(m);
    makers.push((out) => {
      for (const s of first.l.gens()) out.push(Int32Array.from(s, (v) => first.vertices[v]));
      // swaps of consecutive copies, position by position
      for (let j = 0; j + 1 < copies.length; j++) {
        const s = new Int32Array(4 * k);
        for (let i = 0; i < k; i++) {
          const x = copies[j].vertices[copies[j].l.lab[i]];
          const y = copies[j + 1].vertices[copies[j + 1].l.lab[i]];
          s.set([x, y, y, x], 4 * i);
        }
        out.push(s);
      }
    });
    // orbits: positions i, i' of the copies are joined when the first copy's vertices there are
    const lowest = new Int32Array(k).fill(n); // first copy's orbit (a local vertex) → smallest global vertex
    const at = (i: number) => first.l.orbits[first.l.lab[i]];
    for (const { vertices, l } of copies) for (let i = 0; i < k; i++) lowest[at(i)] = Math.min(lowest[at(i)], vertices[l.lab[i]]);
    for (const { vertices, l } of copies) for (let i = 0; i < k; i++) orbits[vertices[l.lab[i]]] = lowest[at(i)];
    a = b;
  }
  const gens = () => {
    const out: Int32Array[] = [];
    for (const make of makers) make(out);
    return out;
  };
  return { lab, orbits, factors, gens };
}

/** Tree labeling (g connected with n − 1 edges, n ≥ 2, no twins needed). */
function labelTree(g: Graph): Labeled {
  const { n, rowPtr, col, ecol, vcol } = g;
  // centre: peel leaves until one or two vertices remain
  const deg = new Int32Array(n);
  for (let v = 0; v < n; v++) deg[v] = rowPtr[v + 1] - rowPtr[v];
  let layer: number[] = [];
  for (let v = 0; v < n; v++) if (deg[v] <= 1) layer.push(v);
  let left = n;
  while (left > 2) {
    left -= layer.length;
    const next: number[] = [];
    for (const v of layer) {
      for (let e = rowPtr[v]; e < rowPtr[v + 1]; e++) if (--deg[col[e]] === 1) next.push(col[e]);
    }
    layer = next;
  }
  const centres = layer;
  // breadth first from the centre(s): order, parent, and the colours of the edge to the parent
  const order = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const down = new Int32Array(n); // colour of parent → v
  const up = new Int32Array(n); // colour of v → parent
  const firstChild = new Int32Array(n);
  const children = new Int32Array(n);
  const depth = new Int32Array(n);
  const visited = new Uint8Array(n);
  centres.forEach((c, i) => {
    order[i] = c;
    visited[c] = 1;
  });
  if (centres.length === 2) {
    // each centre's "parent edge" is the central edge, seen from either end
    const [a, b] = centres;
    for (let e = rowPtr[a]; e < rowPtr[a + 1]; e++) if (col[e] === b) (down[b] = ecol[e]), (up[a] = ecol[e]);
    for (let e = rowPtr[b]; e < rowPtr[b + 1]; e++) if (col[e] === a) (down[a] = ecol[e]), (up[b] = ecol[e]);
  }
  let tail = centres.length;
  for (let head = 0; head < tail; head++) {
    const v = order[head];
    firstChild[v] = tail;
    for (let e = rowPtr[v]; e < rowPtr[v + 1]; e++) {
      const w = col[e];
      if (visited[w]) {
        if (w === parent[v]) up[v] = ecol[e];
        continue;
      }
      visited[w] = 1;
      parent[w] = v;
      down[w] = ecol[e];
      depth[w] = depth[v] + 1;
      order[tail++] = w;
    }
    children[v] = tail - firstChild[v];
  }
  // bottom up, level by level: code = rank among the level of (colour, down, up, sorted child codes)
  const code = new Int32Array(n);
  let hi = n;
  while (hi > 0) {
    let lo = hi - 1;
    while (lo > 0 && depth[order[lo - 1]] === depth[order[hi - 1]]) lo--;
    const level = order.subarray(lo, hi);
    const off = new Int32Array(level.length + 1);
    for (let i = 0; i < level.length; i++) off[i + 1] = off[i] + 3 + children[level[i]];
    const buf = new Int32Array(off[level.length]);
    for (let i = 0; i < level.length; i++) {
      const v = level[i];
      buf[off[i]] = vcol[v];
      buf[off[i] + 1] = down[v];
      buf[off[i] + 2] = up[v];
      for (let k = 0; k < children[v]; k++) buf[off[i] + 3 + k] = code[order[firstChild[v] + k]];
      if (children[v] > 1) buf.subarray(off[i] + 3, off[i + 1]).sort();
    }
    const ids = rankTuples(level.length, buf, off);
    level.forEach((v, i) => (code[v] = ids[i]));
    hi = lo;
  }
  // children by code (ties by vertex), then the preorder
  const byCode = (x: number, y: number) => code[x] - code[y] || x - y;
  for (let v = 0; v < n; v++) order.subarray(firstChild[v], firstChild[v] + children[v]).sort(byCode);
  const roots = centres.slice().sort(byCode);
  const lab = new Int32Array(n);
  const pos = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  let p = 0;
  const stack: number[] = [];
  for (const r of roots) {
    stack.push(r);
    while (stack.length > 0) {
      const v = stack.pop()!;
      pos[v] = p;
      lab[p++] = v;
      for (let i = firstChild[v] + children[v] - 1; i >= firstChild[v]; i--) stack.push(order[i]);
    }
  }
  for (let i = n - 1; i >= 0; i--) if (parent[lab[i]] >= 0) size[parent[lab[i]]] += size[lab[i]];
  // groups of equal siblings: factors, and swaps at the first vertex of each orbit
  const factors: (number | bigint)[] = [];
  const swaps: number[] = []; // pairs of equal sibling subtrees (their roots)
  const cls = new Int32Array(n);
  const groupsOf = new Int32Array(n + 1).fill(-1); // class → index of its children's first class in groupCls
  const groupCls: number[] = [];
  let classes = 0;
  const swap = (x: number, y: number) => {
    const s = new Int32Array(4 * size[x]);
    for (let i = 0; i < size[x]; i++) {
      const a = lab[pos[x] + i];
      const b = lab[pos[y] + i];
      s.set([a, b, b, a], 4 * i);
    }
    return s;
  };
  /** Runs of equal code in a sorted list: class ids (new for the first member of its class), factors, swaps. */
  const runs = (list: ArrayLike<number>, owner: number) => {
    const fresh = owner < 0 || groupsOf[owner] < 0;
    if (owner >= 0 && fresh) groupsOf[owner] = groupCls.length;
    let j = 0;
    for (let a = 0; a < list.length; ) {
      let b = a + 1;
      while (b < list.length && code[list[b]] === code[list[a]]) b++;
      const id = fresh ? classes++ : groupCls[groupsOf[owner] + j];
      if (fresh && owner >= 0) groupCls.push(id);
      for (let i = a; i < b; i++) {
        cls[list[i]] = id;
        factors.push(i - a + 1);
        if (fresh && i > a) swaps.push(list[i - 1], list[i]);
      }
      j++;
      a = b;
    }
  };
  runs(roots, -1);
  for (let head = 0; head < n; head++) {
    const v = order[head];
    if (children[v] > 0) runs(order.subarray(firstChild[v], firstChild[v] + children[v]), cls[v]);
  }
  const lowest = new Int32Array(classes).fill(n);
  for (let v = 0; v < n; v++) lowest[cls[v]] = Math.min(lowest[cls[v]], v);
  const orbits = new Int32Array(n);
  for (let v = 0; v < n; v++) orbits[v] = lowest[cls[v]];
  const gens = () => Array.from({ length: swaps.length / 2 }, (_, i) => swap(swaps[2 * i], swaps[2 * i + 1]));
  return { lab, orbits, factors: factors.filter((f) => f > 1), gens };
}

/** The start of the lexicographically least rotation of s (Booth 1980), O(n). */
function leastRotation(s: Int32Array): number {
  const n = s.length;
  const f = new Int32Array(2 * n).fill(-1);
  let k = 0;
  for (let j = 1; j < 2 * n; j++) {
    const sj = s[j % n];
    let i = f[j - k - 1];
    while (i !== -1 && sj !== s[(k + i + 1) % n]) {
      if (sj < s[(k + i + 1) % n]) k = j - i - 1;
      i = f[i];
    }
    if (sj !== s[(k + i + 1) % n]) {
      if (sj < s[k % n]) k = j;
      f[j - k] = -1;
    } else {
      f[j - k] = i + 1;
    }
  }
  return k;
}

/** The least period of the cyclic sequence s (a divisor of n), from its prefix function. */
function period(s: Int32Array): number {
  const n = s.length;
  const pi = new Int32Array(n);
  for (let i = 1; i < n; i++) {
    let k = pi[i - 1];
    while (k > 0 && s[i] !== s[k]) k = pi[k - 1];
    pi[i] = s[i] === s[k] ? k + 1 : k;
  }
  const p = n - pi[n - 1];
  return n % p === 0 ? p : n;
}

/** Cycle labeling (g connected, every vertex of degree 2, n ≥ 3). */
function labelCycle(g: Graph): Labeled {
  const { n, rowPtr, col, ecol, vcol } = g;
  // walk the cycle from 0: c[i], and the colours of the edge c[i] – c[i + 1] seen from either end
  const c = new Int32Array(n);
  const fwd = new Int32Array(n);
  const back = new Int32Array(n);
  for (let i = 0, prev = -1; i < n; i++) {
    const v = (c[i] = i === 0 ? 0 : c[i]);
    const e = col[rowPtr[v]] !== prev ? rowPtr[v] : rowPtr[v] + 1;
    fwd[i] = ecol[e];
    if (i + 1 < n) c[i + 1] = col[e];
    prev = v;
  }
  const at = new Int32Array(n);
  for (let i = 0; i < n; i++) at[c[i]] = i;
  for (let i = 0; i < n; i++) {
    const w = c[(i + 1) % n];
    back[i] = col[rowPtr[w]] === c[i] ? ecol[rowPtr[w]] : ecol[rowPtr[w] + 1];
  }
  // tokens: (colour, colour of the edge ahead seen from here, seen from there), forward and backward, ranked together
  const buf = new Int32Array(6 * n);
  for (let i = 0; i < n; i++) {
    const j = (i - 1 + n) % n;
    buf.set([vcol[c[i]], fwd[i], back[i]], 3 * i);
    buf.set([vcol[c[i]], back[j], fwd[j]], 3 * (n + i));
  }
  const ids = rankTuples(2 * n, buf, iota(2 * n + 1, 3));
  const F = ids.slice(0, n);
  // backward from i: c[i], c[i − 1], …
  const B = Int32Array.from({ length: n }, (_, k) => ids[n + ((n - k) % n)]);
  const sf = leastRotation(F);
  const sb = leastRotation(B);
  let cmp = 0;
  for (let k = 0; k < n && cmp === 0; k++) cmp = F[(sf + k) % n] - B[(sb + k) % n];
  // position k of the forward reading from sf is vertex c[sf + k]; of the backward one from sb, c[−(sb + k)]
  const forward = (k: number) => c[(sf + k) % n];
  const backward = (k: number) => c[(2 * n - ((sb + k) % n)) % n];
  const lab = new Int32Array(n);
  for (let k = 0; k < n; k++) lab[k] = cmp <= 0 ? forward(k) : backward(k);
  const p = period(F);
  const mirrored = cmp === 0;
  const factors: number[] = [n / p, mirrored ? 2 : 1].filter((f) => f > 1);
  // orbits: the rotation by p joins the positions of a residue mod p; the reflection
  // forward(k) ↦ backward(k) pairs residues (an involution on them)
  const lowest = new Int32Array(p).fill(n);
  for (let i = 0; i < n; i++) lowest[i % p] = Math.min(lowest[i % p], c[i]);
  if (mirrored) {
    const pair = new Int32Array(p);
    for (let k = 0; k < p; k++) pair[at[forward(k)] % p] = at[backward(k)] % p;
    const own = lowest.slice();
    for (let r = 0; r < p; r++) lowest[r] = Math.min(own[r], own[pair[r]]);
  }
  const orbits = new Int32Array(n);
  for (let v = 0; v < n; v++) orbits[v] = lowest[at[v] % p];
  const gens = () => {
    const out: Int32Array[] = [];
    if (p < n) out.push(Int32Array.from({ length: 2 * n }, (_, j) => (j % 2 === 0 ? c[j >> 1] : c[((j >> 1) + p) % n])));
    if (mirrored) {
      const moved: number[] = [];
      for (let k = 0; k < n; k++) if (forward(k) !== backward(k)) moved.push(forward(k), backward(k));
      out.push(Int32Array.from(moved));
    }
    return out;
  };
  return { lab, orbits, factors, gens };
}
