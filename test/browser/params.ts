/** The batch the browser test runs, on both sides. */
export const BROWSER_BATCH = { group: 'SO(3)', count: 2000, n: 64, seed: 20240601 } as const;
/** The graph batch it runs too (test/batches.ts graphBatch), in chunks of `chunkSize` graphs. */
export const BROWSER_GRAPHS = { group: 'weighted-graph', count: 120, maxN: 12, seed: 7, chunkSize: 8 } as const;
