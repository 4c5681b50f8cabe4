// Canonical labeling against nauty's labelg (dense nauty and Traces, -t) on the
// same graphs, per graph: G(n, 0.3) and random 3-regular graphs, n = 10, 30, 50, 100.
//
//   npm run build:wasm && node --expose-gc bench/canon.mjs [small | large | percall]
//
// (--expose-gc: each measurement starts from a collected heap, so garbage of the
// previous row is not collected on this row's clock; npm run bench passes it.)
// minframe is timed in process (src/ bundled on the fly with esbuild, so no dist/
// is needed): the whole public call (validation, CSR conversion, kernel, results
// with the canonical matrix) and the kernel alone on a batch already in WASM
// memory. labelg is timed as a process over a file of many graphs and over a file
// of one graph (warm-up, then repeated runs); the difference divided by the extra
// graphs removes process start-up, I/O of graph6 included as for any labelg use.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { timeIt, summarize, fmt, table, loadTs } from './lib.mjs';
import * as sym from '../test/helpers/symmetric.mjs';
import { dreadnaut, layered } from '../test/fixtures/nauty/dreadnaut.mjs';
import { MOLECULES, moleculeGraph } from '../test/fixtures/molecules/generate.mjs';

const SIZES = [10, 30, 50, 100];
const FAMILIES = [
  ['G(n,0.3)', (n) => ['-P3/10', String(n)]],
  ['3-regular', (n) => ['-r3', String(n)]],
];
/** Graphs per set: enough that labelg's per-graph time dwarfs its start-up. */
const COUNT = { 10: 4000, 30: 2000, 50: 1000, 100: 400 };
const REPEAT = 9;

/** The library from source: canon.ts, the WASM loader, and the graph6 reader of the tests. */
function load() {
  return loadTs(undefined, 'canon.mjs', [
    "export { canonicalLabelings, checkGraph, packGraphs } from './src/graphs/canon.ts';",
    "export { canonicalLabeling } from './src/graphs/canon.ts';",
    "export { canonicalize } from './src/canonicalize.ts';",
    "export { group } from './src/groups.ts';",
    "export { kernels, withArena } from './src/wasm/module.ts';",
    "export { fromGraph6 } from './test/helpers/graphs.ts';",
  ].join('\n'));
}

