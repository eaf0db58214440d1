export { extractFeatures } from './extract_features';
export { linearProbe, LinearProbeOptions, LinearProbeResult } from './linear_probe';
export { knnAccuracy, KnnOptions } from './knn_accuracy';
export { alignment } from './alignment';
export { uniformity } from './uniformity';
export { cosineSimilarityMatrix } from './cosine_similarity_matrix';
export { pca, PcaResult } from './pca';
