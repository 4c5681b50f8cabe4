/**
 * The browser bundle in Debian's Chromium (driven by playwright-core; never a
 * downloaded browser): a page served with COOP/COEP runs a seeded batch on 2 Web
 * Workers through SharedArrayBuffer, and a page without them (no cross-origin
 * isolation) runs it by transfer. Both must equal Node's result bit for bit, also
 * after a call broken by a worker error or an abort. Both pages also run a seeded
 * ragged batch of weighted, coloured graphs on 2 workers, equal to Node's bit for bit.
 * Models on the workers: a module model and the ONNX fixture through onnxruntime-web
 * (its ES module served under ort/), equal to Node's bit for bit.
 * `npm test` builds dist/browser/ first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';
import { canonicalizeBatch, equivariant, invariant, type Model } from '../src/index.js';
import { denseBatch, graphBatch } from './batches.js';
import { BROWSER_BATCH, BROWSER_GRAPHS, BROWSER_MODELS } from './browser/params.js';

const CHROMIUM = '/usr/bin/chromium';
const dist = new URL('../dist/browser/', import.meta.url);
const ONNX = new URL('./fixtures/onnx/model.onnx', import.meta.url);
// exactly rounded models (not Math.sin, whose last bits differ between engines)
const RATIONAL = new URL('./fixtures/models/rational.mjs', import.meta.url);
const STACKED = new URL('./fixtures/models/rational-stacked.mjs', import.meta.url);
/** What the pages load besides the bundle: the models, and onnxruntime-web's ES module build and WASM under ort/. */
const served: Record<string, URL> = { 'model.onnx': ONNX, 'rational.mjs': RATIONAL, 'rational-stacked.mjs': STACKED };
const ortDist = new URL('../node_modules/onnxruntime-web/dist/', import.meta.url);

const HTML = '<!doctype html><meta charset="utf-8"><title>minframe</title><script type="module" src="page.js"></script>';

