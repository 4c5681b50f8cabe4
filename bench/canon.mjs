// Canonical labeling against nauty's labelg (dense nauty and Traces, -t) on the
// same graphs, per graph: G(n, 0.3) and random 3-regular graphs, n = 10, 30, 50, 100.
//
//   npm run build:wasm && node --expose-gc bench/canon.mjs
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
          const batch = lib.packGraphs(k, arena, checked);
          return timeIt(batch.run, { items: count, repeat: REPEAT, minMs: 50 });
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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await benchCanon();
  console.log('Canonical labeling, µs per graph: median (min–max); nauty start-up subtracted\n');
  console.log(canonTable(rows));
}
