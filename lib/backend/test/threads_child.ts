// Run as a child process by wasm_threads.test.ts (the thread count is fixed once per process):
// starts the backend as CLAB_THREADS says, then prints one JSON line with what started and a
// digest of results big enough for XNNPACK to split between threads: a matrix product, a
// convolution, and three SimCLR training steps (forward, backward, Adam). Returns from main
// without process.exit: the process must end by itself.
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '..';
import { trainSimCLR } from '../../train';
import { syntheticSet } from '../../train/test/synthetic_set';

function digest(t: tf.Tensor): string {
  const values = new Float32Array(t.dataSync() as Float32Array);
  return createHash('sha256').update(Buffer.from(values.buffer)).digest('hex').slice(0, 16);
}

async function main(): Promise<void> {
  const info = await initBackend();
  const a = tf.randomUniform([512, 784], -1, 1, 'float32', 1);
  const b = tf.randomUniform([784, 256], -1, 1, 'float32', 2);
  const x = tf.randomUniform([64, 28, 28, 8], -1, 1, 'float32', 3);
  const k = tf.randomUniform([3, 3, 8, 32], -1, 1, 'float32', 4);
  const matMul = digest(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D));
  const conv = digest(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, 'same'));
  const run = await trainSimCLR({ data: syntheticSet(256), encoderConfig: { hidden: [512] }, batchSize: 128, steps: 3, workers: 0, progress: false });
  console.log(JSON.stringify({ threads: info.threads, summary: info.summary, matMul, conv, losses: run.losses }));
}

void main();
