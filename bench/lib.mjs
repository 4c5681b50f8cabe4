// Timing helpers shared by every benchmark: warm up, repeat, report min/median/max.
import { performance } from 'node:perf_hooks';

/**
 * Time `fn` (which processes `items` items per call). Warm-up runs until the JIT
 * has settled (at least `warmupMs`), then `repeat` timed runs, each calling fn
 * until `minMs` have passed so timer resolution does not matter.
 * Returns microseconds per item: { median, min, max, runs }.
 */
export function timeIt(fn, { items = 1, repeat = 21, warmupMs = 400, minMs = 10 } = {}) {
  collectGarbage();
  const w0 = performance.now();
  do fn();
  while (performance.now() - w0 < warmupMs);
  const runs = [];
  for (let i = 0; i < repeat; i++) {
    let calls = 0;
    const t0 = performance.now();
    let t1 = t0;
    do {
      fn();
      calls++;
      t1 = performance.now();
    } while (t1 - t0 < minMs);
    runs.push(((t1 - t0) * 1000) / (calls * items));
  }
  return summarize(runs);
}

/** Async variant for calls that return promises (worker pools). */
export async function timeAsync(fn, { items = 1, repeat = 7, warmup = 1 } = {}) {
  collectGarbage();
  for (let i = 0; i < warmup; i++) await fn();
  const runs = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await fn();
    runs.push(((performance.now() - t0) * 1000) / items);
  }
  return summarize(runs);
}

/**
 * Time several calls side by side: each round runs every one of `fns` once, in turn,
 * so load from elsewhere on the machine falls on all of them alike and their ratios
 * stay meaningful on a shared machine. Returns µs per item for each: { median, min, max, runs }.
 * With `rounds`, also each function's times round by round (`rounds[k][r]`), for
 * ratios taken within a round, which cancel the machine's drift between rounds.
 */
export async function timeInterleaved(fns, { items = 1, repeat = 15, warmup = 2, rounds = false } = {}) {
  const names = Object.keys(fns);
  const runs = Object.fromEntries(names.map((k) => [k, []]));
  collectGarbage();
  for (let r = 0; r < warmup + repeat; r++) {
    for (const k of names) {
      const t0 = performance.now();
      await fns[k]();
      if (r >= warmup) runs[k].push(((performance.now() - t0) * 1000) / items);
    }
  }
  const out = Object.fromEntries(names.map((k) => [k, summarize(runs[k])]));
  return rounds ? { ...out, rounds: runs } : out;
}

/** Start each measurement with a clean heap, so one benchmark's garbage is not collected on another's clock (node --expose-gc). */
function collectGarbage() {
  globalThis.gc?.();
}

export function summarize(runs) {
  const s = [...runs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], runs: s.length };
}

/** "12.3 (11.9–14.0)": median with the spread. */
export function fmt(t, digits = 2) {
  const f = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(digits));
  return `${f(t.median)} (${f(t.min)}–${f(t.max)})`;
}

export function ratio(a, b) {
  const r = a / b;
  return r >= 100 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;
}

/** A markdown table from a header row and body rows. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Import TypeScript sources in Node: `entry` (a path) bundled with esbuild into
 * bench/.cache/`name`, packages left external; `contents` instead bundles that
 * module text, resolved from the repository's root.
 */
export async function loadTs(entry, name, contents) {
  const { build } = await import('esbuild');
  const root = new URL('..', import.meta.url).pathname;
  const outfile = new URL(`./.cache/${name}`, import.meta.url).pathname;
  await build({
    ...(contents === undefined ? { entryPoints: [entry] } : { stdin: { contents, resolveDir: root, loader: 'ts' } }),
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return import(`${outfile}?${Date.now()}`);
}
