/**
 * Kernel-level entry for benchmarks and tools (`minframe/internal`): the raw WASM
 * kernels, the arena and frame computation on checked batches. Not a stable API.
 */
export { kernels, loadKernels, withArena, simdSupported, type Kernels, type KernelExports } from './wasm/module.js';
export { computeFrames, restoreOutputs } from './frames/families.js';
