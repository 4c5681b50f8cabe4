/**
 * Gram–Schmidt orthogonalization and greedy selection of independent rows.
 *
 * Vectors are rows: a basis u_0..u_{k-1} is k rows of d f64 (row-major, stride d).
 * Orthogonalization is Gram–Schmidt (modified, or classical where the latency of
 * its dependent steps matters) with re-orthogonalization when needed (Giraud,
 * Langou, Rozložník 2005: twice is enough), which keeps the basis orthonormal to
 * round-off even for nearly dependent rows.
 */
import { dot, dotEta, axmy, scaleTo, subTo, sumSquares, copy, zero } from './vec';
import { centroid } from './apply';

/**
 * Orthogonalize w (d f64) against u_0..u_{k-1} in place; return ‖w‖².
 * One modified Gram–Schmidt pass, and a second one when the first removed more
 * than three quarters of ‖w‖² (the Daniel–Gragg–Kaufman–Stewart criterion: a
 * pass that cancels that much may leave a residual that is not orthogonal to
 * round-off; a second pass always does — "twice is enough").
 * If `rcol` != 0, the projection coefficients (summed over the passes) are
 * written to rcol[0..k-1] — column k of R in v = Uᵀ·R. With `from` != 0 (d f64
 * of scratch) the passes are classical (see `project`): their products do not
 * wait for each other, and classical GS with this criterion is as good as modified.
 * With `scale` the u_i need not be normalized (scale[i] = 1/‖u_i‖², see `project`).
 */
// @ts-ignore: decorator
@inline export function orthogonalize(u: usize, k: i32, w: usize, d: i32, rcol: usize, from: usize = 0, scale: usize = 0): f64 {
  if (rcol != 0) zero(rcol, k);
  const before = dot(w, w, d);
  if (k == 0) return before;
  if (from != 0) copy(from, w, d);
  project(u, k, w, d, rcol, scale, from);
  let n2 = dot(w, w, d);
  if (n2 < 0.25 * before) {
    if (from != 0) copy(from, w, d);
    project(u, k, w, d, rcol, scale, from);
    n2 = dot(w, w, d);
  }
  return n2;
}

/**
 * One Gram–Schmidt pass: w −= (u_i·v)·u_i for i < k, adding the coefficients to
 * rcol, with v = w as it goes (modified GS; `from` = 0) or v = `from`, a copy of w
 * at the start (classical GS: the products do not wait for each other). With
 * `scale` != 0 each product is multiplied by scale[i] (the reciprocal of u_i's own
 * product when the u_i are not normalized, or a sign), and with `eta` it is
 * Minkowski's (see orthogonalizeEta): w −= scale[i]·⟨u_i, v⟩_η·u_i.
 */
// @ts-ignore: decorator
@inline function project(u: usize, k: i32, w: usize, d: i32, rcol: usize, scale: usize = 0, from: usize = 0, eta: bool = false): void {
  const rowBytes = <usize>d << 3;
  const v = from == 0 ? w : from;
  for (let i = 0; i < k; i++) {
    const ui = u + <usize>i * rowBytes;
    const p = eta ? dotEta(ui, v, d) : dot(ui, v, d);
    const c = scale == 0 ? p : load<f64>(scale + (<usize>i << 3)) * p;
    axmy(w, c, ui, d);
    if (rcol != 0) store<f64>(rcol + (<usize>i << 3), load<f64>(rcol + (<usize>i << 3)) + c);
  }
}

/**
 * Generalized Gram–Schmidt in the Minkowski metric η = diag(1, −1, …, −1) (Lin et al.
 * 2024, Alg. 1): orthogonalize w (d f64) in place against u_0..u_{k-1}, which are
 * η-orthonormal with ⟨u_i, u_i⟩_η = eps[i] ∈ {+1, −1} (f64; 0 marks a zero row, which
 * projects nothing); return ⟨w, w⟩_η. Two classical passes (every coefficient of a
 * pass from w at its start, in `tmp`, d f64: the products run in parallel, and
 * classical GS twice is as good as modified — Giraud et al. 2005). Both passes always
 * run: the re-orthogonalization test of `orthogonalize` compares Euclidean norms,
 * which a projection in an indefinite metric need not decrease.
 */
