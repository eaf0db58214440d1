import * as tf from '@tensorflow/tfjs';
import { ADAM_UPDATE, AdamUpdateAttrs, registerAdamUpdate } from './adam_update';

/** tf.AdamOptimizer's state, which it keeps private; the fused update reads and writes the same. */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

/**
 * tf.AdamOptimizer with the update of each variable as one kernel ({@link ADAM_UPDATE}) where
 * the backend has it (wasm, cpu) instead of fourteen; elsewhere (tfjs-node) it is tf's own.
 * State, serialisation and numbers are tf.train.adam's, bit for bit.
 */
class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    registerAdamUpdate();
    if (tf.getKernel(ADAM_UPDATE, tf.getBackend()) === undefined) return super.applyGradients(variableGradients);
    const s = this as unknown as AdamState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const attrs: AdamUpdateAttrs = { beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon, learningRate: s.learningRate };
    tf.tidy(() => {
      const oneMinusAccBeta1 = tf.sub(1, s.accBeta1);
      const oneMinusAccBeta2 = tf.sub(1, s.accBeta2);
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        // The moments are made as tf.AdamOptimizer makes them (same names, so getWeights matches).
        s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient: tf.Tensor | undefined = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const m = s.accumulatedFirstMoment[i].variable;
        const v = s.accumulatedSecondMoment[i].variable;
        const inputs = { value, m, v, gradient, oneMinusAccBeta1, oneMinusAccBeta2 };
        const [newValue, newM, newV] = tf.engine().runKernel(ADAM_UPDATE, inputs, attrs as never) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    this.incrementIterations();
  }
}

/**
 * An Adam optimizer, as `tf.train.adam(learningRate, beta1, beta2)` and with its numbers bit for
 * bit, whose update of a variable is one pass over its values instead of fourteen element-wise
 * kernels (in a SimCLR step on WASM, a few ms of Adam where tf's takes ~18). The learning rate may be changed
 * between steps as on tf's (`optimizer.learningRate = ...`).
 * @param learningRate > 0
 * @param beta1 decay of the first moment, in [0, 1) (default 0.9)
 * @param beta2 decay of the second moment, in [0, 1) (default 0.999)
 * @returns a tf.AdamOptimizer
 * @example
 * const opt = clab.fusedAdam(1e-3);
 * opt.minimize(() => loss(), false, vars);
 */
export function fusedAdam(learningRate: number, beta1 = 0.9, beta2 = 0.999): tf.AdamOptimizer {
  if (!(learningRate > 0 && Number.isFinite(learningRate))) throw new Error(`fusedAdam: learningRate must be a finite number > 0, got ${learningRate}`);
  for (const [key, b] of [['beta1', beta1], ['beta2', beta2]] as const) {
    if (!(b >= 0 && b < 1)) throw new Error(`fusedAdam: ${key} must be in [0, 1), got ${b}`);
  }
  return new FusedAdamOptimizer(learningRate, beta1, beta2);
}
