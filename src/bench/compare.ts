/**
 * Two results side by side: rows matched on suite, group, method, n, d, input,
 * backbone and threads, with the ratio of their median times (b ÷ a: above 1, b
 * is slower). Used by `minframe bench --compare a.json b.json` and by the
 * benchmark page against an uploaded file.
 */
import type { Results, Row } from './suite.js';
import { num, ratio, table } from './tables.js';

export const MATCH_FIELDS = ['suite', 'group', 'method', 'n', 'd', 'input', 'backbone', 'threads'] as const;

export interface Matched {
  a: Row;
  b: Row;
  /** b's median time ÷ a's. */
  ratio: number;
}

export interface Comparison {
  matched: Matched[];
  /** Rows only a (or only b) has. */
  onlyA: Row[];
  onlyB: Row[];
}

/** The fields rows are matched on, as one string. */
export function matchKey(r: Row): string {
  return JSON.stringify(MATCH_FIELDS.map((f) => r[f]));
}

export function compareResults(a: Results, b: Results): Comparison {
  const byKey = new Map(b.rows.map((r) => [matchKey(r), r]));
  const matched: Matched[] = [];
  const onlyA: Row[] = [];
  for (const r of a.rows) {
    const s = byKey.get(matchKey(r));
    if (!s) {
      onlyA.push(r);
      continue;
    }
    byKey.delete(matchKey(r));
    matched.push({ a: r, b: s, ratio: s.usPerSet.median / r.usPerSet.median });
  }
  return { matched, onlyA, onlyB: [...byKey.values()] };
}

/** A row's name in one cell: "canonicalize O(3) n=128 threads=2", the fields that apply. */
export function rowName(r: Row): string {
  const parts = [r.suite, r.group];
  if (r.method && r.method !== 'mfa') parts.push(r.method);
  if (r.method === 'mfa' && r.suite === 'equivariance') parts.push('mfa');
  parts.push(`n=${r.n}`);
  if (r.input !== 'generic' && r.input !== 'gnp') parts.push(r.input);
  if (r.backbone && r.backbone !== 'free') parts.push(r.backbone);
  if (r.threads !== null && r.suite !== 'equivariance' && r.suite !== 'labeling') parts.push(`threads=${r.threads}`);
  return parts.join(' ');
}

/** The matched rows as a markdown table, with the geometric mean of the ratios. */
export function comparisonTable(c: Comparison, names: [string, string]): string {
  const body = c.matched.map((m) => [rowName(m.a), num(m.a.usPerSet.median), num(m.b.usPerSet.median), ratio(m.b.usPerSet.median, m.a.usPerSet.median)]);
  const logs = c.matched.map((m) => Math.log(m.ratio)).filter(Number.isFinite);
  const geo = logs.length ? Math.exp(logs.reduce((s, v) => s + v, 0) / logs.length) : NaN;
  const lines = [
    table(['row', `${names[0]} µs`, `${names[1]} µs`, `${names[1]} ÷ ${names[0]}`], body),
    '',
    `${c.matched.length} rows matched; geometric mean of the ratios ${Number.isFinite(geo) ? `${geo.toFixed(3)}×` : '—'}; ${c.onlyA.length} only in ${names[0]}, ${c.onlyB.length} only in ${names[1]}.`,
  ];
  return lines.join('\n');
}
