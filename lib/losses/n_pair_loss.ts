import * as tf from '@tensorflow/tfjs';
import { checkPositive, checkSameShape, checkTensor } from '../tensor';
import { contrastiveCrossEntropy } from './contrastive_cross_entropy';

/** Options for {@link nPairLoss}. */
export interface NPairLossOptions {
  /** Softmax temperature tau > 0; default 1 (Sohn's N-pair loss has none). */
  temperature?: number;
}

/**
 * Multi-class N-pair loss: each anchor against its positive and its own M negatives.
 *
 * Scores are plain dot products divided by tau; per anchor there are M+1 candidates (positive
 * first), and the loss is the softmax cross-entropy of picking the positive, averaged:
 *
 *   loss = -(1/B) sum_b log( exp(a_b.p_b/tau) / (exp(a_b.p_b/tau) + sum_m exp(a_b.n_bm/tau)) ).
 *
 * @param anchor [B, D]
 * @param positive [B, D], row b is anchor b's positive
 * @param negatives [B, M, D], negatives[b] are anchor b's M negatives
 * @param options `temperature` tau > 0 (default 1)
 * @returns scalar, mean over the B anchors; equals log(M+1) when every negative equals the positive
 * @example
 * const loss = nPairLoss(a, p, tf.stack([n1, n2], 1) as tf.Tensor3D, { temperature: 0.1 });
 * WARNING: scores are dot products, not cosines: normalise first if you want cosine similarity.
 */
export function nPairLoss(
  anchor: tf.Tensor2D,
  positive: tf.Tensor2D,
  negatives: tf.Tensor3D,
  options: NPairLossOptions = {},
): tf.Scalar {
  const fn = 'nPairLoss';
  checkTensor(fn, 'anchor', anchor, '[B, D]');
  checkTensor(fn, 'positive', positive, '[B, D]');
  checkTensor(fn, 'negatives', negatives, '[B, M, D]');
  checkSameShape(fn, 'anchor', anchor, 'positive', positive);
  const [batch, dim] = anchor.shape;
  if (negatives.shape[0] !== batch || negatives.shape[2] !== dim) {
    throw new Error(
      `${fn}: negatives must have shape [B, M, D] = [${batch}, M, ${dim}] to match anchor, got [${negatives.shape.join(',')}]`,
    );
  }
  const temperature = options.temperature ?? 1;
  checkPositive(fn, 'temperature', temperature);
  return tf.tidy(() => {
    const scaled = tf.mul(anchor, 1 / temperature) as tf.Tensor2D; // [B, D]
    const pos = tf.sum(tf.mul(scaled, positive), 1, true) as tf.Tensor2D; // [B, 1]
    return contrastiveCrossEntropy(pos, rowDots(scaled, negatives)); // positive first, no [B, 1+M] concat
  });
}

/**
 * out[b, m] = a_b . v_bm, with a hand-written gradient. Autodiff of the broadcast product sums
 * dy * v over the middle axis M for da, which WASM does by transposing [B, M, D] first; here it
 * is an average pool over M of the [B, M, 1, D] view (times M).
 * @param a [B, D]
 * @param v [B, M, D]
 * @returns [B, M]
 */
function rowDots(a: tf.Tensor2D, v: tf.Tensor3D): tf.Tensor2D {
  const [batch, m, dim] = v.shape;
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, vs, save] = args as [tf.Tensor2D, tf.Tensor3D, tf.GradSaveFunc];
    save([x, vs]); // the forward pass's tensors are freed before the backward one
    return {
      value: tf.sum(tf.mul(tf.expandDims(x, 1), vs), 2) as tf.Tensor2D, // [B, M]
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [xs, vv] = saved as [tf.Tensor2D, tf.Tensor3D];
        const weighted = tf.mul(tf.expandDims(dy, 2), vv); // [B, M, D]
        const da = m === 1 ? tf.reshape(weighted, [batch, dim]) : tf.mul(tf.reshape(tf.avgPool(tf.reshape(weighted, [batch, m, 1, dim]) as tf.Tensor4D, [m, 1], 1, 'valid'), [batch, dim]), m);
        return [da, tf.mul(tf.expandDims(dy, 2), tf.expandDims(xs, 1))]; // [B, D], [B, M, D]
      },
    };
  }) as never) as (x: tf.Tensor2D, vs: tf.Tensor3D) => tf.Tensor2D;
  return op(a, v);
}
