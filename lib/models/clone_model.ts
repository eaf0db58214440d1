import { Model } from './model';
import { buildModel } from './build_model';

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
