// Bundles the TypeScript sources with esbuild: ESM for Node (dist/node/) and for
// browsers (dist/browser/, the WASM embedded as bytes).
import { build } from 'esbuild';

const common = { bundle: true, splitting: true, format: 'esm', target: 'es2022', sourcemap: true, logLevel: 'warning' };

/** In the browser bundle, src/wasm/bytes.ts is replaced by bytes.browser.ts. */
const browserBytes = {
  name: 'browser-bytes',
  setup(b) {
    b.onResolve({ filter: /\/bytes\.js$/ }, (args) => ({ path: new URL(`../src/wasm/bytes.browser.ts`, import.meta.url).pathname }));
  },
};

await Promise.all([
  build({
    ...common,
    platform: 'node',
    entryPoints: { index: 'src/index.ts', testing: 'src/testing/index.ts', internal: 'src/internal.ts', cli: 'src/cli/main.ts' },
    outdir: 'dist/node',
    packages: 'external',
  }),
  build({
    ...common,
    platform: 'browser',
    entryPoints: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
    outdir: 'dist/browser',
    loader: { '.wasm': 'binary' },
    plugins: [browserBytes],
  }),
]);
