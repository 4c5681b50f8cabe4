/**
 * Graph helpers for the canonical labeling tests: graph6 decoding (the format of
 * the nauty fixtures), relabeling, and automorphism checks.
 */

/** Dense 0/1 adjacency (n×n, row-major) of a graph6 string. */
export function fromGraph6(s: string): { n: number; a: Int32Array } {
  const b = Array.from(s, (c) => c.charCodeAt(0) - 63);
  let n: number;
  let k: number;
  if (b[0] < 63) {
    n = b[0];
    k = 1;
  } else {
    n = (b[1] << 12) | (b[2] << 6) | b[3];
    k = 4;
  }
  const a = new Int32Array(n * n);
  let bit = 0;
  for (let j = 1; j < n; j++) {
    for (let i = 0; i < j; i++, bit++) {
      if ((b[k + Math.floor(bit / 6)] >> (5 - (bit % 6))) & 1) a[i * n + j] = a[j * n + i] = 1;
    }
  }
  return { n, a };
}

/** B = relabel(A, p): vertex v of A becomes p[v] in B (same array type as A). */
export function relabel<T extends Int32Array | Float64Array>(a: T, n: number, p: ArrayLike<number>): T {
  const b = (a instanceof Int32Array ? new Int32Array(n * n) : new Float64Array(n * n)) as T;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[p[i] * n + p[j]] = a[i * n + j];
  return b;
}

export function permuteColors(c: ArrayLike<number>, p: ArrayLike<number>): Int32Array {
  const out = new Int32Array(c.length);
  for (let i = 0; i < c.length; i++) out[p[i]] = c[i];
  return out;
}

export function isAutomorphism(a: ArrayLike<number>, n: number, g: ArrayLike<number>, colors?: ArrayLike<number>): boolean {
  for (let i = 0; i < n; i++) {
    if (colors && colors[g[i]] !== colors[i]) return false;
    for (let j = 0; j < n; j++) if (a[g[i] * n + g[j]] !== a[i * n + j]) return false;
  }
  return true;
}

export function key(a: Int32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function randomPermutation(n: number, u: () => number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Every permutation of 0..n-1 (Heap's algorithm). */
export function* permutations(n: number): Generator<Int32Array> {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  const c = new Int32Array(n);
  yield p.slice();
  for (let i = 0; i < n; ) {
    if (c[i] < i) {
      const j = i % 2 === 0 ? 0 : c[i];
      [p[j], p[i]] = [p[i], p[j]];
      yield p.slice();
      c[i]++;
      i = 0;
    } else {
      c[i++] = 0;
    }
  }
}