// @ts-ignore: decorator
@inline export function orthogonalizeEta(u: usize, eps: usize, k: i32, w: usize, d: i32, tmp: usize): f64 {
  copy(tmp, w, d);
  project(u, k, w, d, 0, eps, tmp, true);
  copy(tmp, w, d);
  project(u, k, w, d, 0, eps, tmp, true);
  return dotEta(w, w, d);
}

/**
 * The Lorentz selection (Lin et al. 2024, Alg. 1; see lorentz.ts): rows in order,
 * skipping light-like ones (|⟨x,x⟩_η| <= tol·‖x‖²); each is orthogonalized by
 * orthogonalizeEta against u_0..u_{k-1}; a residual w with ‖w‖² <= thr2 depends on
 * them; otherwise u_k = s·w/√|⟨w,w⟩_η| and eps[k] = s = sign ⟨w,w⟩_η, unless
 * |⟨w,w⟩_η| <= tol·‖w‖² (a light-like residual: the row goes to bad[0] (i32) and
 * the selection stops; bad[0] = −1 otherwise). Stops after d rows. `bounds` as for
 * selectBasis (the null-pivot row counts as taken). Returns the rank k; u_k.. and
 * eps[k..] are left untouched.
 *
 * The projections use the residuals as found, v_i = w, with 1/⟨v_i, v_i⟩_η:
 * eps_i·⟨u_i, y⟩_η·u_i = ⟨v_i, y⟩_η/⟨v_i, v_i⟩_η·v_i, so the next row need not wait
 * for u_i's square root and division. `w` is scratch for d² + 3d f64 (a row, its
 * copy for orthogonalizeEta, the v_i and their reciprocal products).
 */
export function selectEta(x: usize, rows: i32, d: i32, tol: f64, thr2: f64, u: usize, eps: usize, w: usize, bad: usize, bounds: usize): i32 {
  const rowBytes = <usize>d << 3;
  const tmp = w + rowBytes;
  const v = tmp + rowBytes;
  const inv = v + <usize>d * rowBytes;
  if (ASC_FEATURE_SIMD && d >= 2 && d <= 9) {
    // one copy of selectEtaSmall per shape, as for selectSmall
    switch (d) {
      case 2: return selectEtaSmall(x, rows, tol, thr2, u, eps, v, inv, bad, bounds, 1, false);
      case 3: return selectEtaSmall(x, rows, tol, thr2, u, eps, v, inv, bad, bounds, 1, true);
      case 4: return selectEtaSmall(x, rows, tol, thr2, u, eps, v, inv, bad, bounds, 2, false);
      case 5: return selectEtaSmall(x, rows, tol, thr2, u, eps, v, inv, bad, bounds, 2, true);
      case 6: return selectEtaSmall(x, rows, tol, thr2, u, eps, v, inv, bad, bounds, 3, false);
      case 7: return selectEtaSmall(x, rows, tol, thr2, u, eps, v, inv, bad, bounds, 3, true);
      case 8: return selectEtaSmall(x, rows, tol, thr2, u, eps, v, inv, bad, bounds, 4, false);
      case 9: return selectEtaSmall(x, rows, tol, thr2, u, eps, v, inv, bad, bounds, 4, true);
    }
  }
  store<i32>(bad, -1);
  let k = 0;
  let taken = Infinity, passed = -Infinity;
  for (let r = 0; r < rows && k < d; r++) {
    const xr = x + <usize>r * rowBytes;
    if (abs<f64>(dotEta(xr, xr, d)) <= tol * dot(xr, xr, d)) continue;
    copy(w, xr, d);
    const n = orthogonalizeEta(v, inv, k, w, d, tmp);
    const e = dot(w, w, d);
    if (e <= thr2) { passed = max(passed, e); continue; }
    taken = min(taken, e);
    if (abs<f64>(n) <= tol * e) { store<i32>(bad, r); break; }
    const s: f64 = n > 0 ? 1 : -1;
    copy(v + <usize>k * rowBytes, w, d);
    store<f64>(inv + (<usize>k << 3), 1.0 / n);
    scaleTo(u + <usize>k * rowBytes, s / sqrt<f64>(abs<f64>(n)), w, d);
    store<f64>(eps + (<usize>k << 3), s);
    k++;
  }
  storeBounds(bounds, taken, passed);
  return k;
}

