/**
 * Frame averaging baselines FA, SFA and iFA for O(d), SO(d), E(d), SE(d) (Puny et
 * al., "Frame averaging for invariant and equivariant network design", ICLR 2022):
 * the frame of X is built from the eigenvectors of its second-moment matrix
 * A = (X − t)ᵀ(X − t), t = centroid (E, SE) or 0, with every choice of their signs.
 *
 * The kernels, in the order src/frames/fa.ts calls them per slice of a batch:
 * fa_moments (t and A), fa_eigh (A = V·diag(λ)·Vᵀ), fa_expand (the frame's elements
 * and the canonical inputs g⁻¹·X, one per element), and fa_average (model outputs
 * on those canonical inputs mapped back and averaged). Batches use the layout of
 * linalg_apply (assembly/linalg/apply.ts).
 */
import { applyRows, centroid } from '../linalg/apply';
import { det } from '../linalg/lu';
import { dot, subTo, zero } from '../linalg/vec';

/** Flag bits of fa_moments and fa_expand. */
export const FA_SPECIAL: i32 = 1; // SO / SE: only elements with det = +1
export const FA_CENTER: i32 = 2; // E / SE: second moments about the centroid
export const FA_NULL: i32 = 4; // iFA: zero the eigenvectors of eigenvalues <= tol·λ_max

/** fa_expand's pick[i]: every element of input i's frame, or none of them (a skipped input). */
export const FA_ALL: i32 = -1;
export const FA_NONE: i32 = -2;

/** Cyclic sweeps fa_eigh allows; quadratic convergence needs well under ten for d <= 12. */
const MAX_SWEEPS = 60;

/** Bytes of scratch every fa_* kernel needs for dimension d (one size serves them all). */
export function fa_work(d: i32): i32 {
  return (3 * d * d + 2 * d) * 8 + d * 4;
}

/**
 * Per input i (n_i rows at x, layout of linalg_apply): shift[i·d..] = its centroid
 * when flags has FA_CENTER, else 0; a[i·d²..] = Σ_r (x_r − t)(x_r − t)ᵀ, d×d
 * row-major and symmetric (each entry on and above the diagonal is summed over the
 * rows in order, two rows a step — y_r,p·y_r,q + y_r+1,p·y_r+1,q is added — and
 * mirrored). An input without rows gives t = 0, A = 0. `work` holds fa_work(d) bytes.
 */
export function fa_moments(x: usize, offsets: usize, count: i32, d: i32, flags: i32, work: usize, shift: usize, a: usize): void {
  const rowBytes = <usize>d << 3;
  const matBytes = <usize>d * rowBytes;
  const center = (flags & FA_CENTER) != 0;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const rows = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    const xi = x + <usize>r0 * rowBytes;
    const t = shift + <usize>i * rowBytes;
    const ai = a + <usize>i * matBytes;
    if (center) centroid(xi, rows, d, t);
    else zero(t, d);
    zero(ai, d * d);
    let r = 0;
    for (; r + 2 <= rows; r += 2) {
      let y0 = xi + <usize>r * rowBytes;
      let y1 = y0 + rowBytes;
      if (center) {
        // the centred rows, in work
        subTo(work, y0, t, d);
        subTo(work + rowBytes, y1, t, d);
        y0 = work;
        y1 = work + rowBytes;
      }
      for (let p = 0; p < d; p++) {
        const u0 = load<f64>(y0 + (<usize>p << 3));
        const u1 = load<f64>(y1 + (<usize>p << 3));
        const row = ai + <usize>p * rowBytes;
        for (let q = p; q < d; q++) {
          const o = <usize>q << 3;
          store<f64>(row + o, load<f64>(row + o) + (u0 * load<f64>(y0 + o) + u1 * load<f64>(y1 + o)));
        }
      }
    }
    if (r < rows) {
      let y0 = xi + <usize>r * rowBytes;
      if (center) {
        subTo(work, y0, t, d);
        y0 = work;
      }
      for (let p = 0; p < d; p++) {
        const u0 = load<f64>(y0 + (<usize>p << 3));
        const row = ai + <usize>p * rowBytes;
        for (let q = p; q < d; q++) {
          const o = <usize>q << 3;
          store<f64>(row + o, load<f64>(row + o) + u0 * load<f64>(y0 + o));
        }
      }
    }
    for (let p = 1; p < d; p++) {
      for (let q = 0; q < p; q++) store<f64>(ai + <usize>p * rowBytes + (<usize>q << 3), load<f64>(ai + <usize>q * rowBytes + (<usize>p << 3)));
    }
  }
}

