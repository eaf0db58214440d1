// Run as a child process by batch_mat_mul.test.ts with CLAB_THREADS=1 (lib/backend's BatchMatMul
// runs only on one WASM thread, and the thread count is fixed once per process): each product
// once with lib/backend's kernel and once with XNNPACK's, on the same inputs; prints one JSON
// line with, per case, how many values differ (bitwise), whether ours ran, and the backend's
// data-id count before and after (the packed panels must be freed).
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '..';
import { ownMatMulCalls, useOwnMatMul } from '../batch_mat_mul';

interface Case {
  a: number[];
  b: number[];
  scale: number; // 1e-30 gives subnormal products
  transposeB?: boolean;
}

// [M, K] x [K, N] as training makes them, odd K, a batch of one, subnormals; then products
// the kernel must leave to XNNPACK (M % 4, N % 8, transposed, a batch of two, tiny).
const CASES: Case[] = [
  { a: [512, 784], b: [784, 256], scale: 1 },
  { a: [64, 785], b: [785, 72], scale: 1 },
  { a: [1, 128, 300], b: [1, 300, 64], scale: 1 },
  { a: [256, 512], b: [512, 128], scale: 1e-30 },
  { a: [66, 128], b: [128, 64], scale: 1 },
  { a: [64, 128], b: [128, 60], scale: 1 },
  { a: [64, 128], b: [64, 128], scale: 1, transposeB: true },
  { a: [2, 64, 128], b: [2, 128, 64], scale: 1 },
  { a: [4, 4], b: [4, 8], scale: 1 },
];

function run(c: Case, own: boolean): Float32Array {
  useOwnMatMul(own);
  return tf.tidy(() => {
    const a = tf.mul(tf.randomNormal(c.a, 0, 1, 'float32', 1), c.scale);
    const b = tf.randomNormal(c.b, 0, 1, 'float32', 2);
    return tf.matMul(a, b, false, c.transposeB === true).dataSync() as Float32Array;
  });
}

async function main(): Promise<void> {
  const info = await initBackend();
  const backend = tf.backend() as unknown as { dataIdMap: { numDataIds(): number } };
  const results = CASES.map((c) => {
    const before = backend.dataIdMap.numDataIds();
    const counter = ownMatMulCalls();
    const ours = run(c, true);
    const ran = ownMatMulCalls() > counter;
    const theirs = run(c, false);
    const after = backend.dataIdMap.numDataIds();
    let differ = 0;
    for (let i = 0; i < ours.length; i++) if (!Object.is(ours[i], theirs[i])) differ++;
    return { case: `[${c.a}] x [${c.b}]${c.transposeB ? ' transposeB' : ''}${c.scale !== 1 ? ' subnormal' : ''}`, values: ours.length, differ, ran, before, after };
  });
  console.log(JSON.stringify({ threads: info.threads, results }));
}

void main();