/**
 * selectEta for d = 2·np + (odd ? 1 : 0) <= 9 in the SIMD build, the working row in
 * registers as in selectSmall; the same operations in the same order as the general
 * loop (dotEta is 2·a_0·b_0 − dot; two classical passes against the v_i at vb, with
 * the reciprocals at inv), so both builds agree.
 */
// @ts-ignore: decorator
@inline function selectEtaSmall(x: usize, rows: i32, tol: f64, thr2: f64, u: usize, eps: usize, vb: usize, inv: usize, bad: usize, bounds: usize, np: i32, odd: bool): i32 {
  const d = 2 * np + (odd ? 1 : 0);
  const rowBytes = <usize>d << 3;
  const tail = <usize>np << 4;
  const z = f64x2.splat(0);
  store<i32>(bad, -1);
  let k = 0;
  let taken = Infinity, passed = -Infinity;
  for (let r = 0; r < rows && k < d; r++) {
    const xr = x + <usize>r * rowBytes;
    let w0 = v128.load(xr);
    let w1 = np < 2 ? z : v128.load(xr + 16);
    let w2 = np < 3 ? z : v128.load(xr + 32);
    let w3 = np < 4 ? z : v128.load(xr + 48);
    let wt: f64 = odd ? load<f64>(xr + tail) : 0;
    const x0 = f64x2.extract_lane(w0, 0);
    const xx = rowDot(w0, w1, w2, w3, wt, w0, w1, w2, w3, wt, np, odd);
    if (abs<f64>(2 * x0 * x0 - xx) <= tol * xx) continue; // light-like
    for (let pass = 0; pass < 2; pass++) {
      // classical: every coefficient from w as the pass found it (v)
      const v0 = w0, v1 = w1, v2 = w2, v3 = w3, vt = wt;
      const vv = f64x2.extract_lane(v0, 0);
      for (let i = 0; i < k; i++) {
        const ui = vb + <usize>i * rowBytes;
        const u0 = v128.load(ui);
        const u1 = np < 2 ? z : v128.load(ui + 16);
        const u2 = np < 3 ? z : v128.load(ui + 32);
        const u3 = np < 4 ? z : v128.load(ui + 48);
        const ut: f64 = odd ? load<f64>(ui + tail) : 0;
        const eta = 2 * f64x2.extract_lane(u0, 0) * vv - rowDot(u0, u1, u2, u3, ut, v0, v1, v2, v3, vt, np, odd);
        const c = load<f64>(inv + (<usize>i << 3)) * eta;
        const cv = f64x2.splat(c);
        w0 = f64x2.sub(w0, f64x2.mul(cv, u0));
        if (np > 1) w1 = f64x2.sub(w1, f64x2.mul(cv, u1));
        if (np > 2) w2 = f64x2.sub(w2, f64x2.mul(cv, u2));
        if (np > 3) w3 = f64x2.sub(w3, f64x2.mul(cv, u3));
        if (odd) wt -= c * ut;
      }
    }
    const v0 = f64x2.extract_lane(w0, 0);
    const e = rowDot(w0, w1, w2, w3, wt, w0, w1, w2, w3, wt, np, odd);
    const n = 2 * v0 * v0 - e;
    if (e <= thr2) { passed = max(passed, e); continue; }
    taken = min(taken, e);
    if (abs<f64>(n) <= tol * e) { store<i32>(bad, r); break; }
    const s: f64 = n > 0 ? 1 : -1;
    takeRow(vb + <usize>k * rowBytes, u + <usize>k * rowBytes, s / sqrt<f64>(abs<f64>(n)), w0, w1, w2, w3, wt, np, odd);
    store<f64>(inv + (<usize>k << 3), 1.0 / n);
    store<f64>(eps + (<usize>k << 3), s);
    k++;
  }
  storeBounds(bounds, taken, passed);
  return k;
}