/**
 * Symmetric eigendecomposition of count d×d row-major matrices at a (each read
 * from its upper triangle, not modified): values[i·d..] = λ_0 >= λ_1 >= … (sorted
 * descending; equal values keep Jacobi's order), vectors[i·d²..] = V with V[a][j]
 * = component a of the unit eigenvector of λ_j (A = V·diag(λ)·Vᵀ, V orthogonal).
 * vectors = 0: eigenvalues only.
 *
 * Sign convention: each eigenvector's component of largest magnitude (the first
 * of equal ones) is positive.
 *
 * The method is cyclic Jacobi (Golub & Van Loan, "Matrix Computations", §8.5):
 * sweeps over the pairs p < q in row order, each a plane rotation that zeroes
 * a_pq. An a_pq too small to change a_pp or a_qq in floating point (100·|a_pq|
 * lost in both sums) is set to zero without a rotation (Rutishauser's rule: a
 * change below 0.01 ulp of the diagonal, so backward stability is kept), and the
 * iteration ends with the first sweep without a rotation, at an exactly diagonal
 * matrix.
 * Jacobi is backward stable and accurate for the small d frames use; the code is
 * scalar, so both builds give identical bits.
 */
export function fa_eigh(a: usize, count: i32, d: i32, work: usize, values: usize, vectors: usize): void {
  const matBytes = (<usize>d * <usize>d) << 3;
  for (let i = 0; i < count; i++) {
    eigh(a + <usize>i * matBytes, d, work, values + ((<usize>i * <usize>d) << 3), vectors == 0 ? 0 : vectors + <usize>i * matBytes);
  }
}

/** One matrix of fa_eigh: m (d×d) → lam (d), v (d×d, or 0); work holds d² f64. */
function eigh(m: usize, d: i32, work: usize, lam: usize, v: usize): void {
  const rowBytes = <usize>d << 3;
  const w = work;
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      const x = load<f64>(m + <usize>p * rowBytes + (<usize>q << 3));
      store<f64>(w + <usize>p * rowBytes + (<usize>q << 3), x);
      store<f64>(w + <usize>q * rowBytes + (<usize>p << 3), x);
    }
  }
  if (v != 0) {
    zero(v, d * d);
    for (let p = 0; p < d; p++) store<f64>(v + <usize>p * rowBytes + (<usize>p << 3), 1.0);
  }
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const opq = w + <usize>p * rowBytes + (<usize>q << 3);
        const apq = load<f64>(opq);
        if (apq == 0) continue;
        const opp = w + <usize>p * rowBytes + (<usize>p << 3);
        const oqq = w + <usize>q * rowBytes + (<usize>q << 3);
        const app = load<f64>(opp);
        const aqq = load<f64>(oqq);
        const g = 100 * abs<f64>(apq);
        if (abs<f64>(app) + g == abs<f64>(app) && abs<f64>(aqq) + g == abs<f64>(aqq)) {
          store<f64>(opq, 0);
          store<f64>(w + <usize>q * rowBytes + (<usize>p << 3), 0);
          continue;
        }
        rotated = true;
        rotate(w, v, d, p, q, app, aqq, apq);
      }
    }
    if (!rotated) break;
  }
  for (let j = 0; j < d; j++) store<f64>(lam + (<usize>j << 3), load<f64>(w + <usize>j * rowBytes + (<usize>j << 3)));
  sortDescending(lam, v, d);
  if (v != 0) fixSigns(v, d);
}

