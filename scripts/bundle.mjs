// Bundles the TypeScript sources with esbuild: ESM for Node (dist/node/) and for
// browsers (dist/browser/, the WASM embedded as bytes), each with its worker entry
// next to index.js, where the pools look for it (dist/node/worker.cjs, dist/browser/worker.js).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// chunk names change with their contents: start empty so no stale chunk is packed
rmSync(new URL('../dist/node', import.meta.url), { recursive: true, force: true });
rmSync(new URL('../dist/browser', import.meta.url), { recursive: true, force: true });

const common = { bundle: true, splitting: true, format: 'esm', target: 'es2022', sourcemap: true, logLevel: 'warning' };

/**
 * The browser bundles swap the Node-only modules for their browser versions:
 * src/wasm/bytes.ts → bytes.browser.ts and src/engine/pool.node.ts → pool.browser.ts,
 * so no node: module is ever pulled in.
 */
const browserModules = {
  name: 'browser-modules',
  setup(b) {
    const swap = (filter, file) =>
      b.onResolve({ filter }, () => ({ path: new URL(`../src/${file}`, import.meta.url).pathname }));
    swap(/\/bytes\.js$/, 'wasm/bytes.browser.ts');
    swap(/\/pool\.node\.js$/, 'engine/pool.browser.ts');
  },
};

await Promise.all([
  build({
    ...common,
    platform: 'node',
    entryPoints: { index: 'src/index.ts', testing: 'src/testing/index.ts', internal: 'src/internal.ts', cli: 'src/cli/main.ts', bench: 'src/bench/command.ts' },
    outdir: 'dist/node',
    packages: 'external',
  }),
  // The Node worker is CommonJS: piscina loads a task file with require() first, and
  // Node 20's require() of an ES module can abort the whole process (a V8 fatal
  // error) when the worker is terminated while that module is being linked.
  build({
    ...common,
    splitting: false,
    format: 'cjs',
    platform: 'node',
    entryPoints: { worker: 'src/engine/worker.node.ts' },
    outExtension: { '.js': '.cjs' },
    outdir: 'dist/node',
    packages: 'external',
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  }),
  build({
    ...common,
    platform: 'browser',
    entryPoints: { index: 'src/index.ts', worker: 'src/engine/worker.browser.ts', testing: 'src/testing/index.ts' },
    outdir: 'dist/browser',
    loader: { '.wasm': 'binary' },
    plugins: [browserModules],
  }),
]);