/**
 * Greedy basis of the first linearly independent rows, in row order.
 *
 * Row r (minus t, if t != 0) is taken when its residual after projection onto
 * the rows already taken has squared norm > thr2; its normalized residual becomes
 * u_k. Greedy selection in row order yields the lexicographically first basis.
 * Stops after d rows. If `picked` != 0 the chosen row indices are written there.
 * If `bounds` != 0 it receives [the least squared residual taken (∞ if none), the
 * largest one passed over (−∞ if none)]: every threshold in [bounds[1], bounds[0])
 * selects the same rows (see `selectionHolds`).
 *
 * The projections use the residuals as found, v_i, with 1/‖v_i‖² (the same as with
 * u_i = v_i/‖v_i‖), so the next row need not wait for u_i's square root and
 * division. `w` is scratch for d² + 2d f64 (a row, the v_i and their reciprocal
 * squared norms). Returns the rank k; u_k..u_{d-1} are left untouched.
 */
export function selectBasis(x: usize, rows: i32, d: i32, t: usize, thr2: f64, u: usize, w: usize, picked: usize, bounds: usize): i32 {
  if (d == 3) return leading3(x, rows, t, thr2, u, picked, bounds) ? 3 : selectBasis3(x, rows, t, thr2, u, picked, bounds);
  const rowBytes = <usize>d << 3;
  const v = w + rowBytes;
  const inv = v + <usize>d * rowBytes;
  if (ASC_FEATURE_SIMD && d <= 9) {
    // one copy of selectSmall per shape, so that every row operation is straight-line code
    switch (d) {
      case 2: return selectSmall(x, rows, t, thr2, u, v, inv, picked, bounds, 1, false);
      case 4: return selectSmall(x, rows, t, thr2, u, v, inv, picked, bounds, 2, false);
      case 5: return selectSmall(x, rows, t, thr2, u, v, inv, picked, bounds, 2, true);
      case 6: return selectSmall(x, rows, t, thr2, u, v, inv, picked, bounds, 3, false);
      case 7: return selectSmall(x, rows, t, thr2, u, v, inv, picked, bounds, 3, true);
      case 8: return selectSmall(x, rows, t, thr2, u, v, inv, picked, bounds, 4, false);
      case 9: return selectSmall(x, rows, t, thr2, u, v, inv, picked, bounds, 4, true);
    }
  }
  let k = 0;
  let taken = Infinity, passed = -Infinity;
  for (let r = 0; r < rows && k < d; r++) {
    subTo(w, x + <usize>r * rowBytes, t, d);
    const n2 = orthogonalize(v, k, w, d, 0, u + <usize>k * rowBytes, inv); // u_k is free until taken
    if (n2 > thr2) {
      copy(v + <usize>k * rowBytes, w, d);
      store<f64>(inv + (<usize>k << 3), 1.0 / n2);
      scaleTo(u + <usize>k * rowBytes, 1.0 / sqrt<f64>(n2), w, d);
      if (picked != 0) store<i32>(picked + (<usize>k << 2), r);
      k++;
      taken = min(taken, n2);
    } else {
      passed = max(passed, n2);
    }
  }
  storeBounds(bounds, taken, passed);
  return k;
}

// @ts-ignore: decorator
@inline function storeBounds(bounds: usize, taken: f64, passed: f64): void {
  if (bounds != 0) {
    store<f64>(bounds, taken);
    store<f64>(bounds + 8, passed);
  }
}

/**
 * Whether a selection made with some provisional threshold (`bounds` from
 * selectBasis) is the one threshold thr2 makes: every row taken has a squared
 * residual above thr2 and every row passed over one at most thr2.
 */
// @ts-ignore: decorator
@inline export function selectionHolds(bounds: usize, thr2: f64): bool {
  return thr2 < load<f64>(bounds) && load<f64>(bounds + 8) <= thr2;
}

/**
 * selectBasis for d = 2·np + (odd ? 1 : 0) <= 9 in the SIMD build (np and odd are
 * constants at every call): the working row is np f64x2 locals and, for odd d, a
 * scalar, so each dot product, projection and scaling is a few straight-line
 * instructions instead of a loop (at these sizes the loops' control costs more than
 * their arithmetic). The operations and their order are exactly those of the general
 * loop (subTo, classical orthogonalize against the v_i at vb scaled by inv, with its
 * DGKS test, scaleTo; `dot` adds the even and odd lanes, then the odd tail), which
 * the scalar build runs, so both builds agree.
 */
