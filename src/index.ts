/**
 * minframe: exact symmetry for any model by Minimal Frame Averaging.
 */
export { group, DEFAULT_TOL, MAX_DIM, type Group, type GraphGroup, type PermutationGroup, type PermutationSpec } from './groups.js';
export type { PermutationFrame } from './frames/permutation.js';
export { canonicalize, canonicalizeBatch, type GraphShape, type Frame, type BatchResult, type BatchOptions, type CanonicalizeOptions } from './canonicalize.js';
export { equivariant, invariant, type Model, type BatchModel, type EquivariantFn, type InvariantFn, type EquivariantOptions, type AverageOptions } from './average.js';
export { ready } from './wasm/module.js';
export { canonicalLabeling, canonicalLabelings, equitablePartitions, type CanonicalLabeling, type GraphInput, type GraphOptions, type CSR } from './graphs/canon.js';
export { graphFrame, graphFrames, clusterIds, orbitsOnPairs, type GraphFrame, type GraphFrameOptions } from './frames/graph.js';
export { createEngine, type Engine, type EngineOptions, type EngineCallOptions, type RunOptions } from './engine/index.js';
export type { GraphBatchInput, GraphBatchResult, PermutationBatchResult } from './engine/records.js';
export {
  InputTypeError, InputRangeError, OptionTypeError, OptionRangeError, ModelError,
  AbortError, EngineClosedError, WorkerFailedError, PoolError, InternalError, MemoryLimitError, KernelError, NotReadyError,
  type InputErrorInfo,
} from './errors.js';
export type { BatchInput } from './batch.js';
export type { FrameBatch, OutputKind } from './frames/index.js';
export { FileFormatError } from './errors.js';
export { onnxModel, type OnnxModel, type OnnxModelOptions, type OnnxRuntime } from './models/onnx.js';
