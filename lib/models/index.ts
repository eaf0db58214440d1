export { Model, ModelKind, ApplyOptions } from './model';
export { mlpEncoder, MlpEncoderConfig } from './mlp_encoder';
export { cnnEncoder, CnnEncoderConfig } from './cnn_encoder';
export { projectionHead, ProjectionHeadConfig } from './projection_head';
export { buildModel, cloneModel } from './build_model';
export { saveModel, loadModel, fileIOHandler } from './model_files';
export { denseMatMul } from './dense';
