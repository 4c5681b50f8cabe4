// `npm run bench:browser [-- --quick] [--trials N] [--filter TERM]...`: the benchmark
// suite in Debian's Chromium (driven by playwright-core; never a downloaded browser),
// on the page of bench/serve.mjs (cross-origin isolated, 2 Web Workers). Writes
// bench/results/browser.json (or --json FILE), with this machine's load average at
// the end of the run, and a screenshot next to it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

export const CHROMIUM = '/usr/bin/chromium';
/** Chromium's flags, as test/browser.test.ts launches it. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Launch Chromium on a fresh profile: { context, close }. The persistent context
 * accepts downloads (the page's "Download JSON").
 */
export async function launchChromium() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'minframe-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The page's query for these options. */
export function pageQuery({ quick = false, trials, filter = [] } = {}) {
  const q = new URLSearchParams({ auto: '1' });
  if (quick) q.set('quick', '1');
  if (trials) q.set('trials', String(trials));
  for (const f of filter) q.append('filter', f);
  return `?${q}`;
}

/** Run the suite on the page and resolve with its results; progress goes to `log`. */
export async function runInPage(page, url, options = {}, log = () => {}) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}${pageQuery(options)}`);
  let last = '';
  for (;;) {
    const s = await page.evaluate(() => ({ state: globalThis.bench?.state, status: document.getElementById('status')?.textContent ?? '', error: globalThis.bench?.error }));
    if (s.status !== last) log(s.status);
    last = s.status;
    if (s.state === 'done') break;
    if (s.state === 'error' || errors.length) throw new Error(`the benchmark page failed: ${s.error ?? errors.join('\n')}`);
    await page.waitForTimeout(250);
  }
  return page.evaluate(() => globalThis.bench.results);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const value = (flag) => argv[argv.indexOf(flag) + 1];
  const options = {
    quick: argv.includes('--quick'),
    trials: argv.includes('--trials') ? Number(value('--trials')) : undefined,
    filter: argv.flatMap((a, i) => (a === '--filter' ? [argv[i + 1]] : [])),
  };
  const out = argv.includes('--json') ? value('--json') : fileURLToPath(new URL('./results/browser.json', import.meta.url));
  const { url, close } = await startServer();
  const chrome = await launchChromium();
  try {
    const page = await chrome.context.newPage();
    const results = await runInPage(page, url, options, (s) => process.stderr.write(`bench:browser: ${s}\n`));
    // a page cannot read the load average; the machine running it can
    results.machine.loadAverage = loadavg();
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 1)}\n`);
    await page.screenshot({ path: out.replace(/\.json$/, '') + '.png', fullPage: true });
    process.stderr.write(`bench:browser: wrote ${out}\n`);
  } finally {
    await chrome.close();
    await close();
  }
}
