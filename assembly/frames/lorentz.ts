/**
 * Minimal frames for O(1,d−1) and SO(1,d−1) (docs/architecture.md; Lin et al. 2024, Alg. 1–2),
 * with the Minkowski metric η = diag(1, −1, …, −1).
 *
 * For each input X (n×d rows): rows with |⟨x,x⟩_η| <= tol·‖x‖² (light-like, or zero)
 * are left out of the frame (they still reach the model). The other rows, in row
 * order, go through generalized Gram–Schmidt in η (applied twice): a row whose
 * residual has ‖w‖² <= tol²·(mean ‖x‖²) depends on the rows taken; otherwise
 * u_k = s·w/√|⟨w,w⟩_η| with s = sign ⟨w,w⟩_η (so R's diagonal ⟨u_k, x⟩_η is
 * positive) and ε_k = s. Then the time-like vector is swapped into column 0, so
 * the signature of Q = [u_0 … u_{d-1}] (columns) matches η: Qᵀ·η·Q = η. The
 * canonical form is c = X·(η·Q·η) and the frame element h = Q: X = c·Qᵀ.
 *
 * Rank k < d: the columns of the complement are zero, the closed-form average over
 * the stabilizer, when that is compact: O(d−k) or O(1) (the span holds a time-like
 * vector, or k = d−1 and the complement is the time-like line, which then takes
 * column 0). SO(1,d−1): at rank d the last column is negated when det Q < 0; at rank
 * d−1 the complement column is completed deterministically and its sign fixed by
 * det Q = +1.
 *
 * Inputs without a frame get a status instead (the caller rejects them):
 * LORENTZ_NULL_PIVOT (a residual is light-like: the span is degenerate),
 * LORENTZ_NONCOMPACT (the span is space-like and k <= d−2: the stabilizer
 * O(1, d−k−1) has no average), LORENTZ_OUTSIDE (a light-like row lies outside the
 * span of the others, so the stabilizer would move it).
 */
import { orthogonalizeEta, selectEta, selectionHolds, meanSquare } from '../linalg/qr';
import { markScale } from '../linalg/scale';
import { applyRows } from '../linalg/apply';
import { det } from '../linalg/lu';
import { dot, dotEta, scaleTo, copy, transposeTo, zero } from '../linalg/vec';

/** Flag bits of lorentz_frames (the values of ortho_frames). */
export const LORENTZ_SPECIAL: i32 = 1; // SO(1,d−1): det Q = +1
export const LORENTZ_COMPLETE: i32 = 4; // also complete rank d−1 for O(1,d−1) (to list frame elements)

/** Status codes of lorentz_frames. */
export const LORENTZ_OK: i32 = 0;
export const LORENTZ_NULL_PIVOT: i32 = 1;
export const LORENTZ_NONCOMPACT: i32 = 2;
export const LORENTZ_OUTSIDE: i32 = 3;

/** Bytes of scratch lorentz_frames needs for dimension d. */
export function lorentz_work(d: i32): i32 {
  return (3 * d * d + 7 * d + 2) * 8 + d * 4;
}

/** frameEta's answer when a provisional threshold decided a rejection or a rank below d. */
const UNSURE: i32 = -1;

/**
 * Batched frames, with the ABI every family_frames shares. Inputs in the batch
 * layout of linalg_apply; for input i writes q[i·d²..] (Q, d×d row-major), rank[i]
 * (i32), status[2i] (a status code, f64) and status[2i+1] (the row it concerns, or
 * −1), and its rows of canonical (layout of x; must not overlap x). `shift` is not
 * used (Lorentz frames have no translation). Rejected inputs get zero Q and
 * canonical rows. An input whose scale is out of range (linalg/scale.ts) is marked
 * in its status instead, to be made again scaled; returns the number marked. tol
 * is the relative tolerance. `work` holds lorentz_work(d) bytes.
 *
 * As in ortho_frames, the rows are selected with a provisional threshold from the
 * first row, mapped, and the mean square is summed from cache after; the frame is
 * made again when the real threshold selects other rows. A provisional selection
 * that ends without a full-rank frame is made again with the real threshold at once.
 */
