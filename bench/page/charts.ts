/**
 * The benchmark charts as Vega-Lite specs built from suite results: the page
 * renders them in the browser (SVG renderer), bench/report.mjs renders the same
 * specs to SVG files headless in Node (vega's toSVG, no canvas needed).
 */
import type { Results, Row } from '../../src/bench/suite.js';
import type { Comparison } from '../../src/bench/compare.js';
import { rowName } from '../../src/bench/compare.js';

// Vega-Lite's TopLevelSpec is a deep union; the specs here are plain JSON values
export type Spec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const METHOD_ORDER = ['plain', 'mfa', 'fa', 'sfa', 'ifa'];
const METHOD_NAMES: Record<string, string> = { plain: 'plain', mfa: 'MFA', fa: 'FA', sfa: 'SFA', ifa: 'iFA' };
/** Errors are drawn on a log scale; exact zeros sit at this floor. */
const ERROR_FLOOR = 1e-18;

function flat(r: Row, runtime: string): Record<string, unknown> {
  return {
    runtime, suite: r.suite, group: r.group, method: METHOD_NAMES[r.method ?? ''] ?? r.method, n: r.n, input: r.input, backbone: r.backbone,
    threads: r.threads === 0 ? 'calling thread' : `${r.threads} worker${r.threads === 1 ? '' : 's'}`,
    us: r.usPerSet.median, usMin: r.usPerSet.min, usMax: r.usPerSet.max, ms: r.usPerSet.median / 1000,
    error: r.equivarianceError === null ? null : Math.max(r.equivarianceError, ERROR_FLOOR), errorRaw: r.equivarianceError,
    frameSize: r.frameSize, modelCalls: r.modelCalls,
  };
}

/** The power of ten at or below the smallest positive value: where log-scale bars start. */
function logFloor(values: Record<string, unknown>[], field: string): number {
  const v = values.map((d) => d[field] as number).filter((x) => x > 0);
  return v.length ? 10 ** Math.floor(Math.log10(Math.min(...v))) : 1;
}

const base = (title: string, values: Record<string, unknown>[]): Spec => ({
  $schema: SCHEMA,
  title,
  data: { values },
  config: { font: 'sans-serif', view: { stroke: '#ddd' }, axis: { labelFontSize: 11, titleFontSize: 12 } },
});

/** Per-set time against n (log–log) for every family on the calling thread: canonicalize and average side by side. */
export function timeVsN(results: Results): Spec {
  const values = results.rows.filter((r) => (r.suite === 'canonicalize' || r.suite === 'average') && r.method === 'mfa' && r.threads === 0).map((r) => flat(r, results.runtime));
  return {
    ...base(`Time per set against n (${results.runtime}, calling thread)`, values),
    facet: { column: { field: 'suite', type: 'nominal', title: null, sort: ['canonicalize', 'average'] } },
    spec: {
      width: 300,
      height: 260,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'n', type: 'quantitative', scale: { type: 'log' }, axis: { values: [16, 128, 1024] }, title: 'n (points, or vertices)' },
        y: { field: 'us', type: 'quantitative', scale: { type: 'log' }, title: 'µs per set (median)' },
        color: { field: 'group', type: 'nominal', title: 'group', scale: { scheme: 'tableau20' } },
        tooltip: [{ field: 'group' }, { field: 'n' }, { field: 'us', format: '.3g', title: 'µs' }, { field: 'usMin', format: '.3g' }, { field: 'usMax', format: '.3g' }],
      },
    },
  };
}

/** Per-set time on the calling thread and on 1 and 2 workers, at the largest n measured. */
export function threadsChart(results: Results): Spec {
  const rows = results.rows.filter((r) => (r.suite === 'canonicalize' || r.suite === 'average') && r.method === 'mfa');
  const n = Math.max(...rows.map((r) => r.n));
  const values = rows.filter((r) => r.n === n).map((r) => flat(r, results.runtime));
  const floor = logFloor(values, 'us');
  return {
    ...base(`Threads: time per set at n = ${n} (${results.runtime})`, values),
    facet: { row: { field: 'suite', type: 'nominal', title: null, sort: ['canonicalize', 'average'] } },
    spec: {
      width: 620,
      height: 180,
      mark: 'bar',
      encoding: {
        x: { field: 'group', type: 'nominal', title: null, sort: null, axis: { labelAngle: -30 } },
        xOffset: { field: 'threads', type: 'nominal', sort: ['calling thread', '1 worker', '2 workers'] },
        y: { field: 'us', type: 'quantitative', scale: { type: 'log', domainMin: floor }, title: 'µs per set (median)' },
        y2: { datum: floor },
        color: { field: 'threads', type: 'nominal', sort: ['calling thread', '1 worker', '2 workers'], title: 'where' },
        tooltip: [{ field: 'group' }, { field: 'threads' }, { field: 'us', format: '.3g', title: 'µs' }],
      },
    },
  };
}

