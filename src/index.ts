/**
 * minframe: exact symmetry for any model by Minimal Frame Averaging.
 */
export { group, DEFAULT_TOL, MAX_DIM, FA_MAX_DIM, type Group, type GraphGroup, type PermutationGroup, type PermutationSpec, type BaselineGroup, type GroupOptions, type Method } from './groups.js';
export type { BaselineFrame, BaselineBatchResult } from './kinds/baseline.js';
export type { PermutationFrame } from './frames/permutation.js';
export { canonicalize, canonicalizeBatch, type GraphShape, type BatchOptions, type CanonicalizeOptions } from './canonicalize.js';
export type { Frame, BatchResult } from './kinds/points.js';
export type { PermutationBatchResult } from './kinds/permutation.js';
export type { GraphBatchInput, GraphBatchResult } from './kinds/graph.js';
export type { ErrorMode } from './kinds/kind.js';
export {
  equivariant, invariant, type Model, type BatchModel, type ModelSource, type Shape, type EquivariantFn, type InvariantFn, type EquivariantOptions, type AverageOptions,
  type BatchCallOptions, type EquivariantBatchResult, type InvariantBatchResult,
} from './average.js';
export { ready } from './wasm/module.js';
export { canonicalLabeling, canonicalLabelings, equitablePartitions, type CanonicalLabeling, type GraphInput, type GraphOptions, type CSR } from './graphs/canon.js';
export { graphFrame, graphFrames, orbitsOnPairs, type GraphFrame, type GraphFrameOptions } from './frames/graph.js';
export { clusterIds } from './frames/cluster.js';
export { createEngine, type Engine, type EngineOptions, type EngineCallOptions, type RunOptions } from './engine/index.js';
export {
  InputTypeError, InputRangeError, OptionTypeError, OptionRangeError, ModelError,
  AbortError, EngineClosedError, WorkerFailedError, PoolError, InternalError, MemoryLimitError, KernelError, NotReadyError,
  type InputErrorInfo,
} from './errors.js';
export type { BatchInput } from './batch.js';
export type { OutputKind, StackedBatch, ModelInput } from './kinds/kind.js';
export type { FrameBatch } from './frames/index.js';
export type { PermutationFrames, Stabilizer } from './frames/permutation.js';
export { FileFormatError } from './errors.js';
export { onnxModel, type OnnxModel, type OnnxModelOptions, type OnnxRuntime, type OnnxRuntimeName } from './models/onnx.js';