export function lorentz_frames(
  x: usize, offsets: usize, count: i32, d: i32, flags: i32, tol: f64,
  work: usize, q: usize, shift: usize, rank: usize, status: usize, canonical: usize,
): i32 {
  const rowBytes = <usize>d << 3;
  const matBytes = <usize>d * rowBytes;
  let marked = 0;
  const u = work;
  const eps = u + matBytes; // d f64
  const w = eps + rowBytes; // d² + 3d f64: selectEta's scratch (a row and its copy first)
  const best = w + <usize>(d + 3) * rowBytes; // d f64, for completeEta
  const bounds = best + rowBytes; // 2 f64, from selectEta
  const scratch = bounds + 16; // d² f64 + d i32: det, then η·Q·η
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const rows = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    const xi = x + <usize>r0 * rowBytes;
    const ci = canonical + <usize>r0 * rowBytes;
    const qi = q + <usize>i * matBytes;
    const ri = rank + (<usize>i << 2);
    const si = status + (<usize>i << 4);
    const first = rows == 0 ? 0 : dot(xi, xi, d);
    let code = frameEta(xi, rows, d, flags, tol, tol * tol * first, bounds, u, eps, w, best, scratch, qi, ri, si, ci);
    if (code == LORENTZ_OK) applyRows(xi, rows, d, scratch, 0, 0, ci, 0);
    const s2 = meanSquare(xi, rows, d);
    if (markScale(s2, flags, status, i, xi, rows, d, false)) {
      marked++;
      continue;
    }
    if (code == LORENTZ_OK && selectionHolds(bounds, tol * tol * s2)) continue;
    code = frameEta(xi, rows, d, flags, tol, tol * tol * s2, 0, u, eps, w, best, scratch, qi, ri, si, ci);
    if (code == LORENTZ_OK) applyRows(xi, rows, d, scratch, 0, 0, ci, 0);
  }
  return marked;
}

/**
 * One input's frame for threshold thr2: rank to ri, status and row to si, and for a
 * frame Q to qi and η·Q·η to scratch (else zero Q and canonical rows); returns the
 * status code. With `bounds` != 0 (thr2 provisional) it receives selectEta's bounds,
 * and a selection that does not end in a full-rank frame returns UNSURE at once.
 */
