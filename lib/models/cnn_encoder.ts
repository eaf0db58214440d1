import * as tf from '@tensorflow/tfjs';
import { Model } from './model';
import { heNormal } from './dense';
import { applyBatchNorm, BatchNormVars, makeBatchNorm } from './batch_norm';

/** Settings of {@link cnnEncoder}; every field is optional. */
export interface CnnEncoderConfig {
  /** Input image [height, width, channels]. */
  inputShape?: [number, number, number]; // default [28, 28, 1]
  /** Output channels of the 3x3 convolutions; the first has stride 1, the others stride 2. */
  channels?: number[]; // default [32, 64, 128]
  /** 'batch': Conv -> BatchNorm -> ReLU; 'none': Conv(+bias) -> ReLU. */
  norm?: 'batch' | 'none'; // default 'batch'
  /** Seed of the initial weights. */
  seed?: number; // default 0
}

const DEFAULTS: Required<CnnEncoderConfig> = { inputShape: [28, 28, 1], channels: [32, 64, 128], norm: 'batch', seed: 0 };

/**
 * A small CNN encoder f: 3x3 convolutions (stride 1, then 2, 2, ...) each followed by BatchNorm
 * and ReLU, then global average pooling. The pooled vector is the representation.
 *
 * WARNING: training it on the WASM backend needs the Conv2DBackpropFilter kernel that
 * `initBackend()` registers (lib/backend); the plain `cpu` backend works but is slow.
 * @param config overrides of the defaults (28x28x1 -> 32 -> 64 -> 128 channels, batch norm, seed 0)
 * @returns a {@link Model} mapping [batch, 28, 28, 1] (or [batch, 784]) -> [batch, 128]
 * @example
 * const f = clab.models.cnnEncoder({ channels: [16, 32] });
 * const h = tf.tidy(() => f.apply(tf.zeros([2, 28, 28, 1]))); // [2, 32]
 */
export function cnnEncoder(config: CnnEncoderConfig = {}): Model {
  const c = { ...DEFAULTS, ...config };
  if (!Array.isArray(c.inputShape) || c.inputShape.length !== 3 || c.inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`cnnEncoder: inputShape must be [height, width, channels] of positive integers, got ${JSON.stringify(c.inputShape)}`);
  }
  if (!Array.isArray(c.channels) || c.channels.length === 0 || c.channels.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new Error(`cnnEncoder: channels must be a non-empty list of positive integers, got ${JSON.stringify(c.channels)}`);
  }
  if (c.norm !== 'batch' && c.norm !== 'none') {
    throw new Error(`cnnEncoder: norm must be 'batch' or 'none', got ${JSON.stringify(c.norm)}`);
  }
  const vars = new Map<string, tf.Variable>();
  const layers: { w: tf.Variable; b?: tf.Variable; bn?: BatchNormVars; stride: number }[] = [];
  let inCh = c.inputShape[2];
  c.channels.forEach((outCh, i) => {
    const fanIn = 9 * inCh;
    const w = tf.tidy(() => tf.variable(heNormal([3, 3, inCh, outCh], fanIn, c.seed * 1000 + i), true));
    vars.set(`cnn${i}.w`, w);
    let b: tf.Variable | undefined;
    let bn: BatchNormVars | undefined;
    if (c.norm === 'batch') bn = makeBatchNorm(vars, `cnn${i}.bn`, outCh);
    else {
      b = tf.tidy(() => tf.variable(tf.zeros([outCh]), true));
      vars.set(`cnn${i}.b`, b);
    }
    layers.push({ w, b, bn, stride: i === 0 ? 1 : 2 });
    inCh = outCh;
  });
  const trainable = [...vars.values()].filter((v) => v.trainable);
  const [height, width, depth] = c.inputShape;
  return {
    kind: 'cnn',
    config: { ...c },
    inputShape: [...c.inputShape],
    outDim: c.channels[c.channels.length - 1],
    variables: vars,
    trainable,
    apply(x: tf.Tensor, options = {}): tf.Tensor2D {
      const [batch] = x.shape;
      if (x.size / batch !== height * width * depth) {
        throw new Error(`cnn.apply: each sample must be ${height}x${width}x${depth}, got shape [${x.shape}]`);
      }
      let h = (x.rank === 4 ? x : tf.reshape(x, [batch, height, width, depth])) as tf.Tensor4D;
      for (const layer of layers) {
        h = tf.conv2d(h, layer.w as unknown as tf.Tensor4D, layer.stride, 'same'); // [batch, h/stride, w/stride, out]
        if (layer.bn) h = applyBatchNorm(h, layer.bn, options.training === true, true) as tf.Tensor4D; // BN + ReLU as one op
        else h = tf.relu(tf.add(h, layer.b!)) as tf.Tensor4D;
      }
      return tf.mean(h, [1, 2]) as tf.Tensor2D; // [batch, channels]
    },
    countParams: () => trainable.reduce((s, v) => s + v.size, 0),
    dispose: () => vars.forEach((v) => v.dispose()),
  };
}
