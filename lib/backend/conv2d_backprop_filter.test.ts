import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmExtras } from './register_wasm_extras';
import { convCaseLabel, ConvCase, convOutputShape, maxAbsDiff, onWasmAndCpu, useWasmBackend, waveArray } from './test/wasm_vs_cpu';
import { assertNoLeak } from '../tensor/test';


const CASES: ConvCase[] = [
  { x: [2, 6, 6, 1], f: [3, 3, 1, 4], strides: 1, pad: 'same' },
  { x: [2, 6, 6, 1], f: [3, 3, 1, 4], strides: 1, pad: 'valid' },
  { x: [3, 7, 9, 3], f: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { x: [3, 7, 9, 3], f: [3, 3, 3, 5], strides: 2, pad: 'valid' }, // (7-3) % 2 = 0, (9-3) % 2 = 0
  { x: [1, 8, 8, 2], f: [3, 3, 2, 3], strides: 2, pad: 'valid' }, // (8-3) % 2 = 1: last row unused
  { x: [2, 10, 7, 2], f: [5, 5, 2, 3], strides: 3, pad: 'same' },
  { x: [2, 9, 8, 4], f: [2, 3, 4, 2], strides: [2, 1], pad: 'same' },
  { x: [1, 5, 5, 3], f: [1, 1, 3, 6], strides: 1, pad: 'valid' },
  { x: [2, 6, 5, 2], f: [3, 3, 2, 2], strides: 1, pad: 1 },
  { x: [2, 6, 5, 2], f: [3, 3, 2, 2], strides: 2, pad: [[0, 0], [2, 1], [0, 2], [0, 0]] },
  { x: [2, 6, 6, 3], f: [3, 3, 3, 4], strides: 2, pad: 'same', nchw: true },
  { x: [16, 28, 28, 8], f: [3, 3, 8, 16], strides: 2, pad: 'same' },
];

/** Runs the Conv2DBackpropFilter kernel of the current backend on plain arrays. */
function backpropFilter(c: ConvCase, xv: Float32Array, dyv: Float32Array, dyShape: number[]): Float32Array {
  return tf.tidy(() => {
    let x: tf.Tensor = tf.tensor4d(xv, c.x);
    let dy: tf.Tensor = tf.tensor(dyv, dyShape);
    if (c.nchw) {
      x = tf.transpose(x, [0, 3, 1, 2]);
      dy = tf.transpose(dy, [0, 3, 1, 2]);
    }
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: c.nchw ? 'NCHW' : 'NHWC', filterShape: c.f };
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor;
    assert.deepEqual(dw.shape, c.f);
    return dw.dataSync() as Float32Array;
  });
}

describe('Conv2DBackpropFilter on wasm (registerWasmExtras)', function () {
  useWasmBackend();

  for (const c of CASES) {
    it(`Conv2DBackpropFilter(${convCaseLabel(c)}) matches the cpu backend to 1e-4`, async () => {
      const xv = waveArray(c.x.reduce((a, b) => a * b), Math.sin, 0.37);
      const dyShape = convOutputShape(c);
      const dyv = waveArray(dyShape.reduce((a, b) => a * b), Math.cos, 0.61);
      const { wasm, cpu } = await onWasmAndCpu(() => backpropFilter(c, xv, dyv, dyShape));
      assert.ok(maxAbsDiff(wasm, cpu) < 1e-4, `max abs diff ${maxAbsDiff(wasm, cpu)}`);
    });
  }

  it('tf.grad of a conv2d loss on wasm equals finite differences of the loss', () => tf.tidy(() => {
    const x = tf.tensor4d(Array.from({ length: 2 * 5 * 5 }, (_, i) => Math.sin(i)), [2, 5, 5, 1]);
    const w0 = Array.from({ length: 9 * 2 }, (_, i) => Math.cos(i) * 0.5);
    const loss = (w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, w as tf.Tensor4D, 2, 'same'))) as tf.Scalar;
    const g = tf.grad(loss)(tf.tensor4d(w0, [3, 3, 1, 2])).dataSync();
    const eps = 1e-2;
    for (const k of [0, 4, 13]) {
      const plus = w0.slice();
      const minus = w0.slice();
      plus[k] += eps;
      minus[k] -= eps;
      const fd = (loss(tf.tensor4d(plus, [3, 3, 1, 2])).dataSync()[0] - loss(tf.tensor4d(minus, [3, 3, 1, 2])).dataSync()[0]) / (2 * eps);
      assert.ok(Math.abs(fd - g[k]) < 1e-2 * Math.max(1, Math.abs(fd)), `w[${k}]: grad ${g[k]} vs finite difference ${fd}`);
    }
  }));

  it('conv2d gradients with dilation 2 are rejected by tfjs-core before reaching the kernel', () => {
    const x = tf.ones([1, 6, 6, 1]) as tf.Tensor4D;
    assert.throws(
      () => tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(x, w as tf.Tensor4D, 1, 'same', 'NHWC', 2)))(tf.ones([3, 3, 1, 1]) as tf.Tensor4D),
      /dilation rates greater than 1 are not yet supported in gradients/,
    );
    x.dispose();
  });

  it('the kernel leaves no tensors behind, and registerWasmExtras() is idempotent', () => {
    registerWasmExtras();
    registerWasmExtras();
    const x = tf.ones([2, 6, 6, 3]);
    const dy = tf.ones([2, 3, 3, 4]);
    const run = () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] } as never) as tf.Tensor;
    assertNoLeak(run);
    const dw = run();
    // all-ones: each tap sums over the windows that cover real (unpadded) pixels
    assert.equal(dw.dataSync()[4 * 3 * 4], 2 * 3 * 3); // centre tap (1,1): 2 images x 3x3 outputs, all inside
    tf.dispose([x, dy, dw]);
  });
});
