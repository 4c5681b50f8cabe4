/**
 * Timing for the benchmark suite, on any clock (performance.now in Node and in
 * browsers): warm up, then `repeat` timed runs, each calling `fn` until `minMs`
 * have passed so the clock's resolution does not matter (browsers coarsen
 * performance.now to 0.1 ms or more without cross-origin isolation).
 */

/** Microseconds per item over the timed runs. */
export interface Timing {
  median: number;
  min: number;
  max: number;
}

export interface MeasureOptions {
  /** Items `fn` processes per call (sets, graphs): the timing is per item. */
  items: number;
  repeat: number;
  /** Each timed run calls `fn` until this many ms have passed (at least once). */
  minMs: number;
  /** Warm-up: `fn` runs until this many ms have passed (at least once; 0: no warm-up, the caller has run it). */
  warmupMs: number;
}

/** The median, min and max of samples (the upper median for an even count). */
export function summarize(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}

/** Time `fn` (sync or async) on `now` (ms). */
export async function measure(fn: () => unknown, o: MeasureOptions, now: () => number): Promise<Timing> {
  const w0 = now();
  if (o.warmupMs > 0) {
    do await fn();
    while (now() - w0 < o.warmupMs);
  }
  const runs: number[] = [];
  for (let i = 0; i < o.repeat; i++) {
    let calls = 0;
    const t0 = now();
    let t1 = t0;
    do {
      await fn();
      calls++;
      t1 = now();
    } while (t1 - t0 < o.minMs);
    runs.push(((t1 - t0) * 1000) / (calls * o.items));
  }
  return summarize(runs);
}
