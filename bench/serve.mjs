// The benchmark page on a small local server: `npm run serve` (after npm run build)
// serves bench/page/ and the browser bundle (dist/browser/) on http://127.0.0.1:8787/
// (PORT overrides) with COOP same-origin and COEP require-corp, so the page is
// cross-origin isolated and the engine's Web Workers share memory.
// bench/browser.mjs and the tests start the same server on a free port.
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const page = new URL('./page/', import.meta.url);
const dist = new URL('../dist/browser/', import.meta.url);
const TYPES = { html: 'text/html; charset=utf-8', js: 'text/javascript', map: 'application/json', json: 'application/json' };

/** The page's script: bench/page/page.ts with vega bundled in and minframe left as imports of the bundle next to it. */
export async function buildPage() {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('page.ts', page))],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify: true,
    write: false,
    logLevel: 'warning',
    plugins: [{
      name: 'minframe-bundle',
      setup: (b) => b.onResolve({ filter: /^minframe(\/testing)?$/ }, (a) => ({ path: a.path === 'minframe' ? './index.js' : './testing.js', external: true })),
    }],
  });
  return out.outputFiles[0].text;
}

/** Serve the page on host:port (0: a free port); resolves with the server and its URL. */
export async function startServer({ port = 0, host = '127.0.0.1' } = {}) {
  if (!existsSync(new URL('index.js', dist))) throw new Error('the page needs the browser bundle: run npm run build first');
  const pageJs = await buildPage();
  const html = readFileSync(new URL('index.html', page));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = path === '/' ? 'index.html' : path.slice(1);
    let body;
    if (file === 'index.html') body = html;
    else if (file === 'page.js') body = pageJs;
    else if (/^[\w.-]+$/.test(file) && existsSync(new URL(file, dist))) body = readFileSync(new URL(file, dist));
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[file.split('.').pop()] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    }).end(body);
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const url = `http://${host}:${server.address().port}/`;
  const close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return { server, url, close };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startServer({ port: Number(process.env.PORT ?? 8787) });
  console.log(`minframe benchmarks: ${url} (quick run: ${url}?quick=1&auto=1); Ctrl-C stops`);
}
