/**
 * `minframe/testing`: seeded random inputs, random group elements and the
 * equivariance error, for property tests of models wrapped with minframe.
 */
export { rng, gaussian, gaussianMatrix } from './random.js';
export { haarOrthogonal, haarSpecialOrthogonal, randomPermutation, determinant } from './haar.js';
export { actRows, permuteRows, relativeError } from './equivariance.js';
