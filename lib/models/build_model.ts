import { Model, ModelKind } from './model';
import { mlpEncoder } from './mlp_encoder';
import { cnnEncoder } from './cnn_encoder';
import { projectionHead } from './projection_head';

const BUILDERS: Record<ModelKind, (config: Record<string, unknown>) => Model> = {
  mlp: (c) => mlpEncoder(c),
  cnn: (c) => cnnEncoder(c),
  head: (c) => projectionHead(c),
};

/**
 * Builds a model by kind name with a config (what {@link loadModel} and the trainers use).
 * @param kind 'mlp' | 'cnn' | 'head'
 * @param config the builder's config overrides
 * @example const f = clab.models.buildModel('mlp', { hidden: [256] });
 */
export function buildModel(kind: ModelKind | string, config: Record<string, unknown> = {}): Model {
  const build = (BUILDERS as Record<string, (c: Record<string, unknown>) => Model>)[kind];
  if (build === undefined) {
    throw new Error(`buildModel: unknown model kind ${JSON.stringify(kind)}; valid kinds are ${Object.keys(BUILDERS).join(', ')}`);
  }
  return build(config);
}
