/** The batch the browser test runs, on both sides. */
export const BROWSER_BATCH = { group: 'SO(3)', count: 2000, n: 64, seed: 20240601 } as const;