// @ts-ignore: decorator
@inline function selectSmall(x: usize, rows: i32, t: usize, thr2: f64, u: usize, vb: usize, inv: usize, picked: usize, bounds: usize, np: i32, odd: bool): i32 {
  const d = 2 * np + (odd ? 1 : 0);
  const rowBytes = <usize>d << 3;
  const tail = <usize>np << 4; // byte offset of the odd element
  const z = f64x2.splat(0);
  const t0 = t == 0 ? z : v128.load(t);
  const t1 = t == 0 || np < 2 ? z : v128.load(t + 16);
  const t2 = t == 0 || np < 3 ? z : v128.load(t + 32);
  const t3 = t == 0 || np < 4 ? z : v128.load(t + 48);
  const tt: f64 = t == 0 || !odd ? 0 : load<f64>(t + tail);
  let k = 0;
  let taken = Infinity, passed = -Infinity;
  for (let r = 0; r < rows && k < d; r++) {
    const xr = x + <usize>r * rowBytes;
    let w0 = v128.load(xr);
    let w1 = np < 2 ? z : v128.load(xr + 16);
    let w2 = np < 3 ? z : v128.load(xr + 32);
    let w3 = np < 4 ? z : v128.load(xr + 48);
    let wt: f64 = odd ? load<f64>(xr + tail) : 0;
    if (t != 0) {
      w0 = f64x2.sub(w0, t0);
      if (np > 1) w1 = f64x2.sub(w1, t1);
      if (np > 2) w2 = f64x2.sub(w2, t2);
      if (np > 3) w3 = f64x2.sub(w3, t3);
      if (odd) wt -= tt;
    }
    const before = rowDot(w0, w1, w2, w3, wt, w0, w1, w2, w3, wt, np, odd);
    let n2 = before;
    // classical Gram–Schmidt (every coefficient from w as the pass found it, v), and a
    // second pass when the first cancelled most of w (DGKS)
    for (let pass = 0; k > 0; pass++) {
      const v0 = w0, v1 = w1, v2 = w2, v3 = w3, vt = wt;
      for (let i = 0; i < k; i++) {
        const ui = vb + <usize>i * rowBytes;
        const u0 = v128.load(ui);
        const u1 = np < 2 ? z : v128.load(ui + 16);
        const u2 = np < 3 ? z : v128.load(ui + 32);
        const u3 = np < 4 ? z : v128.load(ui + 48);
        const ut: f64 = odd ? load<f64>(ui + tail) : 0;
        const c = load<f64>(inv + (<usize>i << 3)) * rowDot(u0, u1, u2, u3, ut, v0, v1, v2, v3, vt, np, odd);
        const cv = f64x2.splat(c);
        w0 = f64x2.sub(w0, f64x2.mul(cv, u0));
        if (np > 1) w1 = f64x2.sub(w1, f64x2.mul(cv, u1));
        if (np > 2) w2 = f64x2.sub(w2, f64x2.mul(cv, u2));
        if (np > 3) w3 = f64x2.sub(w3, f64x2.mul(cv, u3));
        if (odd) wt -= c * ut;
      }
      n2 = rowDot(w0, w1, w2, w3, wt, w0, w1, w2, w3, wt, np, odd);
      if (pass == 1 || !(n2 < 0.25 * before)) break;
    }
    if (n2 > thr2) {
      takeRow(vb + <usize>k * rowBytes, u + <usize>k * rowBytes, 1.0 / sqrt<f64>(n2), w0, w1, w2, w3, wt, np, odd);
      store<f64>(inv + (<usize>k << 3), 1.0 / n2);
      if (picked != 0) store<i32>(picked + (<usize>k << 2), r);
      k++;
      taken = min(taken, n2);
    } else {
      passed = max(passed, n2);
    }
  }
  storeBounds(bounds, taken, passed);
  return k;
}

/**
 * A row held as selectSmall holds it, taken into the basis: the residual itself to
 * vk (what later rows project against) and f times it to uk (the basis vector).
 */
