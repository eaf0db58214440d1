import { buildModel, Model, projectionHead, ProjectionHeadConfig } from '../models';

/** Internal: the encoder and head a trainer starts from (a Model passed in is used as is). */
export function makeEncoderAndHead(
  fn: string,
  encoder: 'mlp' | 'cnn' | Model,
  encoderConfig: Record<string, unknown>,
  head: ProjectionHeadConfig,
  seed: number,
): { encoder: Model; head: Model } {
  let f: Model;
  if (typeof encoder === 'string') {
    if (encoder !== 'mlp' && encoder !== 'cnn') {
      throw new Error(`${fn}: encoder must be 'mlp', 'cnn' or a Model, got ${JSON.stringify(encoder)}`);
    }
    f = buildModel(encoder, { seed, ...encoderConfig });
  } else if (encoder !== null && typeof encoder === 'object' && encoder.variables instanceof Map) {
    f = encoder;
  } else {
    throw new Error(`${fn}: encoder must be 'mlp', 'cnn' or a Model, got ${typeof encoder}`);
  }
  const g = projectionHead({ seed: seed + 1, ...head, inputDim: f.outDim });
  return { encoder: f, head: g };
}