/**
 * The Jacobi rotation J in the (p, q) plane with Jᵀ·A·J zeroing a_pq: t = tan θ is
 * the smaller root of t² + 2τt − 1 = 0, τ = (a_qq − a_pp)/(2a_pq) (the rotation by
 * at most π/4, which keeps the rest of A from growing), c = cos θ, s = sin θ.
 * Then a_pp −= t·a_pq, a_qq += t·a_pq, columns (rows) p and q of A mix as
 * (c·a_kp − s·a_kq, s·a_kp + c·a_kq), and V ← V·J.
 */
// @ts-ignore: decorator
@inline function rotate(w: usize, v: usize, d: i32, p: i32, q: i32, app: f64, aqq: f64, apq: f64): void {
  const rowBytes = <usize>d << 3;
  const tau = (aqq - app) / (2 * apq);
  // for huge τ, τ² would overflow: t ≈ 1/(2τ) there
  let t = abs<f64>(tau) > 1e150 ? 1 / (2 * abs<f64>(tau)) : 1 / (abs<f64>(tau) + sqrt<f64>(tau * tau + 1));
  if (tau < 0) t = -t;
  const c = 1 / sqrt<f64>(t * t + 1);
  const s = t * c;
  const rp = w + <usize>p * rowBytes;
  const rq = w + <usize>q * rowBytes;
  const op = <usize>p << 3;
  const oq = <usize>q << 3;
  store<f64>(rp + op, app - t * apq);
  store<f64>(rq + oq, aqq + t * apq);
  store<f64>(rp + oq, 0);
  store<f64>(rq + op, 0);
  for (let k = 0; k < d; k++) {
    if (k == p || k == q) continue;
    const rk = w + <usize>k * rowBytes;
    const akp = load<f64>(rk + op);
    const akq = load<f64>(rk + oq);
    const bp = c * akp - s * akq;
    const bq = s * akp + c * akq;
    store<f64>(rk + op, bp);
    store<f64>(rp + (<usize>k << 3), bp);
    store<f64>(rk + oq, bq);
    store<f64>(rq + (<usize>k << 3), bq);
  }
  if (v == 0) return;
  for (let k = 0; k < d; k++) {
    const rk = v + <usize>k * rowBytes;
    const vkp = load<f64>(rk + op);
    const vkq = load<f64>(rk + oq);
    store<f64>(rk + op, c * vkp - s * vkq);
    store<f64>(rk + oq, s * vkp + c * vkq);
  }
}

/** Selection sort of lam descending, moving the columns of v (v may be 0) along. */
function sortDescending(lam: usize, v: usize, d: i32): void {
  const rowBytes = <usize>d << 3;
  for (let j = 0; j < d - 1; j++) {
    let best = j;
    for (let k = j + 1; k < d; k++) if (load<f64>(lam + (<usize>k << 3)) > load<f64>(lam + (<usize>best << 3))) best = k;
    if (best == j) continue;
    const oj = <usize>j << 3;
    const ob = <usize>best << 3;
    const t = load<f64>(lam + oj);
    store<f64>(lam + oj, load<f64>(lam + ob));
    store<f64>(lam + ob, t);
    if (v == 0) continue;
    for (let a = 0; a < d; a++) {
      const ra = v + <usize>a * rowBytes;
      const u = load<f64>(ra + oj);
      store<f64>(ra + oj, load<f64>(ra + ob));
      store<f64>(ra + ob, u);
    }
  }
}

/** Negate the columns of v whose component of largest magnitude (the first of equal ones) is negative. */
function fixSigns(v: usize, d: i32): void {
  const rowBytes = <usize>d << 3;
  for (let j = 0; j < d; j++) {
    const oj = <usize>j << 3;
    let big = v + oj;
    for (let a = 1; a < d; a++) {
      const o = v + <usize>a * rowBytes + oj;
      if (abs<f64>(load<f64>(o)) > abs<f64>(load<f64>(big))) big = o;
    }
    if (load<f64>(big) >= 0) continue;
    for (let a = 0; a < d; a++) {
      const o = v + <usize>a * rowBytes + oj;
      store<f64>(o, -load<f64>(o));
    }
  }
}

