/**
 * Minimal frames for GL(d), SL(d) and Aff(d) (docs/architecture.md).
 *
 * For each input X (n×d rows): t = centroid (Aff) or 0; A = the first d linearly
 * independent rows of X − t in row order (the greedy selection of orthogonal.ts,
 * which is the lexicographically first basis the reference finds by brute force);
 * the canonical form is c = (X − t)·A⁻¹, through LU with partial pivoting (the
 * adjugate for d <= 3). The frame
 * element is h = (M, t) with M = Aᵀ, so X = c·Mᵀ + t; g·X = X·gᵀ maps A to A·gᵀ and
 * leaves c unchanged.
 *
 * SL(d): A is scaled to A/κ, κ = sign(det A)·|det A|^{1/d}; so c = κ·(X − t)·A⁻¹
 * and M = Aᵀ/κ (the reference's convention, which the reference vectors fix). det M
 * = +1, except for even d with det A < 0, where it is −1: κ is still SL-invariant,
 * so c is still an exact SL-invariant canonical form (c(X) = c(Y) only when Y = X·gᵀ
 * with det g = 1) and outputs are exactly equivariant, but M lies in GL(d), not SL(d).
 *
 * Rank < d: the matrices fixing the span form a non-compact group, which has no
 * average, so there is no frame: rank[i] < d tells the caller to reject the input
 * (its M and canonical rows are zero). κ₁(A) = ‖A‖₁·‖A⁻¹‖₁ past a limit puts a
 * warning status on the input.
 */
import { selectBasis, leading3, invariantScale2 } from '../linalg/qr';
import { applyRows } from '../linalg/apply';
import { luFactor, luInverse, inverseSmall, norm1, luRootDet, rootAbs } from '../linalg/lu';
import { markScale } from '../linalg/scale';
import { subTo, scaleTo, copy, transposeTo, zero } from '../linalg/vec';

/** Flag bits of linear_frames. */
export const LINEAR_SPECIAL: i32 = 1; // SL: det M = +1
export const LINEAR_CENTER: i32 = 2; // Aff: translate by the centroid

/** Status codes: too few independent rows; an ill-conditioned A (value: κ₁(A)). */
export const LINEAR_RANK: i32 = 1;
export const LINEAR_ILL_CONDITIONED: i32 = 2;
/** κ₁(A) = ‖A‖₁·‖A⁻¹‖₁ past which a frame carries a warning (src/frames/linear.ts words it). */
export const LINEAR_CONDITION_LIMIT: f64 = 1e12;

/** Bytes of scratch linear_frames needs for dimension d. */
export function linear_work(d: i32): i32 {
  return (5 * d * d + 3 * d) * 8 + 2 * d * 4;
}

/**
 * Batched frames, with the ABI every family_frames shares. Inputs in the batch
 * layout of linalg_apply; for input i writes m[i·d²..] (M, d×d row-major),
 * shift[i·d..] (t), rank[i] (i32), its rows of canonical (layout of x; must not
 * overlap x) and status[2i..2i+1] (f64): [LINEAR_RANK, 0] when A is singular,
 * [LINEAR_ILL_CONDITIONED, κ₁(A)] when ‖A‖₁·‖A⁻¹‖₁ > LINEAR_CONDITION_LIMIT, else
 * left as the caller set it. An input whose scale is out of range (linalg/scale.ts)
 * is marked in its status instead and skipped, to be made again scaled; returns
 * the number marked. tol is the relative rank tolerance (residual² > tol²·mean
 * squared norm, as ortho_frames). `work` holds linear_work(d) bytes.
 */
