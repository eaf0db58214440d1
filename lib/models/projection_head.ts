import { Model } from './model';
import { buildMlp } from './mlp_encoder';

/** Settings of {@link projectionHead}; every field is optional. */
export interface ProjectionHeadConfig {
  /** Input size = the encoder's output size. */
  inputDim?: number; // default 512
  /** Hidden width of the head's one hidden layer. */
  hiddenDim?: number; // default 512
  /** Output size (the space the contrastive loss sees). */
  outDim?: number; // default 128
  /** 'batch': Linear -> BatchNorm -> ReLU -> Linear (SimCLR); 'none': without the BatchNorm. */
  norm?: 'batch' | 'none'; // default 'batch'
  /** Seed of the initial weights. */
  seed?: number; // default 1
}

const DEFAULTS: Required<ProjectionHeadConfig> = { inputDim: 512, hiddenDim: 512, outDim: 128, norm: 'batch', seed: 1 };

/**
 * The projection head g of SimCLR: z = g(h) = W2 ReLU(BN(W1 h)). The loss is computed on z; the
 * representation h (before g) is what we evaluate: g learns to discard what the augmentations
 * change (e.g. position, thickness), information a downstream task may still need.
 * @param config overrides of the defaults (512 -> 512 -> 128, batch norm, seed 1)
 * @returns a {@link Model} mapping [batch, inputDim] -> [batch, outDim] (not normalised)
 * @example
 * const g = clab.models.projectionHead({ inputDim: 512, outDim: 64 });
 */
export function projectionHead(config: ProjectionHeadConfig = {}): Model {
  const c = { ...DEFAULTS, ...config };
  for (const key of ['inputDim', 'hiddenDim', 'outDim'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) {
      throw new Error(`projectionHead: ${key} must be a positive integer, got ${c[key]}`);
    }
  }
  if (c.norm !== 'batch' && c.norm !== 'none') {
    throw new Error(`projectionHead: norm must be 'batch' or 'none', got ${JSON.stringify(c.norm)}`);
  }
  return buildMlp('head', { ...c }, c.inputDim, [c.hiddenDim, c.outDim], c.norm, c.seed, false);
}
