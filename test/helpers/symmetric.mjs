// Large graphs with large automorphism groups, as edge lists, for the reduction
// tests (test/canon-reduce.test.ts, with nauty's answers recorded by
// test/fixtures/nauty/large.mjs) and the large rows of bench/canon.mjs. Plain
// JavaScript so that the fixture script and the bench import the same builders.
//
// A graph is { n, edges: Int32Array (pairs, flat), colors?: Int32Array,
// edgeColors?: Int32Array (one per pair) }.

/** A graph from a pair list (and optional colours). */
function graph(n, pairs, colors, edgeColors) {
  const g = { n, edges: Int32Array.from(pairs) };
  if (colors) g.colors = Int32Array.from(colors);
  if (edgeColors) g.edgeColors = Int32Array.from(edgeColors);
  return g;
}

export const empty = (n) => graph(n, []);

export function complete(n) {
  const e = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) e.push(i, j);
  return graph(n, e);
}

/** m disjoint copies of g (colours copied). */
export function copies(g, m) {
  const e = new Int32Array(g.edges.length * m);
  for (let c = 0; c < m; c++) for (let i = 0; i < g.edges.length; i++) e[c * g.edges.length + i] = g.edges[i] + c * g.n;
  const rep = (a) => (a ? Int32Array.from({ length: a.length * m }, (_, i) => a[i % a.length]) : undefined);
  return graph(g.n * m, e, rep(g.colors), rep(g.edgeColors));
}

export function path(n) {
  const e = [];
  for (let i = 0; i + 1 < n; i++) e.push(i, i + 1);
  return graph(n, e);
}

export function cycle(n) {
  const e = [];
  for (let i = 0; i < n; i++) e.push(i, (i + 1) % n);
  return graph(n, e);
}

/** Complete binary tree of the given depth (2^(depth+1) − 1 vertices). */
export function binaryTree(depth) {
  const n = 2 ** (depth + 1) - 1;
  const e = [];
  for (let i = 1; i < n; i++) e.push((i - 1) >> 1, i);
  return graph(n, e);
}

/** A spine of `spine` vertices, each with `legs` pendant paths of length `len`. */
export function caterpillar(spine, legs, len = 1) {
  const e = [];
  let n = spine;
  for (let i = 0; i + 1 < spine; i++) e.push(i, i + 1);
  for (let i = 0; i < spine; i++) {
    for (let l = 0; l < legs; l++) {
      let prev = i;
      for (let s = 0; s < len; s++) {
        e.push(prev, n);
        prev = n++;
      }
    }
  }
  return graph(n, e);
}

/** A centre with `arms` paths of `len` vertices each. */
export function spider(arms, len) {
  const e = [];
  let n = 1;
  for (let a = 0; a < arms; a++) {
    let prev = 0;
    for (let s = 0; s < len; s++) {
      e.push(prev, n);
      prev = n++;
    }
  }
  return graph(n, e);
}

/** a × b grid, or torus (wrapping) when `wrap`. */
export function grid(a, b, wrap = false) {
  const e = [];
  const id = (i, j) => i * b + j;
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      if (j + 1 < b || (wrap && b > 2)) e.push(id(i, j), id(i, (j + 1) % b));
      if (i + 1 < a || (wrap && a > 2)) e.push(id(i, j), id((i + 1) % a, j));
    }
  }
  return graph(a * b, e);
}

export function hypercube(d) {
  const e = [];
  for (let v = 0; v < 1 << d; v++) for (let k = 0; k < d; k++) if (!(v & (1 << k))) e.push(v, v | (1 << k));
  return graph(1 << d, e);
}

/** Paley graph of a prime q ≡ 1 (mod 4). */
export function paley(q) {
  const sq = new Uint8Array(q);
  for (let x = 1; x < q; x++) sq[(x * x) % q] = 1;
  const e = [];
  for (let i = 0; i < q; i++) for (let j = i + 1; j < q; j++) if (sq[j - i]) e.push(i, j);
  return graph(q, e);
}

/** The Latin square graph of the cyclic group Z_k: cells (i, j), adjacent when they share a row, a column or a symbol. */
export function latinSquare(k) {
  const e = [];
  const id = (i, j) => i * k + j;
  for (let a = 0; a < k * k; a++) {
    for (let b = a + 1; b < k * k; b++) {
      const [i, j] = [Math.floor(a / k), a % k];
      const [p, q] = [Math.floor(b / k), b % k];
      if (i === p || j === q || (i + j) % k === (p + q) % k) e.push(id(i, j), id(p, q));
    }
  }
  return graph(k * k, e);
}

