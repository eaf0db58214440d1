import * as tf from '@tensorflow/tfjs';
import { fusedAdam } from '../backend/fused_adam';
import { infoNCE } from '../losses/info_nce';
import { pairwiseDot } from '../losses/pairwise_dot';
import { applyCriticMlp, criticMlpVariables, CriticMlp, makeCriticMlp } from './critic_mlp';
import { rhoForMI } from './rho_for_mi';
import { sampleCorrelatedGaussians } from './sample_correlated_gaussians';

/** Settings of {@link trainCriticStaircase} (Poole et al. 2019 fig. 2, scaled to a CPU budget). */
export interface StaircaseConfig {
  /** 'separable': f(x, y) = g(x) . h(y), two MLPs; 'concat': f(x, y) = MLP([x, y]). */
  critic?: 'separable' | 'concat'; // default 'separable'
  /** Dimension of x and y. */
  dim?: number; // default 20
  /** The staircase of true MI, nats, one stair after another. */
  mis?: number[]; // default [2, 4, 6, 8, 10]
  /** Adam steps per stair (Poole: 4000; here a CPU budget). */
  stepsPerMI?: number; // default 200
  /** Batch size N: the bound can never exceed log N. */
  batchSize?: number; // default 64
  /** Hidden widths of each MLP (Poole: [256, 256]). */
  hidden?: number[]; // default [64, 64]
  /** Output width of g and h (separable only). */
  embedDim?: number; // default 32
  /** Adam learning rate (Poole: 5e-4). */
  learningRate?: number; // default 3e-3
  /** Seed of the weights and of the batches. */
  seed?: number; // default 0
  /** Called after every step (e.g. a progress bar). */
  onStep?: (step: StaircaseStep) => void;
}

/** One training step of {@link trainCriticStaircase}. */
export interface StaircaseStep {
  /** 0-based step over the whole staircase. */
  step: number;
  /** The true MI of this step's batch, nats. */
  trueMI: number;
  /** log N - InfoNCE loss on this step's training batch (before the update), nats. */
  estimate: number;
}

/**
 * Trains a learned critic with Adam on the InfoNCE loss while the true MI of the Gaussian pairs
 * steps through `mis` (x ~ N(0, I), y = rho x + sqrt(1 - rho^2) eps, a fresh batch every step),
 * and returns the estimate log N - L per step, for a plot against the true-MI staircase.
 * @returns the per-step estimates, the settings used and the wall time
 * @example const run = trainCriticStaircase({critic: 'concat', stepsPerMI: 100});
 * WARNING: 'concat' scores all N^2 pairs with the MLP, N times the work of 'separable'.
 */