// @ts-ignore: decorator
@inline function takeRow(vk: usize, uk: usize, f: f64, w0: v128, w1: v128, w2: v128, w3: v128, wt: f64, np: i32, odd: bool): void {
  const tail = <usize>np << 4;
  const fv = f64x2.splat(f);
  v128.store(vk, w0);
  v128.store(uk, f64x2.mul(fv, w0));
  if (np > 1) {
    v128.store(vk + 16, w1);
    v128.store(uk + 16, f64x2.mul(fv, w1));
  }
  if (np > 2) {
    v128.store(vk + 32, w2);
    v128.store(uk + 32, f64x2.mul(fv, w2));
  }
  if (np > 3) {
    v128.store(vk + 48, w3);
    v128.store(uk + 48, f64x2.mul(fv, w3));
  }
  if (odd) {
    store<f64>(vk + tail, wt);
    store<f64>(uk + tail, f * wt);
  }
}

/** `dot` of two rows held as selectSmall holds them: the lanes summed, then the tail. */
// @ts-ignore: decorator
@inline function rowDot(a0: v128, a1: v128, a2: v128, a3: v128, at: f64, b0: v128, b1: v128, b2: v128, b3: v128, bt: f64, np: i32, odd: bool): f64 {
  let acc = f64x2.add(f64x2.splat(0), f64x2.mul(a0, b0));
  if (np > 1) acc = f64x2.add(acc, f64x2.mul(a1, b1));
  if (np > 2) acc = f64x2.add(acc, f64x2.mul(a2, b2));
  if (np > 3) acc = f64x2.add(acc, f64x2.mul(a3, b3));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (odd) s += at * bt;
  return s;
}

/**
 * The d = 3 selection when it takes rows 0, 1 and 2 of X − t (y_0, y_1, y_2) and the
 * second needs no re-orthogonalization — all but degenerate inputs. Their residuals
 * are areas and volumes, |y_0|², |n|²/|y_0|² and (n·y_2)²/|n|² with n = y_0×y_1
 * (what Gram–Schmidt leaves, up to round-off), so the three basis vectors are
 * normalized side by side instead of one after another: u_0 = y_0/|y_0|,
 * u_1 = r/|r| with r = y_1 − (y_0·y_1/|y_0|²)·y_0, u_2 = ±n/|n| (signed towards
 * y_2). One projection suffices when |r|² = |n|²/|y_0|² >= |y_1|²/4 (selectBasis3's
 * DGKS test). Returns false, writing nothing, for any other case, which
 * selectBasis3 then decides. With u = 0 only picked (and bounds) are written.
 */
// @ts-ignore: decorator
@inline export function leading3(x: usize, rows: i32, t: usize, thr2: f64, u: usize, picked: usize, bounds: usize): bool {
  if (rows < 3) return false;
  const t0: f64 = t == 0 ? 0 : load<f64>(t);
  const t1: f64 = t == 0 ? 0 : load<f64>(t + 8);
  const t2: f64 = t == 0 ? 0 : load<f64>(t + 16);
  const a0 = load<f64>(x) - t0, a1 = load<f64>(x + 8) - t1, a2 = load<f64>(x + 16) - t2;
  const b0 = load<f64>(x + 24) - t0, b1 = load<f64>(x + 32) - t1, b2 = load<f64>(x + 40) - t2;
  const c0 = load<f64>(x + 48) - t0, c1 = load<f64>(x + 56) - t1, c2 = load<f64>(x + 64) - t2;
  const aa = a0 * a0 + a1 * a1 + a2 * a2;
  const bb = b0 * b0 + b1 * b1 + b2 * b2;
  const n0 = a1 * b2 - a2 * b1, n1 = a2 * b0 - a0 * b2, n2 = a0 * b1 - a1 * b0;
  const nn = n0 * n0 + n1 * n1 + n2 * n2;
  const v = n0 * c0 + n1 * c1 + n2 * c2;
  if (!(aa > thr2 && nn > thr2 * aa && v * v > thr2 * nn && nn >= 0.25 * bb * aa)) return false;
  if (u != 0) {
    const ia = 1.0 / sqrt<f64>(aa);
    store<f64>(u, a0 * ia);
    store<f64>(u + 8, a1 * ia);
    store<f64>(u + 16, a2 * ia);
    const f = (a0 * b0 + a1 * b1 + a2 * b2) / aa;
    const r0 = b0 - f * a0, r1 = b1 - f * a1, r2 = b2 - f * a2;
    const ir = 1.0 / sqrt<f64>(r0 * r0 + r1 * r1 + r2 * r2);
    store<f64>(u + 24, r0 * ir);
    store<f64>(u + 32, r1 * ir);
    store<f64>(u + 40, r2 * ir);
    const inn = (v > 0 ? 1.0 : -1.0) / sqrt<f64>(nn);
    store<f64>(u + 48, n0 * inn);
    store<f64>(u + 56, n1 * inn);
    store<f64>(u + 64, n2 * inn);
  }
  if (picked != 0) {
    store<i32>(picked, 0);
    store<i32>(picked + 4, 1);
    store<i32>(picked + 8, 2);
  }
  if (bounds != 0) storeBounds(bounds, min(aa, min(nn / aa, v * v / nn)), -Infinity);
  return true;
}

