export { l2Normalize, L2NormalizeOptions, NORM_EPS } from './l2_normalize';
export { seededRandom } from './seeded_random';
export { seededNormals } from './seeded_normals';
export { seededRng, Rng } from './seeded_rng';
export { checkTensor, TensorSpec } from './check_tensor';
export { checkSameShape, checkSameWidth } from './check_same_shape';
export { checkNumber, checkPositive, checkNonNegative, NumberSpec } from './check_number';
export { takeScalar } from './take_scalar';
export { leakReport } from './leak_report';
