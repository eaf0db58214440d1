import * as tf from '@tensorflow/tfjs';
import { checkNonNegative, checkSameShape, checkTensor } from '../tensor';

/** Options for {@link tripletLoss}. */
export interface TripletLossOptions {
  /** Required gap between the squared distances, >= 0; default 1 (as PyTorch's TripletMarginLoss). */
  margin?: number;
}

/**
 * Triplet loss with SQUARED Euclidean distances (as in the tutorial and FaceNet), mean over the batch:
 *
 *   loss = (1/B) sum_b max(0, ||a_b - p_b||^2 - ||a_b - n_b||^2 + margin).
 *
 * @param anchor [B, D]
 * @param positive [B, D], row b is similar to anchor b
 * @param negative [B, D], row b is dissimilar to anchor b
 * @param options `margin` >= 0 (default 1)
 * @returns scalar, mean over the batch; 0 once every negative is farther than its positive by the margin
 * @example const loss = tripletLoss(a, p, n, { margin: 0.2 });
 * WARNING: PyTorch's nn.TripletMarginLoss uses plain (not squared) distances; the values differ.
 */
export function tripletLoss(
  anchor: tf.Tensor2D,
  positive: tf.Tensor2D,
  negative: tf.Tensor2D,
  options: TripletLossOptions = {},
): tf.Scalar {
  const fn = 'tripletLoss';
  checkTensor(fn, 'anchor', anchor, '[B, D]');
  checkTensor(fn, 'positive', positive, '[B, D]');
  checkTensor(fn, 'negative', negative, '[B, D]');
  checkSameShape(fn, 'anchor', anchor, 'positive', positive);
  checkSameShape(fn, 'anchor', anchor, 'negative', negative);
  const margin = options.margin ?? 1;
  checkNonNegative(fn, 'margin', margin);
  return fusedTriplet(anchor, positive, negative, margin);
}

/**
 * The triplet loss as one op with a hand-written gradient, computed in a single pass over the
 * rows in float64 and rounded once to float32. With t_b = ||a_b - p_b||^2 - ||a_b - n_b||^2 + margin
 * and w_b = 2 [t_b > 0] / B (the hinge's gradient is 0 at t_b = 0, as relu'(0) in PyTorch):
 * da_b = w_b (n_b - p_b), dp_b = w_b (p_b - a_b), dn_b = w_b (a_b - n_b).
 * Why: written with tfjs ops the loss is ~50 small kernels forward and backward, ~50 us each;
 * this is three reads of the inputs and, for the gradient, three new tensors.
 */
function fusedTriplet(anchor: tf.Tensor2D, positive: tf.Tensor2D, negative: tf.Tensor2D, margin: number): tf.Scalar {
  const [rows, dim] = anchor.shape;
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, p, n] = (args.slice(0, 3) as tf.Tensor[]).map((t) => t.dataSync() as Float32Array);
    const active = new Uint8Array(rows);
    const total = tripletRows(a, p, n, dim, margin, active);
    return {
      value: tf.scalar(total / rows + 0), // + 0: a loss of 0 is +0, not -0
      gradFunc: (dy: tf.Scalar) => {
        const [da, dp, dn] = tripletGradients(a, p, n, dim, active, (2 * dy.dataSync()[0]) / rows);
        return [tf.tensor2d(da, [rows, dim]), tf.tensor2d(dp, [rows, dim]), tf.tensor2d(dn, [rows, dim])];
      },
    };
  }) as never) as (a: tf.Tensor2D, p: tf.Tensor2D, n: tf.Tensor2D) => tf.Scalar;
  return op(anchor, positive, negative);
}

/** Sum over rows of max(0, t_b), t_b as in {@link fusedTriplet}; marks active[b] = 1 where t_b > 0. NaN if any t_b is. */
function tripletRows(a: Float32Array, p: Float32Array, n: Float32Array, dim: number, margin: number, active: Uint8Array): number {
  let total = 0;
  for (let b = 0; b < active.length; b++) {
    const end = (b + 1) * dim;
    let dPos = 0;
    let dNeg = 0;
    for (let k = b * dim; k < end; k++) {
      const ap = a[k] - p[k];
      const an = a[k] - n[k];
      dPos += ap * ap;
      dNeg += an * an;
    }
    const t = dPos - dNeg + margin;
    if (t > 0) {
      active[b] = 1;
      total += t;
    } else if (t !== t) {
      total = NaN;
    }
  }
  return total;
}

/** The three gradients of {@link fusedTriplet} for the rows marked active, each times `scale` (2 dy / B). */
function tripletGradients(a: Float32Array, p: Float32Array, n: Float32Array, dim: number, active: Uint8Array, scale: number): Float32Array[] {
  const size = active.length * dim;
  const [da, dp, dn] = [new Float32Array(size), new Float32Array(size), new Float32Array(size)];
  for (let b = 0; b < active.length; b++) {
    if (active[b] === 0) continue;
    const end = (b + 1) * dim;
    for (let k = b * dim; k < end; k++) {
      da[k] = scale * (n[k] - p[k]);
      dp[k] = scale * (p[k] - a[k]);
      dn[k] = scale * (a[k] - n[k]);
    }
  }
  return [da, dp, dn];
}
