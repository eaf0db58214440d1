import * as tf from '@tensorflow/tfjs';
import { Model } from './model';
import { fileIOHandler } from './file_io_handler';

/**
 * Writes a model (kind, config and every variable, incl. batch-norm statistics) to
 * `<path>` (JSON) and `<path minus .json>.weights.bin`. {@link loadModel} rebuilds it.
 * @param model the model, e.g. a trained encoder
 * @param jsonPath where to write, ending in `.json`
 * @returns the number of weight bytes written
 * @example await clab.models.saveModel(result.encoder, 'out/simclr-mlp.json');
 */
export async function saveModel(model: Model, jsonPath: string): Promise<number> {
  if (model === null || typeof model !== 'object' || !(model.variables instanceof Map)) {
    throw new Error(`saveModel: model must be a Model from lib/models, got ${typeof model}`);
  }
  const named: tf.NamedTensorMap = {};
  for (const [name, v] of model.variables) named[name] = v;
  const { data, specs } = await tf.io.encodeWeights(named);
  const result = await fileIOHandler(jsonPath).save!({
    modelTopology: { kind: model.kind, config: model.config },
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: { savedBy: 'contrastive-lab saveModel' },
  });
  return result.modelArtifactsInfo.weightDataBytes ?? 0;
}