function frameEta(
  xi: usize, rows: i32, d: i32, flags: i32, tol: f64, thr2: f64, bounds: usize,
  u: usize, eps: usize, w: usize, best: usize, scratch: usize, qi: usize, ri: usize, si: usize, ci: usize,
): i32 {
  const rowBytes = <usize>d << 3;
  const special = (flags & LORENTZ_SPECIAL) != 0;
  const complete = special || (flags & LORENTZ_COMPLETE) != 0;
  const k = selectEta(xi, rows, d, tol, thr2, u, eps, w, best, bounds);
  let bad = load<i32>(best);
  let code = bad >= 0 ? LORENTZ_NULL_PIVOT : LORENTZ_OK;
  if (bounds != 0 && (code != LORENTZ_OK || k < d)) return UNSURE;
  if (k < d) {
    // the complement, until completed
    zero(u + <usize>k * rowBytes, (d - k) * d);
    zero(eps + (<usize>k << 3), d - k);
  }
  // the time-like column: the first time-like u_j, else the complement (slot k)
  let tj = k;
  for (let j = 0; j < k; j++) {
    if (load<f64>(eps + (<usize>j << 3)) > 0) { tj = j; break; }
  }
  if (code == LORENTZ_OK && tj == k && d - k >= 2) { code = LORENTZ_NONCOMPACT; }
  if (code == LORENTZ_OK && k < d) {
    for (let r = 0; r < rows; r++) {
      const xr = xi + <usize>r * rowBytes;
      if (!lightLike(xr, d, tol)) continue;
      copy(w, xr, d);
      orthogonalizeEta(u, eps, k, w, d, w + rowBytes);
      if (dot(w, w, d) > thr2) { code = LORENTZ_OUTSIDE; bad = r; break; }
    }
  }
  store<i32>(ri, k);
  store<f64>(si, <f64>code);
  store<f64>(si + 8, <f64>bad);
  if (code != LORENTZ_OK) {
    zero(qi, d * d);
    zero(ci, rows * d);
    return code;
  }
  if (tj != 0) swapRows(u, eps, d, 0, tj);
  // after the swap, a rank d−1 complement sits in column 0 (time-like) or d−1
  const slot = tj == k ? 0 : d - 1;
  if (k == d - 1 && complete) completeEta(u, eps, d, slot, w, best);
  if (special && k >= d - 1 && det(u, d, scratch) < 0) {
    const last = u + <usize>(k == d ? d - 1 : slot) * rowBytes;
    scaleTo(last, -1.0, last, d);
  }
  // Q = Uᵀ, and η·Q·η (entry a, j times η_a·η_j: row 0 and column 0 negated but
  // for their common entry) for the canonical form
  transposeTo(qi, u, d);
  transposeTo(scratch, u, d);
  for (let j = 1; j < d; j++) {
    const rj = scratch + (<usize>j << 3), cj = scratch + <usize>j * rowBytes;
    store<f64>(rj, -load<f64>(rj));
    store<f64>(cj, -load<f64>(cj));
  }
  return LORENTZ_OK;
}

/** |⟨x,x⟩_η| <= tol·‖x‖²: light-like relative to the row's own size (zero rows too). */
// @ts-ignore: decorator
@inline function lightLike(x: usize, d: i32, tol: f64): bool {
  return abs<f64>(dotEta(x, x, d)) <= tol * dot(x, x, d);
}

function swapRows(u: usize, eps: usize, d: i32, a: i32, b: i32): void {
  const rowBytes = <usize>d << 3;
  const ua = u + <usize>a * rowBytes;
  const ub = u + <usize>b * rowBytes;
  for (let j = 0; j < d; j++) {
    const o = <usize>j << 3;
    const t = load<f64>(ua + o);
    store<f64>(ua + o, load<f64>(ub + o));
    store<f64>(ub + o, t);
  }
  const t = load<f64>(eps + (<usize>a << 3));
  store<f64>(eps + (<usize>a << 3), load<f64>(eps + (<usize>b << 3)));
  store<f64>(eps + (<usize>b << 3), t);
}

/**
 * The rows of u other than `slot` (zero, ε = 0) are an η-orthonormal basis of a
 * non-degenerate (d−1)-space; set row `slot` to the η-unit vector orthogonal to it,
 * unique up to sign (fixed afterwards by det Q = +1 where that matters). Every e_j
 * is projected and the residual of largest Euclidean norm is kept, so the choice is
 * well conditioned; ε_slot becomes its sign, +1 for slot 0 and −1 otherwise.
 */
function completeEta(u: usize, eps: usize, d: i32, slot: i32, w: usize, best: usize): void {
  const rowBytes = <usize>d << 3;
  let top = -1.0;
  let nb: f64 = 0;
  for (let j = 0; j < d; j++) {
    zero(w, d);
    store<f64>(w + (<usize>j << 3), 1.0);
    const n = orthogonalizeEta(u, eps, d, w, d, w + rowBytes);
    const e = dot(w, w, d);
    if (e > top) { top = e; nb = n; copy(best, w, d); }
  }
  scaleTo(u + <usize>slot * rowBytes, 1.0 / sqrt<f64>(abs<f64>(nb)), best, d);
  store<f64>(eps + (<usize>slot << 3), slot == 0 ? 1.0 : -1.0);
}
