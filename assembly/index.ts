/**
 * The kernel ABI of minframe.wasm. Every export is named family_operation and takes
 * pointers into this module's memory (owned and laid out by the TypeScript side),
 * element counts and strides; no export allocates. Batches of point sets use one
 * layout everywhere: rows back to back, d f64 per row, and an i32 offsets array of
 * count+1 row indices.
 */
export { linalg_apply, linalg_centroid } from './linalg/apply';
export { linalg_gram } from './linalg/gram';
export { linalg_qr, linalg_select } from './linalg/qr';
export { linalg_det, linalg_inverse } from './linalg/lu';
export { linalg_nonfinite } from './linalg/scale';
export { cplx_apply, cplx_gram, cplx_qr } from './linalg/complex';
export { ortho_frames, ortho_work } from './frames/orthogonal';
export { lorentz_frames, lorentz_work } from './frames/lorentz';
export { unitary_frames, unitary_work } from './frames/unitary';
export { linear_frames, linear_work } from './frames/linear';
export { perm_work, perm_colours, perm_edges } from './frames/permutation';
export { cluster_work, cluster_values, cluster_columns } from './frames/cluster';
export { canon_work, canon_csr, canon_label, canon_refine } from './canon/search';
export { canon_from_f64, canon_check_work, canon_check_csr } from './canon/input';
export { canon_twins, canon_twins_work } from './canon/reducible';

/** First byte the TypeScript arena may use (end of static data). */
export function mem_base(): usize {
  return __heap_base;
}

/** 1 when this build uses SIMD instructions. */
export function mem_simd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}
export { fa_work, fa_moments, fa_eigh, fa_expand, fa_average } from './frames/fa';
export { linalg_apply_t } from './linalg/apply';
export { cplx_apply_t } from './linalg/complex';
export { linalg_pinv, linalg_pinv_work } from './linalg/pinv';
export { avg_work, avg_orbits, avg_elements, avg_pair_orbits } from './frames/average';
