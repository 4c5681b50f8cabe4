/**
 * Markdown tables of suite results (src/bench/suite.ts), for the command's output,
 * README.md's Benchmarks section and bench/REPORT.md. Plain functions of the
 * results: they run in Node and in the benchmark page alike.
 */
import { BACKBONES } from './backbones.js';
import { EQUIVARIANCE, FAMILIES, REFERENCE, SIZES, type Results, type Row } from './suite.js';
import type { Timing } from './measure.js';

/** A number in 3 significant digits (whole numbers past 100), or '—'. */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 0.01) return v.toPrecision(3);
  return v.toExponential(1);
}

/** "12.3 (11.9–14.0)": a timing's median with its spread. */
export function timing(t: Timing | null | undefined, scale = 1): string {
  if (!t) return '—';
  return `${num(t.median * scale)} (${num(t.min * scale)}–${num(t.max * scale)})`;
}

/** "2.31×" (whole numbers past 100). */
export function ratio(a: number, b: number): string {
  const r = a / b;
  if (!Number.isFinite(r)) return '—';
  return r >= 100 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;
}

export function table(header: string[], body: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}

/** The row of `rows` with these fields, or undefined. */
function find(rows: Row[], q: Partial<Row>): Row | undefined {
  return rows.find((r) => (Object.keys(q) as (keyof Row)[]).every((k) => r[k] === q[k]));
}

const METHOD_NAMES: Record<string, string> = { plain: 'plain (no averaging)', mfa: 'MFA', fa: 'FA', sfa: 'SFA', ifa: 'iFA' };

/** A frame size as the tables show it. */
function size(v: Row['frameSize']): string {
  return v === 'infinite' ? '∞' : num(v);
}

/**
 * Per-set times of every family: canonicalize and average (free model) on the
 * calling thread and on each engine size measured, µs per set (median and spread).
 */
export function familiesTable(results: Results): string {
  const rows = results.rows.filter((r) => r.suite === 'canonicalize' || r.suite === 'average');
  const threads = [...new Set(rows.map((r) => r.threads!))].sort((a, b) => a - b);
  const label = (t: number) => (t === 0 ? 'calling thread' : `${t} worker${t > 1 ? 's' : ''}`);
  const header = ['group', 'n', 'frame', ...threads.map((t) => `canonicalize, ${label(t)}`), ...threads.map((t) => `average, ${label(t)}`)];
  const body: string[][] = [];
  for (const { spec } of FAMILIES) {
    for (const method of ['mfa', 'fa', 'sfa', 'ifa'] as const) {
      for (const n of SIZES) {
        const cells = (suite: 'canonicalize' | 'average') => threads.map((t) => find(rows, { suite, group: spec, method, n, threads: t }));
        const c = cells('canonicalize'), a = cells('average');
        const any = [...c, ...a].find((r) => r);
        if (!any) continue;
        body.push([method === 'mfa' ? spec : `${spec} ${METHOD_NAMES[method]}`, String(n), size(any.frameSize), ...c.map((r) => timing(r?.usPerSet)), ...a.map((r) => timing(r?.usPerSet))]);
      }
    }
  }
  return table(header, body);
}

/** Canonical labeling per graph (G(n, p), mean degree 8). */
export function labelingTable(results: Results): string {
  const rows = results.rows.filter((r) => r.suite === 'labeling');
  return table(['graph, n vertices', 'µs per graph', 'mean |Aut|'], rows.map((r) => [`G(n, p), n = ${r.n}`, timing(r.usPerSet), size(r.frameSize)]));
}

const INPUT_NAMES: Record<string, string> = { generic: 'generic (Gaussian)', degenerate: 'degenerate (rank 4, 4 equal singular values)' };

function equivarianceRows(results: Results): Row[] {
  return results.rows.filter((r) => r.suite === 'equivariance');
}

/** One table line per (input, method) of the comparison that ran: `cells` of its rows per backbone. */
function perBackbone(results: Results, cells: (per: (Row | undefined)[]) => string[]): string[][] {
  const rows = equivarianceRows(results);
  const body: string[][] = [];
  for (const input of EQUIVARIANCE.inputs) {
    for (const method of EQUIVARIANCE.methods) {
      const per = BACKBONES.map((backbone) => find(rows, { input, method, backbone }));
      if (per.some((r) => r)) body.push([INPUT_NAMES[input], METHOD_NAMES[method], ...cells(per)]);
    }
  }
  return body;
}