/**
 * selectBasis for d = 3 in registers (both builds): the general loop's bookkeeping
 * costs more than the arithmetic at this size. The same Gram–Schmidt steps, except
 * that the third vector is ±u_0×u_1 (the unique unit vector orthogonal to both,
 * signed towards the row), whose residual is |(u_0×u_1)·v| — equal to Gram–Schmidt's
 * up to round-off and orthonormal by construction.
 */
function selectBasis3(x: usize, rows: i32, t: usize, thr2: f64, u: usize, picked: usize, bounds: usize): i32 {
  const t0: f64 = t == 0 ? 0 : load<f64>(t);
  const t1: f64 = t == 0 ? 0 : load<f64>(t + 8);
  const t2: f64 = t == 0 ? 0 : load<f64>(t + 16);
  let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0; // u_0
  let b0: f64 = 0, b1: f64 = 0, b2: f64 = 0; // u_1
  let k = 0;
  let taken = Infinity, passed = -Infinity;
  for (let r = 0; r < rows && k < 3; r++) {
    const p = x + <usize>r * 24;
    let v0 = load<f64>(p) - t0, v1 = load<f64>(p + 8) - t1, v2 = load<f64>(p + 16) - t2;
    if (k == 2) {
      const n0 = a1 * b2 - a2 * b1, n1 = a2 * b0 - a0 * b2, n2 = a0 * b1 - a1 * b0;
      const c = n0 * v0 + n1 * v1 + n2 * v2;
      const c2 = c * c;
      if (c2 <= thr2) { passed = max(passed, c2); continue; }
      taken = min(taken, c2);
      const s: f64 = c > 0 ? 1 : -1;
      store<f64>(u + 48, s * n0);
      store<f64>(u + 56, s * n1);
      store<f64>(u + 64, s * n2);
    } else {
      const before = v0 * v0 + v1 * v1 + v2 * v2;
      let n2 = before;
      if (k == 1) {
        // one projection, and a second when the first cancelled most of v (DGKS)
        let c = a0 * v0 + a1 * v1 + a2 * v2;
        v0 -= c * a0; v1 -= c * a1; v2 -= c * a2;
        n2 = v0 * v0 + v1 * v1 + v2 * v2;
        if (n2 < 0.25 * before) {
          c = a0 * v0 + a1 * v1 + a2 * v2;
          v0 -= c * a0; v1 -= c * a1; v2 -= c * a2;
          n2 = v0 * v0 + v1 * v1 + v2 * v2;
        }
      }
      if (n2 <= thr2) { passed = max(passed, n2); continue; }
      taken = min(taken, n2);
      const inv = 1.0 / sqrt<f64>(n2);
      v0 *= inv; v1 *= inv; v2 *= inv;
      if (k == 0) { a0 = v0; a1 = v1; a2 = v2; } else { b0 = v0; b1 = v1; b2 = v2; }
      const o = <usize>k * 24;
      store<f64>(u + o, v0);
      store<f64>(u + o + 8, v1);
      store<f64>(u + o + 16, v2);
    }
    if (picked != 0) store<i32>(picked + (<usize>k << 2), r);
    k++;
  }
  storeBounds(bounds, taken, passed);
  return k;
}

