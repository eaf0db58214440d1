export { ImageSet, subset, toTensor, TensorBatch } from './image_set';
export { IdxArray, IdxHeader, parseIdx, parseIdxHeader } from './parse_idx';
export { loadMnist, LoadMnistOptions, MnistSet } from './load_mnist';
export { shuffledIndices, balancedSubset } from './seeded_indices';
export { batches, BatchesOptions, Batch } from './batches';
export { toyShapes, ToyShapesOptions, TOY_SHAPE_NAMES } from './toy_shapes';
