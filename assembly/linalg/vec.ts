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

/** y[i] = x[i] − t[i] (t = 0: a plain copy), i < n. */
// @ts-ignore: decorator
@inline export function subTo(y: usize, x: usize, t: usize, n: i32): void {
  if (t == 0) {
    memory.copy(y, x, <usize>n << 3);
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