export function linear_frames(
  x: usize, offsets: usize, count: i32, d: i32, flags: i32, tol: f64,
  work: usize, m: usize, shift: usize, rank: usize, status: usize, canonical: usize,
): i32 {
  const rowBytes = <usize>d << 3;
  const matBytes = <usize>d * rowBytes;
  let marked = 0;
  const u = work; // orthonormal basis of the selection
  const a = u + matBytes; // A
  const lu = a + matBytes; // its LU factors
  const inv = lu + matBytes; // A⁻¹ (·κ for SL)
  const w = inv + matBytes; // d² + 2d f64: selectBasis's scratch
  const col = w + <usize>(d + 2) * rowBytes; // a column of the inverse
  const picked = col + rowBytes; // d i32
  const piv = picked + (<usize>d << 2); // d i32
  const special = (flags & LINEAR_SPECIAL) != 0;
  const center = (flags & LINEAR_CENTER) != 0;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const rows = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    const xi = x + <usize>r0 * rowBytes;
    const ci = canonical + <usize>r0 * rowBytes;
    const mi = m + <usize>i * matBytes;
    const t = shift + <usize>i * rowBytes;
    const s2 = invariantScale2(xi, rows, d, center, t);
    if (markScale(s2, flags, status, i, xi, rows, d, center)) {
      marked++;
      continue;
    }
    const thr2 = tol * tol * s2;
    const tp: usize = center ? t : 0;
    const lead = d == 3 && leading3(xi, rows, tp, thr2, 0, picked, 0);
    let k = lead ? 3 : selectBasis(xi, rows, d, tp, thr2, u, w, picked, 0);
    let det: f64 = 0;
    let sign = 0; // of the LU's row permutation (d > 3)
    let regular = false;
    // A: the leading rows in place when nothing is subtracted, else a copy
    const am = lead && !center ? xi : a;
    if (k == d) {
      if (am == a) {
        for (let j = 0; j < d; j++) {
          subTo(a + <usize>j * rowBytes, xi + <usize>load<i32>(picked + (<usize>j << 2)) * rowBytes, tp, d);
        }
      }
      if (d <= 3) {
        det = inverseSmall(am, d, inv);
        regular = det != 0;
      } else {
        copy(lu, a, d * d);
        sign = luFactor(lu, d, piv);
        // singular means an exactly zero pivot: the product of d pivots may underflow
        regular = sign != 0;
        if (regular) {
          luInverse(lu, piv, d, inv, col);
          det = <f64>sign;
          for (let j = 0; j < d; j++) det *= load<f64>(lu + <usize>j * rowBytes + (<usize>j << 3));
        }
      }
      if (!regular) k = d - 1; // singular after all (an exactly zero pivot)
    }
    store<i32>(rank + (<usize>i << 2), k);
    if (!regular) {
      zero(mi, d * d);
      zero(ci, rows * d);
      store<f64>(status + (<usize>i << 4), <f64>LINEAR_RANK);
      continue;
    }
    const cond = norm1(am, d) * norm1(inv, d);
    if (cond > LINEAR_CONDITION_LIMIT) {
      store<f64>(status + (<usize>i << 4), <f64>LINEAR_ILL_CONDITIONED);
      store<f64>(status + (<usize>i << 4) + 8, cond);
    }
    transposeTo(mi, am, d); // M = Aᵀ
    if (special) {
      let kappa: f64;
      if (d <= 3 || isNormal(det)) {
        const root = rootAbs(det, d);
        kappa = det < 0 ? -root : root;
      } else {
        kappa = luRootDet(lu, d, sign); // det over- or underflowed (d > 3), its d-th root does not
      }
      scaleTo(inv, kappa, inv, d * d);
      scaleTo(mi, 1.0 / kappa, mi, d * d);
    }
    // a copy of the mapping without centring for GL and SL, so that its loop does not test for it
    if (center) applyRows(xi, rows, d, inv, t, 0, ci, 0);
    else applyRows(xi, rows, d, inv, 0, 0, ci, 0);
  }
  return marked;
}

/** A finite f64 whose magnitude is at least 2^-1022 (no precision lost to underflow). */
// @ts-ignore: decorator
@inline function isNormal(v: f64): bool {
  const a = abs<f64>(v);
  return a >= 2.2250738585072014e-308 && a <= 1.7976931348623157e308;
}

