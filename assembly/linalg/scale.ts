/**
 * The magnitudes the frame kernels compute at without losing precision.
 *
 * The kernels square their inputs (norms, Gram–Schmidt residuals, Minkowski
 * products) and take products of squares (d = 3 areas and volumes, determinants),
 * so float64's range of ±2^1024 holds inputs of roughly 2^±150 only. Scaling an input
 * by a power of two changes no bit of that arithmetic except through overflow and
 * underflow, so an input whose squared scale s² lies outside [SCALE2_MIN,
 * SCALE2_MAX] is marked instead (status FRAMES_RESCALE, and a count returned):
 * the caller scales it by a power of two to bring its largest magnitude into
 * [1, 2), calls the kernel again with FRAMES_SCALED, and scales the results back
 * (src/frames/index.ts runFrames). Inside the range, the arithmetic of every kernel
 * stays far from both ends for any rank decision a tolerance above 2^-100 can make.
 */

/** s² (a mean squared norm) at or above which the kernels are exact: 2^-200 ≈ 6e-61. */
export const SCALE2_MIN: f64 = 6.223015277861142e-61;
/** s² at or below which the kernels are exact: 2^200 ≈ 1.6e60. */
export const SCALE2_MAX: f64 = 1.6069380442589903e60;

/** Status code (status[2i], f64) of an input marked for scaling. */
export const FRAMES_RESCALE: i32 = -2;
/** Flag bit shared by every family_frames kernel: the caller scaled the inputs already, mark none. */
export const FRAMES_SCALED: i32 = 16;

/** Whether s² lies in [SCALE2_MIN, SCALE2_MAX] (false for NaN). */
// @ts-ignore: decorator
@inline export function inScale(s2: f64): bool {
  return s2 >= SCALE2_MIN && s2 <= SCALE2_MAX;
}

/**
 * Mark input i (status at `status`, 2 f64 per input) for scaling when `flags` lacks
 * FRAMES_SCALED and its squared scale s² is out of range; returns 1 when it did,
 * else 0. Inputs whose s² is 0 because they are zero (or, with `center`, one point
 * repeated) are left unmarked: every scale computes them exactly. `x` holds the
 * input's rows, `rowLen` f64 each.
 */
// @ts-ignore: decorator
@inline export function markScale(s2: f64, flags: i32, status: usize, i: i32, x: usize, rows: i32, rowLen: i32, center: bool): i32 {
  if ((flags & FRAMES_SCALED) != 0 || inScale(s2)) return 0;
  if (s2 == 0 && constantRows(x, rows, rowLen, center)) return 0;
  store<f64>(status + (<usize>i << 4), <f64>FRAMES_RESCALE);
  store<f64>(status + (<usize>i << 4) + 8, 0);
  return 1;
}

/** Whether every row equals the first (`center`) or zero (squares underflow to 0 for neither). */
export function constantRows(x: usize, rows: i32, rowLen: i32, center: bool): bool {
  for (let r = 0; r < rows; r++) {
    for (let a = 0; a < rowLen; a++) {
      const ref: f64 = center ? load<f64>(x + (<usize>a << 3)) : 0;
      if (load<f64>(x + ((<usize>r * <usize>rowLen + <usize>a) << 3)) != ref) return false;
    }
  }
  return true;
}

/** The exponent bits of an f64: all set for NaN and ±∞ only. */
const EXPONENT: u64 = 0x7ff0000000000000;

/**
 * Which inputs hold a value that is not finite (NaN, ±∞): flags[i] (i32) = 1 for
 * such an input, else 0; returns how many there are. Inputs in the batch layout
 * (assembly/linalg/apply.ts), rowLen f64 per row. It only answers the rule; the
 * caller finds the value to name (src/frames/index.ts runFrames). One pass of
 * exponent tests, OR-ed together: no chain of dependent arithmetic, so it runs at
 * the pace of the loads.
 */
export function linalg_nonfinite(x: usize, offsets: usize, count: i32, rowLen: i32, flags: usize): i32 {
  let flagged = 0;
  for (let i = 0; i < count; i++) {
    const from = <usize>load<i32>(offsets + (<usize>i << 2)) * <usize>rowLen;
    const to = <usize>load<i32>(offsets + (<usize>(i + 1) << 2)) * <usize>rowLen;
    let hit: u64 = 0;
    let j = from;
    if (ASC_FEATURE_SIMD) {
      const mask = i64x2.splat(EXPONENT);
      let a = i64x2.splat(0), b = i64x2.splat(0);
      for (; j + 4 <= to; j += 4) {
        a = v128.or(a, i64x2.eq(v128.and(v128.load(x + (j << 3)), mask), mask));
        b = v128.or(b, i64x2.eq(v128.and(v128.load(x + (j << 3) + 16), mask), mask));
      }
      hit = <u64>v128.any_true(v128.or(a, b));
    }
    for (; j < to; j++) hit |= <u64>((load<u64>(x + (j << 3)) & EXPONENT) == EXPONENT);
    const bad = i32(hit != 0);
    store<i32>(flags + (<usize>i << 2), bad);
    flagged += bad;
  }
  return flagged;
}
