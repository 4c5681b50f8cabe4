/**
 * `minframe/testing`: seeded random inputs, random group elements and the
 * equivariance error, for property tests of models wrapped with minframe.
 */
export { rng, gaussian, gaussianMatrix } from './random.js';
export { haarOrthogonal, haarSpecialOrthogonal, randomPermutation, determinant, withSingularValues } from './haar.js';
export { actRows, actComplexRows, permuteRows, relativeError } from './equivariance.js';
export {
  lorentzElement, boost, minkowskiDiagonal, haarUnitary, haarSpecialUnitary, complexMatmul, complexDeterminant,
  generalLinear, specialLinear, affineElement,
} from './groups.js';
export { testFunctions, type TestFunction } from './functions.js';