/** A seeded uniform generator on [0, 1) (mulberry32). */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random simple d-regular graph (pairing model, rejecting loops and repeated edges); `seed` a number or a generator on [0, 1). */
export function randomRegular(n, d, seed) {
  const u = typeof seed === 'function' ? seed : seeded(seed);
  for (;;) {
    const pts = Int32Array.from({ length: n * d }, (_, i) => Math.floor(i / d));
    for (let i = pts.length - 1; i > 0; i--) {
      const j = Math.floor(u() * (i + 1));
      [pts[i], pts[j]] = [pts[j], pts[i]];
    }
    const seen = new Set();
    let ok = true;
    for (let i = 0; i < pts.length && ok; i += 2) {
      const a = Math.min(pts[i], pts[i + 1]);
      const b = Math.max(pts[i], pts[i + 1]);
      ok = a !== b && !seen.has(a * n + b);
      seen.add(a * n + b);
    }
    if (ok) return graph(n, pts);
  }
}

/**
 * The CFI graph (Cai, Fürer & Immerman 1992) over a connected base graph: per base
 * vertex of degree d, 2^(d−1) "middle" vertices (even subsets of its edges) and
 * two "end" vertices a_e^0, a_e^1 per incident edge; middle vertex S joins a_e^1
 * for e ∈ S and a_e^0 otherwise; the two ends of each base edge are joined
 * crosswise when `twist` holds for it (the first edge), straight otherwise. Vertex
 * colours: middle vertices by base vertex, ends by (base vertex, edge).
 */
export function cfi(base, twisted = false) {
  const { n: bn, edges: be } = base;
  const inc = Array.from({ length: bn }, () => []);
  for (let k = 0; k < be.length; k += 2) {
    inc[be[k]].push(k / 2);
    inc[be[k + 1]].push(k / 2);
  }
  const e = [];
  const colors = [];
  const endId = new Map(); // `${v},${edge},${bit}` → vertex
  let n = 0;
  let colour = 0;
  for (let v = 0; v < bn; v++) {
    const d = inc[v].length;
    for (let i = 0; i < d; i++) {
      for (let bit = 0; bit < 2; bit++) {
        endId.set(`${v},${inc[v][i]},${bit}`, n++);
        colors.push(colour);
      }
      colour++;
    }
    for (let s = 0; s < 1 << d; s++) {
      let parity = 0;
      for (let i = 0; i < d; i++) parity ^= (s >> i) & 1;
      if (parity) continue;
      const m = n++;
      colors.push(colour);
      for (let i = 0; i < d; i++) e.push(m, endId.get(`${v},${inc[v][i]},${(s >> i) & 1}`));
    }
    colour++;
  }
  for (let k = 0; k < be.length; k += 2) {
    const x = be[k];
    const y = be[k + 1];
    for (let bit = 0; bit < 2; bit++) {
      const other = twisted && k === 0 ? 1 - bit : bit;
      e.push(endId.get(`${x},${k / 2},${bit}`), endId.get(`${y},${k / 2},${other}`));
    }
  }
  return graph(n, e, colors);
}

/**
 * A hydrocarbon chain as a coloured graph: c carbons in a path (colour 6), each with
 * hydrogens (colour 1) to valence 4; bond order 1 everywhere (edge colour 1).
 * Polyethylene C_cH_{2c+2}.
 */
export function alkane(c) {
  const e = [];
  const colors = [];
  for (let i = 0; i < c; i++) colors.push(6);
  let n = c;
  for (let i = 0; i + 1 < c; i++) e.push(i, i + 1);
  for (let i = 0; i < c; i++) {
    const h = 4 - (i > 0 ? 1 : 0) - (i + 1 < c ? 1 : 0);
    for (let k = 0; k < h; k++) {
      e.push(i, n++);
      colors.push(1);
    }
  }
  return graph(n, e, colors);
}

/** Undirected CSR (both directions, rows in increasing neighbour order) with edge colours, of a graph above. */
export function toCSR(g) {
  const { n, edges, edgeColors } = g;
  const deg = new Int32Array(n + 1);
  for (let k = 0; k < edges.length; k++) deg[edges[k] + 1]++;
  for (let v = 0; v < n; v++) deg[v + 1] += deg[v];
  const col = new Int32Array(deg[n]);
  const ecol = new Int32Array(deg[n]);
  const fill = deg.slice(0, n);
  for (let k = 0; k < edges.length; k += 2) {
    const [a, b] = [edges[k], edges[k + 1]];
    const c = edgeColors ? edgeColors[k / 2] : 1;
    ecol[fill[a]] = c;
    col[fill[a]++] = b;
    ecol[fill[b]] = c;
    col[fill[b]++] = a;
  }
  return { rowPtr: deg, col, edgeColors: ecol };
}

/** g with vertex v renamed p[v] (colours follow their vertices). */
export function relabelGraph(g, p) {
  const out = { n: g.n, edges: Int32Array.from(g.edges, (v) => p[v]) };
  if (g.colors) {
    out.colors = new Int32Array(g.n);
    for (let v = 0; v < g.n; v++) out.colors[p[v]] = g.colors[v];
  }
  if (g.edgeColors) out.edgeColors = g.edgeColors;
  return out;
}
