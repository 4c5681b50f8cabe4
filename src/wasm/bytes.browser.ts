/**
 * The compiled kernels as bytes, for browsers: embedded in the bundle by esbuild's
 * binary loader, so no extra fetch and no URL resolution at run time.
 */
// @ts-ignore: resolved by the esbuild binary loader
import simdBytes from '../../build/minframe.wasm';
// @ts-ignore: resolved by the esbuild binary loader
import scalarBytes from '../../build/minframe-scalar.wasm';

export function wasmBytes(simd: boolean): Uint8Array {
  return simd ? simdBytes : scalarBytes;
}

/** Browsers refuse large synchronous compiles on the main thread: call `ready()` first. */
export const syncCompile = false;
