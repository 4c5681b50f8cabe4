/**
 * Seeded randomness for tests and benchmarks: the same seed gives the same stream
 * in Node and in browsers.
 */

/** A uniform generator on [0, 1): xoshiro128** seeded through splitmix32. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  return () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl(d, 11);
    return r / 4294967296;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A standard normal sampler (Box–Muller) over a uniform generator. */
export function gaussian(u: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    let r = 0, x = 0;
    while (r === 0) x = u(), r = u();
    const m = Math.sqrt(-2 * Math.log(1 - x));
    spare = m * Math.sin(2 * Math.PI * r);
    return m * Math.cos(2 * Math.PI * r);
  };
}

/** n×d i.i.d. standard normal entries. */
export function gaussianMatrix(normal: () => number, n: number, d: number): Float64Array {
  const x = new Float64Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = normal();
  return x;
}
