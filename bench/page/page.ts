/**
 * The benchmark page (served by bench/serve.mjs with COOP/COEP, so the engine's
 * Web Workers share memory): runs the suite of src/bench/suite.ts in this tab
 * with live progress, shows its tables and Vega-Lite charts, downloads the
 * results as JSON and compares them with an uploaded results file.
 *
 * URL parameters: quick=1 (small batches, 1 trial), auto=1 (start on load),
 * trials=N, filter=TERM (repeatable). `globalThis.bench` reports the state for
 * scripts (npm run bench:browser, the tests): { state, results, error }.
 */
import * as minframe from 'minframe';
import * as minframeTesting from 'minframe/testing';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { runSuite, type Api, type Machine, type Results, type TestingApi } from '../../src/bench/suite.js';
import { machineLine, resultTables } from '../../src/bench/tables.js';
import { compareResults, comparisonTable } from '../../src/bench/compare.js';
import { asResults } from '../../src/bench/schema.js';
import { comparisonChart, resultCharts, type Spec } from './charts.js';

// the bundle's declarations (dist/types) describe the same API as src/ does
const api = minframe as unknown as Api;
const testing = minframeTesting as unknown as TestingApi;

interface PageState {
  state: 'idle' | 'running' | 'done' | 'error';
  results: Results | null;
  error: string | null;
  /** Charts drawn so far, by id. */
  charts: string[];
}

const status: PageState = { state: 'idle', results: null, error: null, charts: [] };
(globalThis as unknown as { bench: PageState }).bench = status;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

function showError(message: string): void {
  $('errors').textContent += `${message}\n`;
}

window.addEventListener('error', (e) => showError(String(e.message)));
window.addEventListener('unhandledrejection', (e) => showError(String((e.reason as Error)?.stack ?? e.reason)));

/** The markdown of src/bench/tables.ts as HTML: level-4 headings and pipe tables. */
function markdownToHtml(md: string): DocumentFragment {
  const out = document.createDocumentFragment();
  for (const block of md.split(/\n\n+/)) {
    if (block.startsWith('#### ')) {
      const h = document.createElement('h4');
      h.textContent = block.slice(5);
      out.append(h);
      continue;
    }
    const lines = block.split('\n').filter((l) => l.startsWith('|'));
    if (lines.length < 2) {
      const p = document.createElement('p');
      p.className = 'note';
      p.textContent = block;
      out.append(p);
      continue;
    }
    const cells = (l: string) => l.slice(1, -1).split(' | ').map((c) => c.trim());
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const c of cells(lines[0])) head.append(Object.assign(document.createElement('th'), { textContent: c }));
    const body = table.createTBody();
    for (const l of lines.slice(2)) {
      const tr = body.insertRow();
      for (const c of cells(l)) tr.insertCell().textContent = c;
    }
    out.append(table);
  }
  return out;
}

const views = new Map<string, vega.View>();

/** Draw a Vega-Lite spec into #chart-<id> (SVG), replacing what was there. */
async function draw(id: string, spec: Spec): Promise<void> {
  const el = $(`chart-${id}`);
  views.get(id)?.finalize();
  el.replaceChildren();
  const view = new vega.View(vega.parse(compile(spec as never).spec), { renderer: 'svg', container: el, hover: true });
  views.set(id, view);
  await view.runAsync();
  if (!status.charts.includes(id)) status.charts.push(id);
}

async function render(results: Results): Promise<void> {
  $('machine').textContent = machineLine(results);
  $('tables').replaceChildren(markdownToHtml(resultTables(results)));
  for (const [id, spec] of Object.entries(resultCharts(results))) await draw(id, spec);
}

async function machine(): Promise<Machine> {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  return {
    cores: nav.hardwareConcurrency || 1,
    platform: nav.userAgentData?.platform || nav.platform || 'unknown',
    userAgent: nav.userAgent,
    simd: (await api.ready()).simd,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    loadAverage: null,
  };
}

function setRunning(running: boolean): void {
  for (const id of ['run-quick', 'run-full']) $<HTMLButtonElement>(id).disabled = running;
  $<HTMLButtonElement>('download').disabled = running || status.results === null;
}

async function run(quick: boolean): Promise<void> {
  status.state = 'running';
  status.error = null;
  setRunning(true);
  const trials = Number(params.get('trials')) || undefined;
  const filter = params.getAll('filter');
  const date = new Date().toISOString();
  const m = await machine();
  let lastDraw = 0;
  try {
    const rows = await runSuite({
      api, testing, now: () => performance.now(), quick, trials, filter,
      onProgress: ({ done, total, label, rows }) => {
        $<HTMLProgressElement>('progress').max = Math.max(total, 1);
        $<HTMLProgressElement>('progress').value = done;
        $('status').textContent = `${done}/${total} ${label}`;
        // live tables, at most every 2 s (drawing them is not free)
        if (performance.now() - lastDraw > 2000 && rows.length > 0) {
          lastDraw = performance.now();
          $('tables').replaceChildren(markdownToHtml(resultTables({ runtime: 'browser', machine: m, date, options: { quick, trials: trials ?? 1, filter }, rows })));
        }
      },
    });
    status.results = { runtime: 'browser', machine: m, date, options: { quick, trials: trials ?? (quick ? 1 : 100), filter }, rows };
    await render(status.results);
    $('status').textContent = `done: ${rows.length} rows`;
    status.state = 'done';
  } catch (e) {
    status.state = 'error';
    status.error = String((e as Error)?.stack ?? e);
    showError(status.error);
    $('status').textContent = 'failed';
  } finally {
    setRunning(false);
  }
}

function download(): void {
  if (!status.results) return;
  const blob = new Blob([JSON.stringify(status.results, null, 1)], { type: 'application/json' });
  const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: `minframe-bench-browser-${status.results.date.slice(0, 10)}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** An uploaded results file: shown as this page's results when there are none yet, else compared with them. */
async function upload(file: File): Promise<void> {
  try {
    const other = asResults(JSON.parse(await file.text()), file.name);
    if (!status.results) {
      status.results = other;
      await render(other);
      $<HTMLButtonElement>('download').disabled = false;
      $('status').textContent = `showing ${file.name}`;
      return;
    }
    const c = compareResults(status.results, other);
    const names: [string, string] = ['this run', file.name];
    $('compare-section').hidden = false;
    $('compare-summary').textContent = `this run: ${machineLine(status.results)}; ${file.name}: ${machineLine(other)}`;
    // the summary line (the table's last paragraph) stays in view, the rows fold away
    const html = markdownToHtml(comparisonTable(c, names));
    $('compare-summary').append(document.createElement('br'), html.lastChild!.textContent!);
    $('compare-table').replaceChildren(html);
    if (c.matched.length > 0) await draw('compare', comparisonChart(c, names));
  } catch (e) {
    showError((e as Error).message);
  }
}

$('run-quick').addEventListener('click', () => void run(true));
$('run-full').addEventListener('click', () => void run(false));
$('download').addEventListener('click', download);
$<HTMLInputElement>('upload').addEventListener('change', (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) void upload(f);
});

if (params.get('auto') === '1') void run(params.get('quick') === '1');