/** Time per forward (ms, median over trials and spread) per backbone, with model calls and frame size. */
export function forwardTable(results: Results): string {
  const body = perBackbone(results, (per) => {
    const any = per.find((r) => r)!;
    return [size(any.frameSize), num(any.modelCalls), ...per.map((r) => timing(r?.usPerSet, 1e-3))];
  });
  return table(['input', 'method', 'frame', 'model calls', ...BACKBONES.map((b) => `${b} ms`)], body);
}

/** Mean equivariance error E‖g·f(x) − f(g·x)‖₁ per backbone. */
export function errorTable(results: Results): string {
  return table(['input', 'method', ...BACKBONES.map((b) => `${b} error`)], perBackbone(results, (per) => per.map((r) => num(r?.equivarianceError))));
}

/**
 * The reference's loop (100 trials × 4 backbones) against its published seconds:
 * measured here with results.options.trials trials, scaled to 100 when fewer ran.
 */
export function loopTable(results: Results): string {
  const rows = equivarianceRows(results).filter((r) => r.backbone === 'all');
  const body = rows.filter((r) => r.method !== 'plain').map((r) => {
    const seconds = (r.totalSeconds! * REFERENCE.trials) / r.trials!;
    const ref = (REFERENCE.seconds as Record<string, Record<string, number>>)[r.input]?.[r.method!];
    return [INPUT_NAMES[r.input], METHOD_NAMES[r.method!], `${num(seconds)} s${r.trials === REFERENCE.trials ? '' : ` (${r.trials} trials × ${REFERENCE.trials / r.trials!})`}`, ref === undefined ? '—' : `${ref} s`, ref === undefined ? '—' : ratio(ref, seconds), num(r.equivarianceError)];
  });
  return table(['input', 'method', `minframe, ${REFERENCE.trials} trials × 4 backbones`, 'reference (recorded)', 'reference ÷ minframe', 'mean error (4 backbones)'], body);
}

/** Every table of a result, with headings, as markdown (level-4 headings). */
export function resultTables(results: Results): string {
  const parts: [string, string][] = [];
  const has = (suite: string) => results.rows.some((r) => r.suite === suite);
  if (has('canonicalize') || has('average')) parts.push(['Every group family: µs per set, median (min–max)', familiesTable(results)]);
  if (has('labeling')) parts.push(['Canonical labeling: µs per graph, median (min–max)', labelingTable(results)]);
  if (has('equivariance')) {
    parts.push([`The reference's comparison, O(6), n = ${EQUIVARIANCE.n}: ms per forward, median (min–max) over trials`, forwardTable(results)]);
    parts.push(['The reference\'s comparison: mean equivariance error E‖g·f(x) − f(g·x)‖₁ (float64)', errorTable(results)]);
    parts.push([`The reference's loop against its recorded times (${REFERENCE.source}; its MFA errors are about ${REFERENCE.mfaError})`, loopTable(results)]);
  }
  return parts.map(([title, t]) => `#### ${title}\n\n${t}`).join('\n\n');
}

/** "node, 2 cores, linux-x64, Node v20 (SIMD), load 1.9 / 2.0 / 2.1, 2026-12-02": what a result was measured on. */
export function machineLine(results: Results): string {
  const m = results.machine;
  const who = results.runtime === 'node' ? `Node ${m.node}` : m.userAgent;
  const load = m.loadAverage ? `, load average ${m.loadAverage.map((v) => v.toFixed(2)).join(' / ')}` : '';
  const mode = results.options.quick ? ', quick mode' : '';
  return `${results.runtime} on ${m.cores} cores${m.cpu ? ` (${m.cpu})` : ''}, ${m.platform}, ${who}, ${m.simd ? 'SIMD' : 'scalar'} kernels${m.crossOriginIsolated ? '' : ', not cross-origin isolated'}${load}${mode}, ${results.date.slice(0, 16).replace('T', ' ')} UTC`;
}
