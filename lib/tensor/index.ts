export { l2Normalize, L2NormalizeOptions, NORM_EPS } from './l2_normalize';
export { seededRandom, seededNormals, seededRng, Rng } from './seeded_random';
export { tfNormals } from './tf_normals';
export { checkTensor, TensorSpec, checkSameShape, checkSameWidth, checkNumber, checkPositive, checkNonNegative, NumberSpec } from './arguments';
export { takeScalar, leakReport } from './tensor_memory';
