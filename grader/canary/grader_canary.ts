// The grader's canary: a tiny known-good module that imports what students' exercise files
// import (tfjs, the course library). Before grading, the engine runs it in the sandbox exactly
// as a submission and compares with the same function run in the trusted parent. It ships in
// the student release, where there are no reference solutions to run instead.
// It lives two folders deep (grader/canary/) so `../../lib` resolves both here and in the
// sandbox, where it is placed at exercises/canary/.
import * as tf from '@tensorflow/tfjs';
import { gaussianMI } from '../../lib/mi';

/**
 * Row norms of `x` and the Gaussian mutual information for `rho` over `x`'s width.
 * @param x [rows, dim]
 * @param rho a correlation in (-1, 1)
 * @returns `rowNorms` [rows] and `mi` in nats
 * @example graderCanary(tf.tensor2d([[3, 4]]), 0) // { rowNorms: [5], mi: 0 }
 */
export function graderCanary(x: tf.Tensor2D, rho: number): { rowNorms: tf.Tensor1D; mi: number } {
  const [, dim] = x.shape;
  return { rowNorms: tf.tidy(() => tf.sqrt(tf.sum(tf.square(x), 1)) as tf.Tensor1D), mi: gaussianMI(rho, dim) };
}
