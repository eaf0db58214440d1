import * as tf from '@tensorflow/tfjs';
import { Model } from './model';
import { buildModel } from './build_model';
import { fileIOHandler } from './file_io_handler';

/**
 * Reads a model written by {@link saveModel}: rebuilds it from its kind and config and
 * assigns every saved variable.
 * @param jsonPath the `.json` file saveModel wrote
 * @returns the model (dispose it when done)
 * @example const f = await clab.models.loadModel('out/simclr-mlp.json');
 */
export async function loadModel(jsonPath: string): Promise<Model> {
  const artifacts = await fileIOHandler(jsonPath).load!();
  const topo = artifacts.modelTopology as { kind?: string; config?: Record<string, unknown> } | undefined;
  if (topo === undefined || typeof topo.kind !== 'string') {
    throw new Error(`loadModel: ${jsonPath} has no model kind; was it written by saveModel?`);
  }
  const model = buildModel(topo.kind, topo.config ?? {});
  const tensors = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs ?? []);
  try {
    for (const [name, v] of model.variables) {
      const t = tensors[name];
      if (t === undefined) throw new Error(`loadModel: ${jsonPath} lacks variable ${name}`);
      if (t.shape.join() !== v.shape.join()) {
        throw new Error(`loadModel: ${name} has shape [${t.shape}] in ${jsonPath}, the model needs [${v.shape}]`);
      }
      v.assign(t);
    }
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    Object.values(tensors).forEach((t) => t.dispose());
  }
  return model;
}
