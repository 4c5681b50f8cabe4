/**
 * The compiled kernels as bytes, for Node: read next to the package root. Both this
 * file (src/wasm/) and the bundles (dist/node/) sit two levels below it.
 * The browser bundle replaces this module with bytes.browser.ts.
 */
import { readFileSync } from 'node:fs';

export function wasmBytes(simd: boolean): Uint8Array {
  const name = simd ? 'minframe.wasm' : 'minframe-scalar.wasm';
  return readFileSync(new URL(`../../build/${name}`, import.meta.url));
}

/** Node compiles synchronously, so the synchronous API works without `ready()`. */
export const syncCompile = true;