/**
 * The frame elements and canonical inputs of each input i, from its eigenvectors
 * V_i (vectors, layout of fa_eigh), eigenvalues (values) and shift t_i:
 *
 * - Elements are M = W'·diag(s), one per sign vector s ∈ {−1, +1}^d, enumerated in
 *   the order of Python's itertools.product([-1, 1], repeat=d) (element index e:
 *   s_j = +1 where bit d−1−j of e is set), keeping only those with det(W·diag(s))
 *   = +1 when flags has FA_SPECIAL (2^(d−1) of them). W is V with its columns in
 *   ascending order of eigenvalue (W[a][j] = V[a][d−1−j]), the reference
 *   implementation's order (numpy.linalg.eigh's), so canonical coordinates come in
 *   the same order as there; W' is W, or with FA_NULL W with the columns of
 *   eigenvalues <= tol·λ_0 zeroed (λ_0 the largest). The determinant is W's, whose
 *   sign selects the same multiset of W'·diag(s) whatever the null columns are.
 * - pick[i] (i32) selects: FA_ALL every element; e >= 0 only the e-th kept one
 *   (SFA); FA_NONE nothing (a skipped input).
 * - For each selected element, in order: its M (d×d row-major) goes to matrices,
 *   and its canonical input c = (X_i − t_i)·M (n_i rows, the element acting as
 *   x ↦ x·Mᵀ + t) to canonical, elements of every input back to back.
 *
 * The first selected element's c comes from applyRows; the others differ from it
 * only in the signs of columns, so they are copies with signs applied (exact).
 * `work` holds fa_work(d) bytes.
 */
export function fa_expand(
  x: usize, offsets: usize, count: i32, d: i32, flags: i32, tol: f64,
  values: usize, vectors: usize, shift: usize, pick: usize, work: usize, matrices: usize, canonical: usize,
): void {
  const rowBytes = <usize>d << 3;
  const matBytes = <usize>d * rowBytes;
  const vm = work; // W'
  const first = vm + matBytes; // the first selected element's signs
  const sgn = first + rowBytes; // relative signs of the current element
  const scratch = sgn + rowBytes; // d² f64 + d i32 for det
  const total = 1 << d;
  let mo = matrices;
  let co = canonical;
  for (let i = 0; i < count; i++) {
    const sel = load<i32>(pick + (<usize>i << 2));
    if (sel == FA_NONE) continue;
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const rows = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    const xi = x + <usize>r0 * rowBytes;
    const vi = vectors + <usize>i * matBytes;
    const li = values + ((<usize>i * <usize>d) << 3);
    // the columns in ascending order of eigenvalue
    for (let a = 0; a < d; a++) {
      for (let j = 0; j < d; j++) store<f64>(vm + <usize>a * rowBytes + (<usize>j << 3), load<f64>(vi + <usize>a * rowBytes + (<usize>(d - 1 - j) << 3)));
    }
    const parity: i32 = (flags & FA_SPECIAL) != 0 ? (det(vm, d, scratch) < 0 ? 1 : 0) : -1;
    if ((flags & FA_NULL) != 0) {
      const limit = tol * load<f64>(li);
      for (let j = 0; j < d; j++) {
        if (load<f64>(li + (<usize>(d - 1 - j) << 3)) > limit) continue;
        for (let a = 0; a < d; a++) store<f64>(vm + <usize>a * rowBytes + (<usize>j << 3), 0);
      }
    }
    const cBytes = <usize>rows * rowBytes;
    let kept = 0;
    let base: usize = 0; // the first selected element's canonical input, once written
    let haveBase = false;
    for (let e = 0; e < total; e++) {
      // det(V·diag(s)) = det V · (−1)^(number of −1 signs)
      if (parity >= 0 && ((d - popcnt<i32>(e)) & 1) != parity) continue;
      const index = kept++;
      if (sel != FA_ALL && index != sel) continue;
      for (let j = 0; j < d; j++) {
        const s: f64 = ((e >> (d - 1 - j)) & 1) != 0 ? 1.0 : -1.0;
        for (let a = 0; a < d; a++) {
          const o = <usize>a * rowBytes + (<usize>j << 3);
          store<f64>(mo + o, s * load<f64>(vm + o));
        }
        if (!haveBase) store<f64>(first + (<usize>j << 3), s);
        else store<f64>(sgn + (<usize>j << 3), s * load<f64>(first + (<usize>j << 3)));
      }
      if (!haveBase) {
        const t: usize = (flags & FA_CENTER) != 0 ? shift + <usize>i * rowBytes : 0;
        applyRows(xi, rows, d, mo, t, 0, co, 0);
        base = co;
        haveBase = true;
      } else {
        flipColumns(base, rows, d, sgn, co);
      }
      mo += matBytes;
      co += cBytes;
    }
  }
}