function comparisonValues(results: Results): Record<string, unknown>[] {
  return results.rows.filter((r) => r.suite === 'equivariance' && r.backbone !== 'all').map((r) => flat(r, results.runtime));
}

/**
 * The O(6) comparison as bars per method and backbone, generic and degenerate
 * inputs side by side: `field` on a log scale, bars starting at `floor`.
 */
function comparisonBars(results: Results, title: string, field: string, yTitle: string, floor: number, tooltip: Record<string, unknown>[]): Spec {
  return {
    ...base(`O(6), n = 128: ${title} (${results.runtime})`, comparisonValues(results)),
    facet: { column: { field: 'input', type: 'nominal', title: null, sort: ['generic', 'degenerate'] } },
    spec: {
      width: 300,
      height: 220,
      mark: 'bar',
      encoding: {
        x: { field: 'method', type: 'nominal', sort: METHOD_ORDER.map((m) => METHOD_NAMES[m]), title: null, axis: { labelAngle: 0 } },
        xOffset: { field: 'backbone', type: 'nominal' },
        y: { field, type: 'quantitative', scale: { type: 'log', domainMin: floor }, title: yTitle },
        y2: { datum: floor },
        color: { field: 'backbone', type: 'nominal' },
        tooltip: [{ field: 'method' }, { field: 'backbone' }, ...tooltip],
      },
    },
  };
}

/** The O(6) comparison: ms per forward for each method and backbone. */
export function methodsTime(results: Results): Spec {
  return comparisonBars(results, 'time per forward', 'ms', 'ms per forward (median over trials)', logFloor(comparisonValues(results), 'ms'),
    [{ field: 'ms', format: '.3g' }, { field: 'modelCalls', title: 'model calls' }]);
}

/** The O(6) comparison: mean equivariance error (log scale; exact zeros at 1e-18). */
export function methodsError(results: Results): Spec {
  return comparisonBars(results, 'equivariance error E‖g·f(x) − f(g·x)‖₁', 'error', 'mean error (float64)', ERROR_FLOOR, [{ field: 'errorRaw', format: '.3g', title: 'error' }]);
}

/** Two results' median times, row by row (log–log; the diagonal is equal speed). */
export function comparisonChart(c: Comparison, names: [string, string]): Spec {
  const values = c.matched.map((m) => ({ row: rowName(m.a), suite: m.a.suite, a: m.a.usPerSet.median, b: m.b.usPerSet.median, ratio: m.ratio }));
  const all = values.flatMap((v) => [v.a, v.b]);
  const lo = Math.min(...all), hi = Math.max(...all);
  return {
    ...base(`${names[1]} against ${names[0]}: µs per set, row by row`, values),
    width: 420,
    height: 420,
    layer: [
      {
        data: { values: [{ a: lo, b: lo }, { a: hi, b: hi }] },
        mark: { type: 'line', color: '#999', strokeDash: [4, 4] },
        encoding: { x: { field: 'a', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'b', type: 'quantitative', scale: { type: 'log' } } },
      },
      {
        mark: { type: 'point', filled: true, opacity: 0.7 },
        encoding: {
          x: { field: 'a', type: 'quantitative', scale: { type: 'log' }, title: `${names[0]}: µs (median)` },
          y: { field: 'b', type: 'quantitative', scale: { type: 'log' }, title: `${names[1]}: µs (median)` },
          color: { field: 'suite', type: 'nominal' },
          tooltip: [{ field: 'row' }, { field: 'a', format: '.3g' }, { field: 'b', format: '.3g' }, { field: 'ratio', format: '.3f', title: `${names[1]} ÷ ${names[0]}` }],
        },
      },
    ],
  };
}

/** The charts of one result, by name (file names of bench/report/, element ids on the page). */
export function resultCharts(results: Results): Record<string, Spec> {
  const charts: Record<string, Spec> = {};
  const has = (f: (r: Row) => boolean) => results.rows.some(f);
  if (has((r) => (r.suite === 'canonicalize' || r.suite === 'average') && r.threads === 0)) charts['time-vs-n'] = timeVsN(results);
  if (has((r) => (r.suite === 'canonicalize' || r.suite === 'average') && (r.threads ?? 0) > 0)) charts.threads = threadsChart(results);
  if (has((r) => r.suite === 'equivariance')) {
    charts['methods-time'] = methodsTime(results);
    charts['methods-error'] = methodsError(results);
  }
  return charts;
}
