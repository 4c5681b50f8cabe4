/**
 * The benchmark suite (src/bench/) in quick mode, in Node through `minframe bench`'s
 * runBenchCommand and in Debian's Chromium on the benchmark page (bench/page/,
 * served with COOP/COEP by bench/serve.mjs): both write results that follow the
 * schema, with the rows every runtime must have. No timing assertions: only
 * shapes, model calls, frame sizes and MFA's equivariance at float64 round-off.
 * The page must also draw its charts, download its JSON and compare an uploaded
 * file; its screenshot is kept as test-results/bench-page.png. `npm test` builds
 * dist/ first (the page uses the browser bundle).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { parseBenchArgs, runBenchCommand } from '../src/bench/command.js';
import { check, validateResults } from '../src/bench/schema.js';
import { caseMatches, EQUIVARIANCE, FAMILIES, SIZES, type Results } from '../src/bench/suite.js';
import { BACKBONES } from '../src/bench/backbones.js';
import { compareResults } from '../src/bench/compare.js';
import { startServer } from '../bench/serve.mjs';
import { CHROMIUM, launchChromium, runInPage } from '../bench/browser.mjs';

const dir = mkdtempSync(join(tmpdir(), 'minframe-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the command with stdout and stderr captured. */
async function command(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await runBenchCommand(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** What every quick run must hold, in any runtime. */
function expectComplete(r: Results, runtime: 'node' | 'browser'): void {
  expect(validateResults(r)).toEqual([]);
  expect(r.runtime).toBe(runtime);
  expect(r.options).toEqual({ quick: true, trials: 1, filter: [] });
  const find = (q: Partial<Results['rows'][number]>) => r.rows.filter((row) => Object.entries(q).every(([k, v]) => row[k as keyof typeof row] === v));
  for (const { spec } of FAMILIES) {
    for (const n of SIZES) {
      for (const threads of [0, 1, 2]) {
        expect(find({ suite: 'canonicalize', group: spec, method: 'mfa', n, threads }), `${spec} n=${n} threads=${threads}`).toHaveLength(1);
        const [a] = find({ suite: 'average', group: spec, method: 'mfa', n, threads });
        expect(a.modelCalls).toBe(1);
      }
    }
  }
  expect(find({ suite: 'canonicalize', group: 'O(3)', method: 'fa', n: 16 })[0].frameSize).toBe(8);
  expect(find({ suite: 'average', group: 'E(3)', method: 'ifa', n: 128 })[0].modelCalls).toBe(8);
  expect(find({ suite: 'labeling' })).toHaveLength(SIZES.length);
  const comparison = find({ suite: 'equivariance' });
  expect(comparison).toHaveLength(EQUIVARIANCE.inputs.length * EQUIVARIANCE.methods.length * (BACKBONES.length + 1));
  for (const input of EQUIVARIANCE.inputs) {
    for (const backbone of BACKBONES) {
      const row = (method: string) => find({ suite: 'equivariance', input, backbone, method: method as never })[0];
      // float64 round-off for minimal frames, on generic and degenerate inputs alike
      expect(row('mfa').equivarianceError!).toBeLessThan(1e-12);
      expect(row('mfa').modelCalls).toBe(1);
      expect(row('mfa').frameSize).toBe(input === 'generic' ? 1 : 'infinite');
      expect(row('fa').modelCalls).toBe(64);
      expect(row('ifa').frameSize).toBe(64);
      expect(row('sfa').modelCalls).toBe(1);
      expect(row('plain').frameSize).toBeNull();
      if (input === 'generic') expect(row('fa').equivarianceError!).toBeLessThan(1e-12);
    }
  }
  for (const row of find({ backbone: 'all' })) expect(row.totalSeconds).toBeGreaterThan(0);
}

describe('the results schema', () => {
  it('rejects wrong types, missing and unexpected fields, unknown enum values and non-finite numbers', () => {
    const ok = { runtime: 'node', machine: { cores: 2, platform: 'linux-x64', simd: true, crossOriginIsolated: true, loadAverage: null }, date: '2026-12-01T10:00:00.000Z', options: { quick: true, trials: 1, filter: [] }, rows: [] };
    expect(validateResults(ok)).toEqual([]);
    expect(validateResults({ ...ok, runtime: 'deno' })[0]).toMatch(/^\$\.runtime: "deno" is not one of/);
    expect(validateResults({ ...ok, extra: 1 })).toEqual(["$: unexpected 'extra'"]);
    const { date: _date, ...noDate } = ok;
    expect(validateResults(noDate)).toEqual(["$: missing 'date'"]);
    expect(validateResults({ ...ok, machine: { ...ok.machine, cores: 1.5 } })[0]).toMatch(/cores: expected integer, got number/);
    const row = { suite: 'average', group: 'O(3)', method: 'mfa', n: 16, d: 3, input: 'generic', backbone: 'free', threads: 0, usPerSet: { median: 1, min: 1, max: 2 }, frameSize: 'infinite', modelCalls: 1, equivarianceError: null, trials: null, totalSeconds: null };
    expect(validateResults({ ...ok, rows: [row] })).toEqual([]);
    expect(validateResults({ ...ok, rows: [{ ...row, frameSize: 'huge' }] })).toEqual(['$.rows[0].frameSize: matches none of 3 alternatives']);
    expect(validateResults({ ...ok, rows: [{ ...row, usPerSet: { median: NaN, min: 1, max: 2 } }] })[0]).toMatch(/median: NaN is not a finite number/);
    expect(check(-1, { type: 'number', minimum: 0 })).toEqual(['$: -1 < 0']);
  });

  it('filters cases by substrings (all must match) or /regular expressions/', () => {
    const key = 'canonicalize SO(3) mfa n=128 generic - threads=2';
    expect(caseMatches(key, [])).toBe(true);
    expect(caseMatches(key, ['so(3)', 'threads=2'])).toBe(true);
    expect(caseMatches(key, ['so(3)', 'threads=1'])).toBe(false);
    expect(caseMatches(key, ['/^canonicalize S?O\\(3\\)/'])).toBe(true);
    expect(caseMatches(key, ['/^average/'])).toBe(false);
  });

  it('parses the command line', () => {
    expect(parseBenchArgs(['--quick', '--json', 'a.json', '--filter', 'O(3)', '--filter', 'n=16', '--trials', '5'])).toEqual({ quick: true, json: 'a.json', filter: ['O(3)', 'n=16'], trials: 5 });
    expect(parseBenchArgs(['--compare', 'a.json', 'b.json'])).toEqual({ quick: false, filter: [], compare: ['a.json', 'b.json'] });
    expect(parseBenchArgs(['--trials', '0'])).toBe("unknown or incomplete option '--trials'");
    expect(parseBenchArgs(['--compare', 'a.json'])).toBe("unknown or incomplete option '--compare'");
  });
});

describe('minframe bench in Node', () => {
  const file = join(dir, 'node.json');
  let results: Results;

  it('--quick --json runs every suite and writes results that follow the schema', async () => {
    const r = await command(['--quick', '--json', file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Measured by minframe bench: node on \d+ cores/);
    expect(r.out).toContain("#### The reference's loop against its recorded times");
    results = JSON.parse(readFileSync(file, 'utf8'));
    expectComplete(results, 'node');
  }, 120_000);

  it('--compare matches every row of a file with itself; bad files exit 1, bad options 2', async () => {
    const same = await command(['--compare', file, file]);
    expect(same.code).toBe(0);
    expect(same.out).toContain(`${results.rows.length} rows matched; geometric mean of the ratios 1.000×; 0 only in a, 0 only in b.`);
    const c = compareResults(results, { ...results, rows: results.rows.slice(1) });
    expect([c.matched.length, c.onlyA.length, c.onlyB.length]).toEqual([results.rows.length - 1, 1, 0]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...results, runtime: 'deno' }));
    const broken = await command(['--compare', file, bad]);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('does not follow the benchmark results schema');
    expect((await command(['--bogus'])).code).toBe(2);
  });
});

describe('the benchmark page in Chromium', () => {
  let url: string;
  let closeServer: () => Promise<void>;
  let chrome: { context: BrowserContext; close(): Promise<void> };

  beforeAll(async () => {
    // CI installs Debian's chromium; a missing browser is a failure, not a skip.
    if (!existsSync(CHROMIUM)) throw new Error(`the page test needs Chromium at ${CHROMIUM}: apt-get install chromium`);
    ({ url, close: closeServer } = await startServer());
    chrome = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await chrome?.close();
    await closeServer?.();
  });

  it('runs the quick suite on Web Workers, draws its charts, downloads its JSON and compares an upload', async () => {
    const page = await chrome.context.newPage();
    const results = (await runInPage(page, url, { quick: true })) as Results;
    expectComplete(results, 'browser');
    expect(results.machine.crossOriginIsolated).toBe(true);
    // every chart drew SVG marks
    for (const id of ['time-vs-n', 'threads', 'methods-time', 'methods-error']) {
      const marks = await page.locator(`#chart-${id} svg path`).count();
      expect(marks, id).toBeGreaterThan(10);
    }
    expect(await page.locator('#tables table').count()).toBe(5);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const saved = join(dir, 'browser.json');
    await download.saveAs(saved);
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual(results);
    await page.setInputFiles('#upload', saved);
    await page.locator('#chart-compare svg').waitFor();
    const summary = await page.locator('#compare-summary').textContent();
    expect(summary).toContain('browser.json');
    expect(summary).toContain(`${results.rows.length} rows matched; geometric mean of the ratios 1.000×`);
    expect(await page.locator('#compare-table table tbody tr').count()).toBe(results.rows.length);
    expect(await page.locator('#chart-compare svg path').count()).toBeGreaterThan(10);
    expect(await page.locator('#errors').textContent()).toBe('');
    mkdirSync(new URL('../test-results/', import.meta.url), { recursive: true });
    await page.screenshot({ path: new URL('../test-results/bench-page.png', import.meta.url).pathname, fullPage: true });
    await page.close();
  }, 180_000);
});