/** out_r = x_r ⊙ s for `rows` rows of d values (s: d signs ±1; exact, so the same bits in both builds). */
function flipColumns(x: usize, rows: i32, d: i32, s: usize, out: usize): void {
  const rowBytes = <usize>d << 3;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = out + <usize>r * rowBytes;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 2 <= d; j += 2) {
        const o = <usize>j << 3;
        v128.store(yr + o, f64x2.mul(v128.load(xr + o), v128.load(s + o)));
      }
    }
    for (; j < d; j++) {
      const o = <usize>j << 3;
      store<f64>(yr + o, load<f64>(xr + o) * load<f64>(s + o));
    }
  }
}

/**
 * Averaged equivariant outputs: for each input i with frame elements
 * elementOffsets[i] .. elementOffsets[i+1]−1 (i32, count+1 entries; the elements'
 * matrices at `matrices`, d² each, as fa_expand writes them), and y holding the
 * model's output on each element's canonical input (n_i rows each, laid out like
 * fa_expand's canonical), out_i = (1/|F_i|)·Σ_e y_e·M_eᵀ + t_i (layout of x;
 * t_i from shift when shift != 0, for outputs of kind points). Entries of y·Mᵀ are
 * dot products of an output row with a row of M, summed over the elements in
 * order. An input without elements gets NaN rows.
 */
export function fa_average(
  y: usize, offsets: usize, count: i32, d: i32, elementOffsets: usize, matrices: usize, shift: usize, out: usize,
): void {
  const rowBytes = <usize>d << 3;
  const matBytes = <usize>d * rowBytes;
  let yo = y;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const rows = load<i32>(offsets + (<usize>(i + 1) << 2)) - r0;
    const e0 = load<i32>(elementOffsets + (<usize>i << 2));
    const size = load<i32>(elementOffsets + (<usize>(i + 1) << 2)) - e0;
    const oi = out + <usize>r0 * rowBytes;
    if (size == 0) {
      for (let k = 0; k < rows * d; k++) store<f64>(oi + (<usize>k << 3), NaN);
      continue;
    }
    zero(oi, rows * d);
    for (let e = 0; e < size; e++) {
      const m = matrices + <usize>(e0 + e) * matBytes;
      for (let r = 0; r < rows; r++) {
        const yr = yo + <usize>r * rowBytes;
        const orow = oi + <usize>r * rowBytes;
        for (let j = 0; j < d; j++) {
          const o = orow + (<usize>j << 3);
          store<f64>(o, load<f64>(o) + dot(yr, m + <usize>j * rowBytes, d));
        }
      }
      yo += <usize>rows * rowBytes;
    }
    const inv = 1.0 / <f64>size;
    const t: usize = shift == 0 ? 0 : shift + <usize>i * rowBytes;
    for (let r = 0; r < rows; r++) {
      const orow = oi + <usize>r * rowBytes;
      for (let j = 0; j < d; j++) {
        const o = orow + (<usize>j << 3);
        const v = load<f64>(o) * inv;
        store<f64>(o, t == 0 ? v : v + load<f64>(t + (<usize>j << 3)));
      }
    }
  }
}