function hasLabelg() {
  try {
    execFileSync('nauty-labelg', ['-help'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** µs per graph of `labelg args` over `file` (count graphs), start-up removed with `one` (1 graph). */
function timeLabelg(args, file, one, count) {
  const once = (f) => {
    const t0 = performance.now();
    execFileSync('nauty-labelg', ['-q', ...args, f, '/dev/null'], { stdio: 'ignore' });
    return performance.now() - t0;
  };
  once(file);
  once(one);
  const small = [];
  const big = [];
  for (let i = 0; i < REPEAT; i++) {
    small.push(once(one));
    big.push(once(file));
  }
  const base = summarize(small).median;
  return summarize(big.map((t) => ((t - base) * 1000) / (count - 1)));
}

/** Whether this labelg build has Traces (-t). */
function hasTraces(one) {
  try {
    execFileSync('nauty-labelg', ['-q', '-t', one, '/dev/null'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function benchCanon() {
  if (!hasLabelg()) throw new Error('bench/canon.mjs needs nauty (nauty-labelg, nauty-genrang): apt-get install nauty');
  const lib = await load();
  const k = lib.kernels();
  const dir = mkdtempSync(join(tmpdir(), 'minframe-canon-'));
  const rows = [];
  try {
    let seed = 11;
    for (const [family, args] of FAMILIES) {
      for (const n of SIZES) {
        const count = COUNT[n];
        const g6 = execFileSync('nauty-genrang', ['-g', '-q', `-S${seed++}`, ...args(n), String(count)], { encoding: 'utf8' }).trim().split('\n');
        const file = join(dir, 'many.g6');
        const one = join(dir, 'one.g6');
        writeFileSync(file, g6.join('\n') + '\n');
        writeFileSync(one, g6[0] + '\n');
        const inputs = g6.map((s) => {
          const { n: m, a } = lib.fromGraph6(s);
          return { adjacency: a, n: m };
        });
        const api = timeIt(() => lib.canonicalLabelings(inputs, k), { items: count, repeat: REPEAT, minMs: 50 });
        const checked = inputs.map((g, i) => lib.checkGraph(g, i));
        const kernel = lib.withArena(k, 'canon_label', (arena) => {
          const batch = lib.packGraphs(arena, checked);
          return timeIt(() => batch.run(), { items: count, repeat: REPEAT, minMs: 50 });
        });
        const dense = timeLabelg([], file, one, count);
        const traces = hasTraces(one) ? timeLabelg(['-t'], file, one, count) : null;
        const best = Math.min(dense.median, traces?.median ?? Infinity);
        rows.push({
          name: `${family} n=${n}`,
          family,
          n,
          graphs: count,
          minframeMedianUs: api.median,
          min: api.min,
          max: api.max,
          kernelMedianUs: kernel.median,
          labelgDenseUs: dense.median,
          labelgTracesUs: traces?.median ?? null,
          ratio: api.median / best,
          kernelRatio: kernel.median / best,
          timings: { api, kernel, dense, traces },
        });
        console.error(`bench canon: ${family} n=${n} done`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** Sizes and graphs per set of the per-call rows: G(n, 0.3), seeded. */
const PER_CALL = { 10: 400, 50: 200, 100: 100 };

/** The adjacency of a dense 0/1 Int32Array in each array type the API takes, and as CSR. */
const ARRAY_TYPES = [
  ['Int32Array', (a) => a],
  ['Uint8Array', (a) => Uint8Array.from(a)],
  ['Float64Array', (a) => Float64Array.from(a)],
  ['number[]', (a) => Array.from(a)],
  ['CSR', (a, n) => sym.toCSR(edgesOf(a, n))],
];

function edgesOf(a, n) {
  const edges = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (a[i * n + j]) edges.push(i, j);
  return { n, edges: Int32Array.from(edges) };
}

/**
 * Per-call cost of the public API against the labeling kernel alone, per array type
 * of the adjacency, on G(n, 0.3): the kernel on the set packed in WASM memory
 * (canon_label alone), packing it (copy in, conversion to CSR and checks in WASM,
 * then the kernel: what every call pays before any JavaScript of its own),
 * canonicalLabeling and canonicalize called graph by graph (and canonicalize with its
 * canonical form read, which it makes on first read), canonicalLabelings on the whole
 * set, and one read of the n² entries in JavaScript, CPU µs per graph.
 */
export async function benchPerCall() {
  const lib = await load();
  const k = lib.kernels();
  const G = lib.group('graph');
  const rows = [];
  for (const [size, count] of Object.entries(PER_CALL)) {
    const n = Number(size);
    const random = sym.seeded(1000 + n);
    const base = Array.from({ length: count }, () => {
      const a = new Int32Array(n * n);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (random() < 0.3) a[i * n + j] = a[j * n + i] = 1;
      return a;
    });
    const checked = base.map((a, i) => lib.checkGraph({ adjacency: a, n }, i));
    for (const [type, make] of ARRAY_TYPES) {
      const graphs = base.map((a) => make(a, n));
      const adj = type === 'CSR' ? graphs.map((c) => ({ rowPtr: c.rowPtr, col: c.col })) : graphs;
      const inputs = adj.map((a) => ({ adjacency: a, n }));
      const each = (f) => () => {
        for (let g = 0; g < count; g++) f(adj[g]);
      };
      // a reader of its own per type, so its loop sees one array type
      const sum = new Function('a', 'let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s;');
      let sink = 0;
      const t = lib.withArena(k, 'canon_label', (arena) => {
        const batch = lib.packGraphs(arena, checked);
        return timeRounds({
          kernel: () => batch.run(),
          packed: () => {
            const m = arena.mark();
            lib.packGraphs(arena, inputs.map((g, i) => lib.checkGraph(g, i))).run();
            arena.release(m);
          },
          ...(type === 'CSR' ? {} : { read: each((a) => (sink += sum(a))) }),
          labeling: each((a) => lib.canonicalLabeling(a, { n })),
          labelings: () => lib.canonicalLabelings(inputs, k),
          frame: each((a) => lib.canonicalize(G, a, { n })),
          frameCanonical: each((a) => lib.canonicalize(G, a, { n }).canonical),
        }, count);
      });
      rows.push({ n, type, graphs: count, ...t, sink });
      console.error(`bench canon per call: n=${n} ${type} done`);
    }
  }
  return rows.map(({ sink, ...r }) => r);
}

/**
 * CPU µs per item of each of `fns` (each call does `items` items), in rounds: every
 * round runs each for at least 20 ms, in turn, so load from elsewhere on the machine
 * falls on all alike; medians over the rounds, and each one's median ratio to the
 * first (`ratio`), taken round by round. CPU time (this process's, collector threads
 * included), not the clock: on a shared machine the clock also counts the time the
 * process waits for a core.
 */
function timeRounds(fns, items, rounds = 11) {
  const names = Object.keys(fns);
  const runs = Object.fromEntries(names.map((k) => [k, []]));
  const cpu = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  globalThis.gc?.();
  for (let r = -1; r < rounds; r++) {
    for (const k of names) {
      // 5 ms untimed first: the collector's work on the garbage of the one before
      // (its threads count in CPU time) falls there, not on this one's clock
      for (const t = performance.now(); performance.now() - t < 5; ) fns[k]();
      let calls = 0;
      const t0 = performance.now();
      const c0 = cpu();
      do {
        fns[k]();
        calls++;
      } while (performance.now() - t0 < 20);
      if (r >= 0) runs[k].push((cpu() - c0) / (calls * items));
    }
  }
  const first = runs[names[0]];
  return Object.fromEntries(names.map((k) => [k, { ...summarize(runs[k]), ratio: summarize(runs[k].map((t, i) => t / first[i])).median }]));
}

/** Markdown table of benchPerCall rows (µs per graph: median (min–max); median ratio to the kernel). */
export function perCallTable(rows) {
  const r = (t) => `${fmt(t)} ${t.ratio.toFixed(2)}×`;
  return table(
    ['G(n, 0.3)', 'adjacency', 'kernel', 'check + CSR + kernel (batch)', 'read n² entries in JS', 'canonicalLabeling', 'canonicalLabelings (batch)', 'canonicalize', 'canonicalize + .canonical'],
    rows.map((x) => [`n=${x.n}`, x.type, fmt(x.kernel), r(x.packed), x.read ? r(x.read) : 'n/a', r(x.labeling), r(x.labelings), r(x.frame), r(x.frameCanonical)]),
  );
}

/** Markdown table of benchCanon rows (µs per graph: median (min–max)). */
export function canonTable(rows) {
  const r2 = (x) => `${x.toFixed(2)}×`;
  return table(
    ['graphs', 'minframe API', 'minframe kernel', 'labelg (nauty)', 'labelg -t (Traces)', 'API ÷ best nauty', 'kernel ÷ best nauty'],
    rows.map((r) => [
      r.name,
      fmt(r.timings.api),
      fmt(r.timings.kernel),
      fmt(r.timings.dense),
      r.timings.traces ? fmt(r.timings.traces) : 'n/a',
      r2(r.ratio),
      r2(r.kernelRatio),
    ]),
  );
}

/**
 * Large graphs with large automorphism groups (test/helpers/symmetric.mjs), one per
 * row, n up to 2·10^4 (each row within about a minute here, oracle included): [name,
 * build].
 */
const LARGE = [
  ['empty n=20000', () => sym.empty(20000)],
  ['complete K1000', () => sym.complete(1000)],
  ['10000 disjoint K2', () => sym.copies(sym.complete(2), 10000)],
  ['5000 disjoint K3', () => sym.copies(sym.complete(3), 5000)],
  // dreadnaut does not finish these in minutes (400 copies of K5 take it 2.4 s, 2000
  // not 120): they are checked against their known group, S(5) or the Petersen
  // graph's (order 120, vertex-transitive) wreathed with S(m), one orbit
  ['2000 disjoint K5', () => sym.copies(sym.complete(5), 2000), transitiveCopies(120n, 2000)],
  ['1000 disjoint Petersen', () => sym.copies(petersen(), 1000), transitiveCopies(120n, 1000)],
  ['path n=20000', () => sym.path(20000)],
  ['cycle n=20000', () => sym.cycle(20000)],
  ['binary tree n=16383', () => sym.binaryTree(13)],
  ['spider 100 arms × 100', () => sym.spider(100, 100)],
  ['caterpillar 2000 × 3 legs of 2', () => sym.caterpillar(2000, 3, 2)],
  ['polyethylene C2000H4002 (colours)', () => sym.alkane(2000)],
  ['grid 50×50', () => sym.grid(50, 50)],
  ['torus 50×50', () => sym.grid(50, 50, true)],
  ['hypercube Q10', () => sym.hypercube(10)],
  ['Paley(401)', () => sym.paley(401)],
  ['Latin square L(Z_17), n=289', () => sym.latinSquare(17)],
  ['CFI over 3-regular n=16 (twisted)', () => sym.cfi(sym.randomRegular(16, 3, 3), true)],
  ['random 3-regular n=5000', () => sym.randomRegular(5000, 3, 7)],
];

/** |Aut| and orbits of m disjoint copies of a connected vertex-transitive graph with |Aut| = a: a^m · m!, one orbit. */
function transitiveCopies(a, m) {
  let aut = a ** BigInt(m);
  for (let i = 2n; i <= BigInt(m); i++) aut *= i;
  return { aut, orbits: (n) => new Int32Array(n) };
}

/** Molecule rows (test/fixtures/molecules/generate.mjs): atoms by element, bonds by order; labelg gets the layered graph. */
const MOLECULE_ROWS = ['benzene', 'adamantane', 'cubane', 'fullerene C60', 'peptide (Gly-Ala-Ser-Phe)×6', 'polyethylene C500H1002'];

async function moleculeRows() {
  const { default: initRDKitModule } = await import('@rdkit/rdkit');
  const RDKit = await initRDKitModule();
  return MOLECULES.filter(([name]) => MOLECULE_ROWS.includes(name)).map(([name, smiles]) => {
    const g = moleculeGraph(RDKit, smiles);
    return [`molecule: ${name}`, () => ({ n: g.n, edges: Int32Array.from(g.edges), colors: Int32Array.from(g.colors), edgeColors: Int32Array.from(g.edgeColors) })];
  });
}

function petersen() {
  return { n: 10, edges: Int32Array.from([0, 1, 1, 2, 2, 3, 3, 4, 4, 0, 0, 5, 1, 6, 2, 7, 3, 8, 4, 9, 5, 7, 7, 9, 9, 6, 6, 8, 8, 5]) };
}

/** sparse6 of a graph (edge list), the format labelg reads for large sparse graphs. */
function sparse6(g) {
  const { n, edges } = g;
  const size = (x) => (x < 63 ? [x + 63] : x < 258048 ? [126, ((x >> 12) & 63) + 63, ((x >> 6) & 63) + 63, (x & 63) + 63] : [126, 126, ...[30, 24, 18, 12, 6, 0].map((s) => ((x / 2 ** s) & 63) + 63)]);
  let k = 1;
  while (1 << k < n) k++;
  const pairs = [];
  for (let i = 0; i < edges.length; i += 2) pairs.push([Math.min(edges[i], edges[i + 1]), Math.max(edges[i], edges[i + 1])]);
  pairs.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const bits = [];
  const put = (b, x) => {
    bits.push(b);
    for (let i = k - 1; i >= 0; i--) bits.push((x >> i) & 1);
  };
  let v = 0;
  for (const [a, b] of pairs) {
    if (b === v) put(0, a);
    else if (b === v + 1) {
      v = b;
      put(1, a);
    } else {
      v = b;
      put(1, b);
      put(0, a);
    }
  }
  const pad = (6 - (bits.length % 6)) % 6;
  if (k < 6 && n === 1 << k && pad >= k && v < n - 1) bits.push(0);
  while (bits.length % 6 !== 0) bits.push(1);
  const out = [':'.charCodeAt(0), ...size(n)];
  for (let i = 0; i < bits.length; i += 6) {
    let x = 0;
    for (let j = 0; j < 6; j++) x = (x << 1) | bits[i + j];
    out.push(x + 63);
  }
  return Buffer.from(out).toString('latin1');
}

/** labelg's -f string for vertex colours (one character per vertex, ascending with the colour id). */
function partitionArg(g) {
  if (!g.colors) return [];
  const ids = [...new Set(g.colors)].sort((a, b) => a - b);
  if (ids.length > 94) throw new Error('too many colours for labelg -f');
  const ch = new Map(ids.map((c, i) => [c, String.fromCharCode(33 + i)]));
  return [`-f${Array.from(g.colors, (c) => ch.get(c)).join('')}`];
}

/**
 * ms per graph of labelg on `file` (`copies` copies of one graph; median of
 * REPEAT_LARGE), start-up (the same file with one copy, `one`) subtracted; past the
 * time limit, { over: ms } (a bound from below: the limit over the copies); null
 * when labelg refuses (-t takes no -f).
 */
function timeLabelgOnce(args, file, tiny, copies) {
  const once = (f) => {
    const t0 = performance.now();
    execFileSync('nauty-labelg', ['-q', ...args, f, '/dev/null'], { stdio: 'ignore', timeout: LABELG_LIMIT, maxBuffer: 1 << 30 });
    return performance.now() - t0;
  };
  try {
    const first = once(file);
    const runs = first > 2000 ? [first] : Array.from({ length: REPEAT_LARGE }, () => once(file));
    const base = summarize(Array.from({ length: 3 }, () => once(tiny))).median;
    return summarize(runs.map((t) => Math.max(0, t - base) / Math.max(1, copies - 1)));
  } catch (e) {
    return e.code === 'ETIMEDOUT' ? { over: LABELG_LIMIT / copies } : null;
  }
}

const LABELG_LIMIT = 10_000;

const REPEAT_LARGE = 11;

const scale = (t, f) => ({ ...t, median: t.median * f, min: t.min * f, max: t.max * f });

/**
 * r's |Aut| and orbits against dreadnaut: nauty (exact |Aut|) when it finishes in
 * 15 s, else Traces (|Aut| to its 10 printed digits).
 */
function oracleCheck(g, r) {
  for (const traces of [false, true]) {
    let oracle;
    try {
      oracle = dreadnaut(g, 15_000, traces);
    } catch (e) {
      if (traces) return `dreadnaut failed (${e.code ?? e.message})`;
      continue;
    }
    const orbits = oracle.orbits.every((o, v) => o === r.orbits[v]);
    const aut = oracle.exact ? oracle.aut === r.sizeExact.toString() : sameRounded(oracle.aut, r.sizeExact);
    const how = oracle.exact ? 'nauty, exact' : 'Traces, 10 digits';
    return aut && orbits ? `ok (${how})` : `DIFFERS (${how}: |Aut| ${oracle.aut}${orbits ? '' : ', orbits'})`;
  }
}

/** r's |Aut| and orbits against a row's known group. */
function knownCheck(g, r, known) {
  const orbits = known.orbits(g.n).every((o, v) => o === r.orbits[v]);
  return r.sizeExact === known.aut && orbits ? 'ok (known group, exact)' : `DIFFERS (known group: |Aut| ${known.aut.toString().length} digits${orbits ? '' : ', orbits'})`;
}

/** Whether Traces' rounded |Aut| ("3.316275092451e5735", or an integer) is x to its printed digits. */
function sameRounded(printed, x) {
  const [m, e] = printed.split('e');
  const digits = x.toString();
  if (e === undefined) return printed === digits;
  if (digits.length - 1 !== Number(e)) return false;
  const lead = Number(`${digits[0]}.${digits.slice(1, 16)}`);
  return Math.abs(lead - Number(m)) <= 1e-9 * lead;
}

/** Large symmetric families, one graph per row, against labelg (dense and Traces), checked against dreadnaut. */
export async function benchCanonLarge(only) {
  if (!hasLabelg()) throw new Error('bench/canon.mjs needs nauty (nauty-labelg, dreadnaut): apt-get install nauty');
  const lib = await load();
  const k = lib.kernels();
  const dir = mkdtempSync(join(tmpdir(), 'minframe-canon-'));
  const rows = [];
  try {
    const tiny = join(dir, 'tiny.s6');
    writeFileSync(tiny, sparse6({ n: 1, edges: new Int32Array(0) }) + '\n');
    for (const [name, build, known] of [...LARGE, ...(await moleculeRows())].filter(([name]) => only === undefined || only.split(',').some((o) => name.includes(o)))) {
      const g = build();
      const csr = sym.toCSR(g);
      const input = [{ adjacency: { rowPtr: csr.rowPtr, col: csr.col }, n: g.n, colors: g.colors, edgeColors: g.edgeColors ? csr.edgeColors : undefined }];
      let r = lib.canonicalLabelings(input, k)[0];
      const t0 = performance.now();
      r = lib.canonicalLabelings(input, k)[0];
      const once = performance.now() - t0;
      // small graphs: timeIt's repeated calls (µs → ms); large ones call by call, after
      // warm-up calls (≥ 300 ms, or 10 calls) as timeIt does: the first calls on a
      // large graph run much of its TypeScript unoptimized, which labelg, compiled, does
      // not — the second call's time is kept beside it. The heap is collected once
      // before the calls, not before each: a forced full collection leaves the next
      // call to fault in fresh memory again, which no loop of calls pays (a binary
      // tree of 16383 vertices took 9.0 ms after one, 3.1 ms without); the collections
      // a call's own garbage causes fall on the calls' clock as they would in use.
      let ours;
      if (once < 20) ours = scale(timeIt(() => lib.canonicalLabelings(input, k), { repeat: 11, minMs: 50 }), 1e-3);
      else {
        for (let calls = 0, w0 = performance.now(); once <= 5000 && calls < 10 && performance.now() - w0 < 300; calls++) lib.canonicalLabelings(input, k);
        globalThis.gc?.();
        ours = summarize(Array.from({ length: once > 5000 ? 1 : REPEAT_LARGE }, () => {
          const t = performance.now();
          lib.canonicalLabelings(input, k);
          return performance.now() - t;
        }));
      }
      // labelg takes no edge colours: the layered graph (dreadnaut.mjs) stands in;
      // graphs are timed over copies in one file (about 10^6 vertices and edges in all,
      // so that start-up noise is small against it), less one copy
      const plain = g.edgeColors ? layered(g) : g;
      const copies = Math.max(1, Math.min(2000, Math.floor(1e6 / (plain.n + plain.edges.length))));
      const line = sparse6(plain) + '\n';
      const file = join(dir, 'g.s6');
      const one = join(dir, 'one.s6');
      writeFileSync(file, line.repeat(copies));
      writeFileSync(one, line);
      const base = copies > 1 ? one : tiny;
      const f = partitionArg(plain);
      const dense = timeLabelgOnce(f, file, base, copies);
      const traces = f.length > 0 ? null : timeLabelgOnce(['-t'], file, base, copies);
      const check = known ? knownCheck(g, r, known) : oracleCheck(g, r);
      const best = Math.min(dense?.median ?? Infinity, traces?.median ?? Infinity);
      // where both timed out, the ratio is bounded from above by their bounds
      const over = Math.min(dense?.over ?? Infinity, traces?.over ?? Infinity);
      const ratioBelow = best === Infinity && over < Infinity ? ours.median / over : undefined;
      rows.push({ name, n: g.n, aut: r.sizeExact.toString(), ours, second: once, dense, traces, ratio: ours.median / best, ratioBelow, check });
      console.error(`bench canon large: ${name}: ${ours.median.toFixed(1)} ms, nauty ${labelg(dense)}, Traces ${labelg(traces)}, ${check}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** A labelg time for the table: median (min–max), "> bound (timed out)", or n/a. */
const labelg = (t) => (!t ? 'n/a' : t.over !== undefined ? `> ${t.over.toPrecision(3)} (timed out)` : fmt(t));

/** Markdown table of benchCanonLarge rows (ms per graph: median (min–max)). */
export function canonLargeTable(rows) {
  const digits = (a) => (a.length > 14 ? `${a[0]}.${a.slice(1, 4)}e${a.length - 1}` : a);
  return table(
    ['graph', 'n', '\\|Aut\\|', 'minframe API', 'its 2nd call', 'labelg (nauty)', 'labelg -t (Traces)', 'minframe ÷ best', 'vs dreadnaut'],
    // (no ratio where labelg gave no time, or a time below its start-up noise)
    rows.map((r) => [
      r.name, String(r.n), digits(r.aut), fmt(r.ours), r.second === undefined ? '—' : r.second.toPrecision(3), labelg(r.dense), labelg(r.traces),
      Number.isFinite(r.ratio) && r.ratio > 0 ? `${r.ratio.toFixed(2)}×` : r.ratioBelow !== undefined ? `< ${r.ratioBelow.toPrecision(2)}×` : 'n/a', r.check,
    ]),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const only = process.argv[2];
  if (only === 'percall') {
    console.log('Per-call cost against the kernel, CPU µs per graph: median (min–max), median ratio to the kernel\n');
    console.log(perCallTable(await benchPerCall()));
    process.exit(0);
  }
  if (only !== 'large') {
    const rows = await benchCanon();
    console.log('Canonical labeling, µs per graph: median (min–max); nauty start-up subtracted\n');
    console.log(canonTable(rows));
  }
  if (only !== 'small') {
    const large = await benchCanonLarge(process.argv[3]);
    console.log('\nLarge symmetric graphs, ms per graph: median (min–max); nauty start-up subtracted; |Aut| and orbits checked against dreadnaut\n');
    console.log(canonLargeTable(large));
  }
}
