// Bundles the TypeScript sources with esbuild: ESM for Node (dist/node/) and for
// browsers (dist/browser/, the WASM embedded as bytes), each with its worker entry
// (worker.js next to index.js, where the pools look for it).
import { build } from 'esbuild';

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
    entryPoints: { index: 'src/index.ts', worker: 'src/engine/worker.node.ts', testing: 'src/testing/index.ts', internal: 'src/internal.ts', cli: 'src/cli/main.ts' },
    outdir: 'dist/node',
    packages: 'external',
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
