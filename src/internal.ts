/**
 * Kernel-level entry for benchmarks and tools (`minframe/internal`): the raw WASM
 * kernels, the arena, frame computation on checked batches, and a batch's frames as
 * the wrappers hold them (framedHere: its `restore` is their mapping back). Not a
 * stable API.
 */
export { kernels, loadKernels, withArena, simdSupported, type Kernels, type KernelExports } from './wasm/module.js';
export { computeFrames, restoreOutputs } from './frames/families.js';
export { framedHere, kindOf } from './kinds/index.js';
