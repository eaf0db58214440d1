import * as tf from '@tensorflow/tfjs';
import { checkPositive, checkSameShape, checkTensor, l2Normalize } from '../tensor';
import { pairwiseDot } from './pairwise_dot';
import { softmaxCrossEntropy } from './softmax_cross_entropy';

/** Options for {@link ntXent}. */
export interface NtXentOptions {
  /** Softmax temperature tau > 0; default 0.5 (SimCLR's CIFAR-10 setting). */
  temperature?: number;
}

/**
 * NT-Xent, SimCLR's normalised temperature-scaled cross-entropy, over 2N anchors.
 *
 * The 2N views z = [z1; z2] are L2-normalised (cosine similarity). Anchor i's positive is the
 * other view of the same sample (i +- N); its negatives are the other 2N-2 views; its own
 * self-similarity is masked out of the softmax (overwritten with a large negative constant, not
 * multiplied by 0, which would leave exp(0) = 1 in the denominator). So each anchor has 2N-1
 * candidates:
 *
 *   l_i = -log( exp(s(i, pos(i))/tau) / sum_{j != i} exp(s(i, j)/tau) ),  loss = (1/2N) sum_i l_i.
 *
 * @param z1 [N, D] first view's embeddings (any norm; normalised here)
 * @param z2 [N, D] second view's embeddings, row i pairs with z1 row i
 * @param options `temperature` tau > 0 (default 0.5)
 * @returns scalar, the MEAN over the 2N anchors; equals log(2N - 1) when all embeddings coincide
 * @example
 * const loss = ntXent(g(f(view1)), g(f(view2)), { temperature: 0.5 });
 * WARNING: Google's SimCLR code reports twice this value (it sums the two directions' means);
 * lightly and pytorch-metric-learning report this mean.
 */
export function ntXent(z1: tf.Tensor2D, z2: tf.Tensor2D, options: NtXentOptions = {}): tf.Scalar {
  const fn = 'ntXent';
  checkTensor(fn, 'z1', z1, '[N, D]');
  checkTensor(fn, 'z2', z2, '[N, D]');
  checkSameShape(fn, 'z1', z1, 'z2', z2);
  const temperature = options.temperature ?? 0.5;
  checkPositive(fn, 'temperature', temperature);
  const [n] = z1.shape;
  const anchors = 2 * n;
  const positive = Array.from({ length: anchors }, (_, i) => (i + n) % anchors); // view i <-> i +- N
  const self = Array.from({ length: anchors }, (_, i) => i);
  return tf.tidy(() => {
    const z = tf.concat([z1, z2], 0); // [2N, D]
    // [2N, D]; an all-zero row stays 0 and gets no gradient (lib/tensor's policy). 'rsqrt': the
    // arithmetic ntXent's recorded results were made with (see l2Normalize).
    const unit = l2Normalize(z, { arithmetic: 'rsqrt' });
    // Scale the thin [2N, D] side by 1/tau rather than the [2N, 2N] product.
    const logits = pairwiseDot(tf.mul(unit, 1 / temperature) as tf.Tensor2D, unit); // [2N, 2N] cosine / tau
    return softmaxCrossEntropy(logits, positive, { exclude: self });
  });
}