export function trainCriticStaircase(config: StaircaseConfig = {}): {
  steps: StaircaseStep[];
  config: Required<Omit<StaircaseConfig, 'onStep'>>;
  seconds: number;
} {
  const fn = 'trainCriticStaircase';
  const c = {
    critic: 'separable' as 'separable' | 'concat',
    dim: 20,
    mis: [2, 4, 6, 8, 10],
    stepsPerMI: 200,
    batchSize: 64,
    hidden: [64, 64],
    embedDim: 32,
    learningRate: 3e-3,
    seed: 0,
    ...config,
  };
  if (c.critic !== 'separable' && c.critic !== 'concat') throw new Error(`${fn}: critic must be 'separable' or 'concat', got ${JSON.stringify(c.critic)}`);
  if (!Number.isInteger(c.dim) || c.dim < 1) throw new Error(`${fn}: dim must be an integer >= 1, got ${c.dim}`);
  if (!Array.isArray(c.mis) || c.mis.length === 0) throw new Error(`${fn}: mis must be a non-empty array of numbers >= 0, got ${JSON.stringify(c.mis)}`);
  for (const mi of c.mis) if (!Number.isFinite(mi) || mi < 0) throw new Error(`${fn}: every mi must be a finite number >= 0 (nats), got ${mi}`);
  if (!Number.isInteger(c.stepsPerMI) || c.stepsPerMI < 1) throw new Error(`${fn}: stepsPerMI must be an integer >= 1, got ${c.stepsPerMI}`);
  if (!Number.isInteger(c.batchSize) || c.batchSize < 2) throw new Error(`${fn}: batchSize must be an integer >= 2, got ${c.batchSize}`);
  if (!Array.isArray(c.hidden) || c.hidden.some((h) => !Number.isInteger(h) || h < 1)) throw new Error(`${fn}: hidden must be a list of integers >= 1, got ${JSON.stringify(c.hidden)}`);
  if (!Number.isInteger(c.embedDim) || c.embedDim < 1) throw new Error(`${fn}: embedDim must be an integer >= 1, got ${c.embedDim}`);
  if (!(c.learningRate > 0)) throw new Error(`${fn}: learningRate must be > 0, got ${c.learningRate}`);

  const t0 = performance.now();
  const n = c.batchSize;
  let mlps: CriticMlp[];
  let scoresOf: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D;
  if (c.critic === 'separable') {
    const g = makeCriticMlp([c.dim, ...c.hidden, c.embedDim], c.seed * 2 + 1);
    const h = makeCriticMlp([c.dim, ...c.hidden, c.embedDim], c.seed * 2 + 2);
    mlps = [g, h];
    scoresOf = (x, y) => pairwiseDot(applyCriticMlp(g, x), applyCriticMlp(h, y)); // [N, N]
  } else {
    // MLP([x, y]) on all N^2 pairs; its first layer splits as W = [Wx; Wy], so
    // [x_i, y_j] W = x_i Wx + y_j Wy is a broadcast sum, with no [N^2, 2 dim] concat.
    const f = makeCriticMlp([2 * c.dim, ...c.hidden, 1], c.seed * 2 + 1);
    mlps = [f];
    scoresOf = (x, y) => {
      const { w, b } = f.layers[0];
      const width = w.shape[1] as number;
      const wx = tf.slice(w, [0, 0], [c.dim, width]) as tf.Tensor2D;
      const wy = tf.slice(w, [c.dim, 0], [c.dim, width]) as tf.Tensor2D;
      const ax = tf.reshape(tf.matMul(x, wx), [n, 1, width]); // [N, 1, H]
      const ay = tf.reshape(tf.add(tf.matMul(y, wy), b), [1, n, width]); // [1, N, H]
      let hidden = tf.reshape(tf.add(ax, ay), [n * n, width]) as tf.Tensor2D; // [N^2, H]
      if (f.layers.length > 1) hidden = tf.relu(hidden);
      return tf.reshape(applyCriticMlp(f, hidden, 1), [n, n]) as tf.Tensor2D; // [N, N]
    };
  }
  const optimizer = fusedAdam(c.learningRate);
  const variables = mlps.flatMap(criticMlpVariables);
  const steps: StaircaseStep[] = [];
  try {
    c.mis.forEach((trueMI, a) => {
      const rho = rhoForMI(trueMI, c.dim);
      for (let s = 0; s < c.stepsPerMI; s++) {
        const step = a * c.stepsPerMI + s;
        const { x, y } = sampleCorrelatedGaussians({ n, dim: c.dim, rho, seed: c.seed * 1_000_003 + step });
        const loss = optimizer.minimize(() => infoNCE(scoresOf(x, y)), true, variables) as tf.Scalar;
        const record = { step, trueMI, estimate: Math.log(n) - loss.dataSync()[0] };
        tf.dispose([x, y, loss]);
        steps.push(record);
        c.onStep?.(record);
      }
    });
  } finally {
    optimizer.dispose();
    variables.forEach((v) => v.dispose());
  }
  const { onStep: _unused, ...settings } = c;
  return { steps, config: settings, seconds: (performance.now() - t0) / 1000 };
}