/** The page's script: test/browser/page.ts with 'minframe' left as an import of the bundle next to it. */
async function buildPage(): Promise<string> {
  const out = await build({
    entryPoints: [new URL('./browser/page.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
    plugins: [{ name: 'minframe-bundle', setup: (b) => b.onResolve({ filter: /^minframe$/ }, () => ({ path: './index.js', external: true })) }],
  });
  return out.outputFiles[0].text;
}

/**
 * Serves the page and dist/browser/ on 127.0.0.1: under /isolated/ with COOP
 * same-origin and COEP require-corp (cross-origin isolated: SharedArrayBuffer),
 * under /plain/ without them, and under /broken/ without worker.js; the models and
 * onnxruntime-web (ort/) beside them.
 */
function serve(pageJs: string): Promise<Server> {
  const types: Record<string, string> = { html: 'text/html', js: 'text/javascript', mjs: 'text/javascript', wasm: 'application/wasm', map: 'application/json' };
  const from = (file: string) => (file.startsWith('ort/') ? new URL(file.slice(4), ortDist) : served[file] ?? new URL(file, dist));
  const server = createServer((req, res) => {
    const m = /^\/(isolated|plain|broken)\/((?:ort\/)?[\w.-]*)$/.exec(req.url ?? '');
    const file = m?.[2] || 'index.html';
    const body = !m || (m[1] === 'broken' && file === 'worker.js') ? undefined : file === 'index.html' ? HTML : file === 'page.js' ? pageJs : existsSync(from(file)) ? readFileSync(from(file)) : undefined;
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': types[file.split('.').pop() ?? ''] ?? 'application/octet-stream', 'cache-control': 'no-store' };
    if (m?.[1] === 'isolated') Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    res.writeHead(200, headers).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface PageResult {
  graphs: { workersThatRan: number; sizesExact: string[]; arrays: Record<'canonical' | 'permutations' | 'orbits' | 'sizes' | 'generators' | 'generatorOffsets', string> } | null;
  interrupted: { name: string; message: string } | null;
  crossOriginIsolated: boolean;
  threads: number;
  sharedResult: boolean;
  workersThatRan: number;
  arrays: Record<'canonical' | 'matrices' | 'shifts' | 'ranks' | 'sizes', string>;
}

describe('browser: Chromium, 2 Web Workers', () => {
  let server: Server;
  let context: BrowserContext;
  let userDataDir: string;
  let origin: string;

  beforeAll(async () => {
    // CI installs Debian's chromium; a missing browser is a failure, not a skip.
    if (!existsSync(CHROMIUM)) throw new Error(`the browser test needs Chromium at ${CHROMIUM}: apt-get install chromium`);
    server = await serve(await buildPage());
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    userDataDir = mkdtempSync(join(tmpdir(), 'minframe-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** Load a page variant, run the batch there, and hand back what it reports. */
  async function runIn(variant: 'isolated' | 'plain' | 'broken', scenario: 'plain' | 'abort' | 'fault' = 'plain'): Promise<PageResult> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${origin}/${variant}/`);
      await page.waitForFunction(() => 'run' in globalThis);
      const result = await page.evaluate((s) => (globalThis as unknown as { run(s: string): Promise<PageResult> }).run(s), scenario);
      expect(errors).toEqual([]);
      return result;
    } finally {
      await page.close();
    }
  }

  const { group, count, n, seed } = BROWSER_BATCH;
  const want = canonicalizeBatch(group, denseBatch(count, n, seed));
  const expectNodeBytes = (got: PageResult['arrays']) => {
    for (const key of ['canonical', 'matrices', 'shifts', 'ranks', 'sizes'] as const) {
      const a = want[key];
      expect(Buffer.from(got[key], 'base64').equals(Buffer.from(a.buffer, a.byteOffset, a.byteLength)), key).toBe(true);
    }
  };

  const graphs = canonicalizeBatch(BROWSER_GRAPHS.group, graphBatch(BROWSER_GRAPHS.count, BROWSER_GRAPHS.maxN, BROWSER_GRAPHS.seed, { weighted: true, colored: true }));
  const expectNodeGraphs = (got: PageResult['graphs']) => {
    expect(got?.workersThatRan).toBe(2);
    expect(got?.sizesExact).toEqual(graphs.sizesExact);
    for (const key of ['canonical', 'permutations', 'orbits', 'sizes', 'generators', 'generatorOffsets'] as const) {
      const a = graphs[key];
      expect(Buffer.from(got!.arrays[key], 'base64').equals(Buffer.from(a.buffer, a.byteOffset, a.byteLength)), key).toBe(true);
    }
  };

  it('cross-origin isolated: SharedArrayBuffer, both workers ran, bit-identical to Node', async () => {
    const r = await runIn('isolated');
    expect(r.crossOriginIsolated).toBe(true);
    expect(r.sharedResult).toBe(true);
    expect(r.threads).toBe(2);
    expect(r.workersThatRan).toBe(2);
    expectNodeBytes(r.arrays);
    expectNodeGraphs(r.graphs);
  }, 60_000);

  it('not isolated: chunks go by transfer, still bit-identical to Node', async () => {
    const r = await runIn('plain');
    expect(r.crossOriginIsolated).toBe(false);
    expect(r.sharedResult).toBe(false);
    expect(r.workersThatRan).toBe(2);
    expectNodeBytes(r.arrays);
    expectNodeGraphs(r.graphs);
  }, 60_000);

  it('a worker error fails its call with WorkerFailedError; an abort rejects; the engine stays usable', async () => {
    const fault = await runIn('isolated', 'fault');
    expect(fault.interrupted?.name).toBe('WorkerFailedError');
    expect(fault.interrupted?.message).toMatch(/^minframe: the worker computing inputs \d+\.\.\d+ failed: minframe: simulated crash$/);
    expect(fault.workersThatRan).toBe(2);
    expectNodeBytes(fault.arrays);
    const abort = await runIn('plain', 'abort');
    expect(abort.interrupted?.name).toBe('AbortError');
    expect(abort.workersThatRan).toBe(2);
    expectNodeBytes(abort.arrays);
  }, 60_000);

  it('models on the workers: modules (per input, batch, invariant) and the ONNX fixture (onnxruntime-web by URL), bit-identical to Node', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${origin}/isolated/`);
      await page.waitForFunction(() => 'runModels' in globalThis);
      const r = await page.evaluate(() => (globalThis as unknown as { runModels(): Promise<Record<'module' | 'stacked' | 'invariant' | 'onnx' | 'onnxInline', string> & { workersThatRan: number }> }).runModels());
      expect(errors).toEqual([]);
      expect(r.workersThatRan).toBe(2);
      const { group, count, n, seed } = BROWSER_MODELS;
      const b = denseBatch(count, n, seed);
      const rational = (await import(RATIONAL.href)).default as Model;
      const base64 = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
      expect(r.module).toBe(base64((await equivariant(group, rational).batch(b)).data));
      const stacked = (await import(STACKED.href)).default as (s: { data: Float64Array }) => Float64Array;
      expect(r.stacked).toBe(base64((await equivariant(group, stacked, { batchModel: true }).batch(b)).data));
      const inv = (await invariant(group, rational).batch(b)).outputs as Float64Array[];
      expect(r.invariant).toBe(base64(Float64Array.from(inv.flatMap((v) => Array.from(v)))));
      // the same WASM runtime as Node's onnxruntime-web: the same bits, on the page's thread and its workers
      const onnx = base64((await equivariant(group, new URL('#runtime=onnxruntime-web', ONNX)).batch(b)).data);
      expect(r.onnxInline).toBe(onnx);
      expect(r.onnx).toBe(onnx);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('workers that cannot load make createEngine reject, naming worker.js', async () => {
    await expect(runIn('broken')).rejects.toThrow(/minframe: a Web Worker could not start: is http:\/\/127\.0\.0\.1:\d+\/broken\/worker\.js served/);
  }, 60_000);
});
