export { ImageSet } from './image_set';
export { IdxArray, IdxHeader, parseIdx, parseIdxHeader } from './parse_idx';
export { loadMnist, LoadMnistOptions, MnistSet } from './load_mnist';
export { shuffledIndices } from './shuffled_indices';
export { balancedSubset } from './balanced_subset';
export { subset } from './subset';
export { toTensor, TensorBatch } from './to_tensor';
export { batches, BatchesOptions, Batch } from './batches';
export { toyShapes, ToyShapesOptions, TOY_SHAPE_NAMES } from './toy_shapes';
