/**
 * Dense adjacency given as floats (Float64Array, or Float32Array widened by the
 * caller) to the i32 edge-colour matrix canon_csr takes: every entry must be a
 * 32-bit integer (0 = no edge, else a colour id). The TypeScript side copies the
 * floats into memory as they are and, when this kernel says some entry is not one,
 * finds the first in its own copy of the input and reports the rule it breaks; a
 * valid matrix costs one pass with no branch per entry.
 */

/**
 * `count` f64 at src to i32 at dst (dst may equal src: each i32 lands before the
 * f64 it came from is passed). Returns 0 when every value is an i32 exactly (−0
 * becomes 0), else 1 (NaN, ±∞, a fraction, out of range), dst then undefined.
 */
export function canon_from_f64(src: usize, count: i32, dst: usize): i32 {
  let i = 0;
  let bad = 0;
  if (ASC_FEATURE_SIMD) {
    // truncate, widen back, compare: lanes that differ are collected, tested once
    let diff = i32x4.splat(0);
    for (; i + 4 <= count; i += 4) {
      const x0 = v128.load(src + (<usize>i << 3));
      const x1 = v128.load(src + (<usize>i << 3) + 16);
      const t0 = i32x4.trunc_sat_f64x2_s_zero(x0);
      const t1 = i32x4.trunc_sat_f64x2_s_zero(x1);
      diff = v128.or(diff, v128.or(v128.not(f64x2.eq(f64x2.convert_low_i32x4_s(t0), x0)), v128.not(f64x2.eq(f64x2.convert_low_i32x4_s(t1), x1))));
      v128.store(dst + (<usize>i << 2), v128.shuffle<i32>(t0, t1, 0, 1, 4, 5));
    }
    bad = i32(v128.any_true(diff));
  }
  for (; i < count; i++) {
    const x = load<f64>(src + (<usize>i << 3));
    // (x − x: NaN for ±∞ and NaN, so the range test fails for them too)
    const fits = x - x == 0 && x >= -2147483648.0 && x <= 2147483647.0;
    const t = fits ? <i32>x : 0;
    bad |= i32(!fits || <f64>t != x);
    store<i32>(dst + (<usize>i << 2), t);
  }
  return bad;
}
