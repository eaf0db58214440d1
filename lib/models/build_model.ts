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

/**
 * A new model of the same kind and config with a copy of every variable (weights and
 * batch-norm statistics). MoCo starts its key encoder this way.
 * @param model the model to copy
 * @returns an independent copy (dispose it separately)
 * @example const keyEncoder = clab.models.cloneModel(queryEncoder);
 */
export function cloneModel(model: Model): Model {
  const copy = buildModel(model.kind, { ...model.config });
  for (const [name, v] of model.variables) {
    const target = copy.variables.get(name);
    if (target === undefined) throw new Error(`cloneModel: variable ${name} missing in the copy (config mismatch?)`);
    target.assign(v);
  }
  return copy;
}
