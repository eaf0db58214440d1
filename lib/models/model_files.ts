import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeAtomic } from '../io';
import { buildModel } from './build_model';
import { Model } from './model';

// A model on disk: `<name>.json` (kind, config, weight manifest) beside `<name>.weights.bin`.
// saveModel writes it, loadModel rebuilds the model from it, both through fileIOHandler.

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

/**
 * A tfjs IOHandler that reads and writes `<name>.json` (topology, weight manifest, metadata)
 * plus `<name>.weights.bin` (raw little-endian float32) with Node's `fs`: pure tfjs has no
 * `file://` handler (that one comes with tfjs-node, which is often not installed).
 * @param jsonPath path of the JSON file; must end in `.json`. Folders are created on save.
 * @returns a handler usable with `tf.io` APIs (`save` and `load`)
 * @example
 * await fileIOHandler('out/encoder.json').save({ weightSpecs, weightData });
 */
export function fileIOHandler(jsonPath: string): tf.io.IOHandler {
  if (typeof jsonPath !== 'string' || !jsonPath.endsWith('.json')) {
    throw new Error(`fileIOHandler: jsonPath must be a path ending in .json, got ${JSON.stringify(jsonPath)}`);
  }
  const binName = path.basename(jsonPath, '.json') + '.weights.bin';
  const binPath = path.join(path.dirname(jsonPath), binName);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const data = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json = {
        format: 'contrastive-lab-weights',
        modelTopology: artifacts.modelTopology ?? null,
        weightsManifest: [{ paths: [binName], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: artifacts.userDefinedMetadata ?? {},
      };
      // Weights first, then the JSON that points at them: a reader never finds a JSON whose
      // weights are half written, and a failed save leaves the previous model whole.
      writeAtomic(binPath, new Uint8Array(data));
      writeAtomic(jsonPath, JSON.stringify(json, null, 1));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      if (!fs.existsSync(jsonPath)) throw new Error(`fileIOHandler: no such file ${jsonPath}`);
      const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
      if (!Array.isArray(json.weightsManifest) || json.weightsManifest.length !== 1) {
        throw new Error(`fileIOHandler: ${jsonPath} has no single weightsManifest entry; was it written by saveModel?`);
      }
      const weightSpecs = json.weightsManifest[0].weights as tf.io.WeightsManifestEntry[];
      const buf = fs.readFileSync(path.join(path.dirname(jsonPath), json.weightsManifest[0].paths[0]));
      const expected = weightSpecs.reduce((s, w) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
      if (buf.byteLength !== expected) {
        throw new Error(`fileIOHandler: ${binPath} has ${buf.byteLength} bytes, the manifest needs ${expected} (truncated or from another model?)`);
      }
      const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
      return { modelTopology: json.modelTopology ?? undefined, weightSpecs, weightData, userDefinedMetadata: json.userDefinedMetadata };
    },
  };
}
