/** The batch the browser test runs, on both sides. */
export const BROWSER_BATCH = { group: 'SO(3)', count: 2000, n: 64, seed: 20240601 } as const;
/** The graph batch it runs too (test/batches.ts graphBatch), in chunks of `chunkSize` graphs. */
export const BROWSER_GRAPHS = { group: 'weighted-graph', count: 120, maxN: 12, seed: 7, chunkSize: 8 } as const;
/** The batch averaged by a module model and the ONNX fixture on 2 workers (test/batches.ts denseBatch), in chunks of `chunkSize` sets. */
export const BROWSER_MODELS = { group: 'O(3)', count: 300, n: 12, seed: 11, chunkSize: 25 } as const;
