import * as tf from '@tensorflow/tfjs';
import { Model } from './model';
import { denseMatMul, heNormal, inputMatMul } from './dense';
import { applyBatchNorm, BatchNormVars, makeBatchNorm } from './batch_norm';

/** Settings of {@link mlpEncoder}; every field is optional. */
export interface MlpEncoderConfig {
  /** Input size (a flattened 28x28 image). */
  inputDim?: number; // default 784
  /** Hidden widths; the last one is the representation size. */
  hidden?: number[]; // default [1024, 512]
  /** 'batch': Linear -> BatchNorm -> ReLU; 'none': Linear(+bias) -> ReLU. */
  norm?: 'batch' | 'none'; // default 'batch'
  /** Seed of the initial weights. */
  seed?: number; // default 0
}

const DEFAULTS: Required<MlpEncoderConfig> = { inputDim: 784, hidden: [1024, 512], norm: 'batch', seed: 0 };

/** Internal: builds Linear/BN/ReLU stacks (also used by the projection head). */
export function buildMlp(
  kind: 'mlp' | 'head',
  config: Record<string, unknown>,
  inputDim: number,
  widths: number[],
  norm: 'batch' | 'none',
  seed: number,
  lastActivation: boolean,
): Model {
  const vars = new Map<string, tf.Variable>();
  const layers: { w: tf.Variable; b?: tf.Variable; bn?: BatchNormVars; relu: boolean }[] = [];
  let fanIn = inputDim;
  widths.forEach((width, i) => {
    const last = i === widths.length - 1;
    const useBn = norm === 'batch' && (!last || lastActivation);
    const w = tf.tidy(() => tf.variable(heNormal([fanIn, width], fanIn, seed * 1000 + i), true));
    vars.set(`${kind}${i}.w`, w);
    let b: tf.Variable | undefined;
    let bn: BatchNormVars | undefined;
    if (useBn) bn = makeBatchNorm(vars, `${kind}${i}.bn`, width);
    else {
      b = tf.tidy(() => tf.variable(tf.zeros([width]), true));
      vars.set(`${kind}${i}.b`, b);
    }
    layers.push({ w, b, bn, relu: !last || lastActivation });
    fanIn = width;
  });
  const trainable = [...vars.values()].filter((v) => v.trainable);
  return {
    kind,
    config,
    inputShape: [inputDim],
    outDim: widths[widths.length - 1],
    variables: vars,
    trainable,
    apply(x: tf.Tensor, options = {}): tf.Tensor2D {
      const [batch] = x.shape;
      const size = x.size / batch;
      if (size !== inputDim) {
        throw new Error(`${kind}.apply: each sample must have ${inputDim} values, got shape [${x.shape}]`);
      }
      let h = (x.rank === 2 ? x : tf.reshape(x, [batch, inputDim])) as tf.Tensor2D; // [batch, in]
      for (const [i, layer] of layers.entries()) {
        // The encoder's input is images (no gradient needed); the head's input is h (needs one).
        const product = i === 0 && kind === 'mlp' ? inputMatMul : denseMatMul;
        h = product(h, layer.w as unknown as tf.Tensor2D); // [batch, width]
        if (layer.bn) h = applyBatchNorm(h, layer.bn, options.training === true, layer.relu) as tf.Tensor2D; // BN (+ ReLU) as one op
        else {
          if (layer.b) h = tf.add(h, layer.b);
          if (layer.relu) h = tf.relu(h);
        }
      }
      return h;
    },
    countParams: () => trainable.reduce((s, v) => s + v.size, 0),
    dispose: () => vars.forEach((v) => v.dispose()),
  };
}

/**
 * An MLP encoder f: Linear -> BatchNorm -> ReLU per hidden layer. Its output (after the last
 * ReLU) is the representation used for evaluation, as in SimCLR.
 * @param config overrides of the defaults (784 -> 1024 -> 512, batch norm, seed 0)
 * @returns a {@link Model} mapping [batch, 784] (or [batch, 28, 28, 1]) -> [batch, 512]
 * @example
 * const f = clab.models.mlpEncoder({ hidden: [256, 128] });
 * const h = tf.tidy(() => f.apply(tf.zeros([2, 784]))); // [2, 128]
 */
export function mlpEncoder(config: MlpEncoderConfig = {}): Model {
  const c = { ...DEFAULTS, ...config };
  if (!Number.isInteger(c.inputDim) || c.inputDim < 1) {
    throw new Error(`mlpEncoder: inputDim must be a positive integer, got ${c.inputDim}`);
  }
  if (!Array.isArray(c.hidden) || c.hidden.length === 0 || c.hidden.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new Error(`mlpEncoder: hidden must be a non-empty list of positive integers, got ${JSON.stringify(c.hidden)}`);
  }
  if (c.norm !== 'batch' && c.norm !== 'none') {
    throw new Error(`mlpEncoder: norm must be 'batch' or 'none', got ${JSON.stringify(c.norm)}`);
  }
  return buildMlp('mlp', { ...c }, c.inputDim, c.hidden, c.norm, c.seed, true);
}
