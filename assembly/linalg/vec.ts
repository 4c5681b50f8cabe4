/**
 * Inline vector primitives shared by every kernel.
 *
 * Contract: pointers address f64 data in linear memory (8-byte aligned; 16-byte
 * alignment is faster but never required), lengths are element counts >= 0.
 *
 * Bit-identity between builds: the SIMD build sums in two interleaved lanes
 * (even and odd indices) and adds the lanes at the end; the scalar build keeps
 * the same two partial sums in the same order, so both builds round identically.
 * WebAssembly has no fused multiply-add outside relaxed SIMD, so a*b+c rounds
 * twice in both builds.
 */

/** Σ a[i]·b[i], i < n. */
// @ts-ignore: decorator
@inline export function dot(a: usize, b: usize, n: i32): f64 {
  let i = 0;
  let s0: f64 = 0;
  let s1: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f64x2.splat(0);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      acc = f64x2.add(acc, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    }
    s0 = f64x2.extract_lane(acc, 0);
    s1 = f64x2.extract_lane(acc, 1);
  } else {
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      s0 += load<f64>(a + o) * load<f64>(b + o);
      s1 += load<f64>(a + o + 8) * load<f64>(b + o + 8);
    }
  }
  let s = s0 + s1;
  if (i < n) s += load<f64>(a + (<usize>i << 3)) * load<f64>(b + (<usize>i << 3));
  return s;
}

/**
 * Minkowski product ⟨a, b⟩_η = a[0]·b[0] − Σ_{i≥1} a[i]·b[i] (η = diag(1, −1, …, −1)),
 * evaluated as 2·a[0]·b[0] − dot(a, b) so it shares dot's SIMD summation order.
 */
// @ts-ignore: decorator
@inline export function dotEta(a: usize, b: usize, n: i32): f64 {
  return 2 * load<f64>(a) * load<f64>(b) - dot(a, b, n);
}

/** y[i] -= c·x[i], i < n. */
// @ts-ignore: decorator
@inline export function axmy(y: usize, c: f64, x: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const cv = f64x2.splat(c);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.mul(cv, v128.load(x + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) - c * load<f64>(x + o));
  }
}

/** y[i] = c·x[i], i < n (y may equal x). */
// @ts-ignore: decorator
@inline export function scaleTo(y: usize, c: f64, x: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const cv = f64x2.splat(c);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.mul(cv, v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, c * load<f64>(x + o));
  }
}

/**
 * y[i] = x[i], i < n. The engines run memory.copy/fill through a call into the
 * runtime, which costs more than the whole copy at the sizes used here (d values).
 */
// @ts-ignore: decorator
@inline export function copy(y: usize, x: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= n; i += 2) v128.store(y + (<usize>i << 3), v128.load(x + (<usize>i << 3)));
  }
  for (; i < n; i++) store<f64>(y + (<usize>i << 3), load<f64>(x + (<usize>i << 3)));
}

/** y[i] = 0, i < n (see `copy` for why not memory.fill). */
// @ts-ignore: decorator
@inline export function zero(y: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= n; i += 2) v128.store(y + (<usize>i << 3), f64x2.splat(0));
  }
  for (; i < n; i++) store<f64>(y + (<usize>i << 3), 0);
}

/**
 * dst = srcᵀ for d×d row-major matrices that do not overlap. The SIMD build moves
 * the even leading block as 2×2 tiles (two loads, two shuffles, two stores each);
 * the rest (all of it in the scalar build) moves one value at a time. A copy, so
 * the bits do not depend on the build.
 */
// @ts-ignore: decorator
@inline export function transposeTo(dst: usize, src: usize, d: i32): void {
  const rowBytes = <usize>d << 3;
  const e = ASC_FEATURE_SIMD ? d & ~1 : 0;
  if (ASC_FEATURE_SIMD) {
    for (let i = 0; i < e; i += 2) {
      const si = src + <usize>i * rowBytes;
      const di = dst + (<usize>i << 3);
      for (let j = 0; j < e; j += 2) {
        const s0 = v128.load(si + (<usize>j << 3)); // src[i][j], src[i][j+1]
        const s1 = v128.load(si + rowBytes + (<usize>j << 3)); // src[i+1][j], src[i+1][j+1]
        const dj = di + <usize>j * rowBytes;
        v128.store(dj, v128.shuffle<f64>(s0, s1, 0, 2));
        v128.store(dj + rowBytes, v128.shuffle<f64>(s0, s1, 1, 3));
      }
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a < e ? e : 0; b < d; b++) {
      store<f64>(dst + <usize>b * rowBytes + (<usize>a << 3), load<f64>(src + <usize>a * rowBytes + (<usize>b << 3)));
    }
  }
}

/** y[i] = x[i] − t[i] (t = 0: a plain copy), i < n. */
// @ts-ignore: decorator
@inline export function subTo(y: usize, x: usize, t: usize, n: i32): void {
  if (t == 0) {
    copy(y, x, n);
    return;
  }
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.sub(v128.load(x + o), v128.load(t + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(x + o) - load<f64>(t + o));
  }
}

/**
 * Σ x[i]², i < n, for long arrays: four f64x2 accumulators (eight partial sums, by
 * index mod 8) hide the latency of the additions. The scalar build keeps the same
 * eight partial sums and combines them in the same order.
 */
// @ts-ignore: decorator
@inline export function sumSquares(x: usize, n: i32): f64 {
  let i = 0;
  let l0: f64 = 0;
  let l1: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    for (; i + 8 <= n; i += 8) {
      const p = x + (<usize>i << 3);
      const v0 = v128.load(p), v1 = v128.load(p + 16), v2 = v128.load(p + 32), v3 = v128.load(p + 48);
      a0 = f64x2.add(a0, f64x2.mul(v0, v0));
      a1 = f64x2.add(a1, f64x2.mul(v1, v1));
      a2 = f64x2.add(a2, f64x2.mul(v2, v2));
      a3 = f64x2.add(a3, f64x2.mul(v3, v3));
    }
    const s = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    l0 = f64x2.extract_lane(s, 0);
    l1 = f64x2.extract_lane(s, 1);
  } else {
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0, s4: f64 = 0, s5: f64 = 0, s6: f64 = 0, s7: f64 = 0;
    for (; i + 8 <= n; i += 8) {
      const p = x + (<usize>i << 3);
      let v = load<f64>(p); s0 += v * v;
      v = load<f64>(p + 8); s1 += v * v;
      v = load<f64>(p + 16); s2 += v * v;
      v = load<f64>(p + 24); s3 += v * v;
      v = load<f64>(p + 32); s4 += v * v;
      v = load<f64>(p + 40); s5 += v * v;
      v = load<f64>(p + 48); s6 += v * v;
      v = load<f64>(p + 56); s7 += v * v;
    }
    l0 = (s0 + s2) + (s4 + s6);
    l1 = (s1 + s3) + (s5 + s7);
  }
  let s = l0 + l1;
  for (; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    s += v * v;
  }
  return s;
}
