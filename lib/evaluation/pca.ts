import * as tf from '@tensorflow/tfjs';
import { checkNumber, checkTensor, l2Normalize } from '../tensor';

/** What {@link pca} returns. */
export interface PcaResult {
  /** [n, components] coordinates of the centred data on the principal axes (yours to dispose). */
  projected: tf.Tensor2D;
  /** Fraction of the total variance along each axis, largest first. */
  explained: number[];
}

/**
 * Principal component analysis by power iteration with deflation (enough for 2-3 axes), e.g. a
 * 2-D view of embeddings coloured by class.
 * @param x [n, dim] data
 * @param components number of axes (default 2, at most dim)
 * @param iterations power iterations per axis (default 100)
 * @returns projected [n, components] and the explained variance fractions
 * @example const { projected } = clab.evaluation.pca(feats); // [n, 2]
 */
export function pca(x: tf.Tensor2D, components = 2, iterations = 100): PcaResult {
  checkTensor('pca', 'x', x, { layout: '[n, dim]', minRows: 2 });
  const [n, dim] = x.shape;
  checkNumber('pca', 'components', components, { integer: true, min: 1, max: dim });
  checkNumber('pca', 'iterations', iterations, { integer: true, min: 1 });
  const explained: number[] = [];
  const projected = tf.tidy(() => {
    const xc = tf.sub(x, tf.mean(x, 0)); // [n, dim]
    let cov = tf.div(tf.matMul(tf.transpose(xc), xc), n - 1) as tf.Tensor2D; // [dim, dim]
    const trace = tf.sum(tf.mul(tf.eye(dim), cov)).dataSync()[0] || 1e-12;
    const axes: tf.Tensor2D[] = [];
    for (let c = 0; c < components; c++) {
      let v = tf.randomNormal([dim, 1], 0, 1, 'float32', 17 + c) as tf.Tensor2D;
      for (let it = 0; it < iterations; it++) {
        v = tf.tidy(() => l2Normalize(tf.matMul(cov, v), { axis: 0 })); // [dim, 1], unit length
      }
      const lambda = tf.sum(tf.mul(v, tf.matMul(cov, v))).dataSync()[0];
      explained.push(Math.max(lambda, 0) / trace);
      axes.push(v);
      cov = tf.sub(cov, tf.mul(lambda, tf.matMul(v, tf.transpose(v)))) as tf.Tensor2D; // deflate
    }
    return tf.matMul(xc, tf.concat(axes, 1)) as tf.Tensor2D; // [n, components]
  });
  return { projected, explained };
}