/**
 * Mean squared row norm, Σ_r ‖x_r‖² / rows: the O(d)-invariant scale that rank
 * tolerances are relative to (one flat pass over rows·d values).
 */
// @ts-ignore: decorator
@inline export function meanSquare(x: usize, rows: i32, d: i32): f64 {
  return rows == 0 ? 0 : sumSquares(x, rows * d) / <f64>rows;
}

/**
 * The invariant squared scale s² of one input that rank tolerances are relative to
 * (thresholds are (tol·s)²): for `center`, t = the centroid and s² the mean squared
 * distance from the first point (translation- and rotation-invariant, from the same
 * pass); otherwise t = 0 and s² the mean squared norm. Shared by every frame family
 * that picks rows.
 */
// @ts-ignore: decorator
@inline export function invariantScale2(x: usize, rows: i32, d: i32, center: bool, t: usize): f64 {
  if (center) return rows == 0 ? 0 : centroid(x, rows, d, t) / <f64>rows;
  zero(t, d);
  return meanSquare(x, rows, d);
}

/**
 * Batched greedy selection: for input i (batch layout of linalg_apply), write the
 * indices of its first independent rows (residual² > tol²·meanSquare), −1 padded,
 * to picked[i·d ..], −1 padded, and its rank to rank[i]. `work` holds 2d² + 2d f64.
 */
export function linalg_select(x: usize, offsets: usize, count: i32, d: i32, tol: f64, work: usize, picked: usize, rank: usize): void {
  const rowBytes = <usize>d << 3;
  const w = work + <usize>d * rowBytes;
  for (let i = 0; i < count; i++) {
    const r0 = load<i32>(offsets + (<usize>i << 2));
    const r1 = load<i32>(offsets + (<usize>(i + 1) << 2));
    const xi = x + <usize>r0 * rowBytes;
    const pi = picked + ((<usize>i * <usize>d) << 2);
    for (let j = 0; j < d; j++) store<i32>(pi + (<usize>j << 2), -1);
    const thr2 = tol * tol * meanSquare(xi, r1 - r0, d);
    store<i32>(rank + (<usize>i << 2), selectBasis(xi, r1 - r0, d, 0, thr2, work, w, pi, 0));
  }
}

/**
 * Batched thin QR of k row vectors in R^d (k <= d): for each of `count` inputs,
 * a (k×d, row-major) = R^T·U with U (k×d) orthonormal rows and R (k×k) upper
 * triangular with a non-negative diagonal; a column dependent on the previous
 * ones (residual exactly 0) gives R_jj = 0 and a zero row in U.
 * Outputs u (count·k·d) and r (count·k·k), row-major.
 */
export function linalg_qr(a: usize, count: i32, k: i32, d: i32, u: usize, r: usize): void {
  const rowBytes = <usize>d << 3;
  for (let i = 0; i < count; i++) {
    const ai = a + <usize>i * <usize>k * rowBytes;
    const ui = u + <usize>i * <usize>k * rowBytes;
    const ri = r + ((<usize>i * <usize>k * <usize>k) << 3);
    zero(ri, k * k);
    for (let j = 0; j < k; j++) {
      const w = ui + <usize>j * rowBytes;
      copy(w, ai + <usize>j * rowBytes, d);
      const col = ri + ((<usize>j * <usize>k) << 3); // row j of R^T, transposed below
      const n2 = orthogonalize(ui, j, w, d, col);
      const nrm = sqrt<f64>(n2);
      store<f64>(col + (<usize>j << 3), nrm);
      if (nrm > 0) scaleTo(w, 1.0 / nrm, w, d);
      else zero(w, d);
    }
    // the loop wrote R^T (row j = column j of R); transpose in place
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const pq = ri + ((<usize>p * <usize>k + <usize>q) << 3);
        const qp = ri + ((<usize>q * <usize>k + <usize>p) << 3);
        const tmp = load<f64>(pq);
        store<f64>(pq, load<f64>(qp));
        store<f64>(qp, tmp);
      }
    }
  }
}
