import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmExtras } from './register_wasm_extras';
import { convCaseLabel, ConvCase, convOutputShape, maxAbsDiff, onWasmAndCpu, useWasmBackend, waveArray } from './test/wasm_vs_cpu';
import { assertNoLeak } from '../tensor/test';


const CASES: ConvCase[] = [
  { x: [2, 6, 6, 1], f: [3, 3, 1, 4], strides: 1, pad: 'same' },
  { x: [2, 6, 6, 2], f: [3, 3, 2, 4], strides: 1, pad: 'valid' },
  { x: [3, 7, 9, 3], f: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { x: [3, 7, 9, 3], f: [3, 3, 3, 5], strides: 2, pad: 'valid' },
  { x: [1, 8, 8, 2], f: [3, 3, 2, 3], strides: 2, pad: 'valid' }, // last row unused: its gradient is 0
  { x: [2, 10, 7, 2], f: [5, 5, 2, 3], strides: 3, pad: 'same' },
  { x: [2, 9, 8, 4], f: [2, 3, 4, 2], strides: [2, 1], pad: 'same' },
  { x: [1, 7, 7, 3], f: [1, 1, 3, 6], strides: 3, pad: 'valid' }, // stride > filter: phases with no taps
  { x: [2, 6, 5, 2], f: [3, 3, 2, 2], strides: 1, pad: 1 },
  { x: [2, 6, 5, 2], f: [3, 3, 2, 2], strides: 2, pad: [[0, 0], [2, 1], [0, 2], [0, 0]] },
  { x: [2, 6, 6, 3], f: [3, 3, 3, 4], strides: 2, pad: 'same', nchw: true },
  { x: [16, 28, 28, 8], f: [3, 3, 8, 16], strides: 2, pad: 'same' },
];

/** Runs the Conv2DBackpropInput kernel of the current backend on plain arrays. */
function backpropInput(c: ConvCase, fv: Float32Array, dyv: Float32Array, dyShape: number[]): Float32Array {
  return tf.tidy(() => {
    const filter = tf.tensor4d(fv, c.f);
    let dy: tf.Tensor = tf.tensor(dyv, dyShape);
    let inputShape = c.x as number[];
    if (c.nchw) {
      dy = tf.transpose(dy, [0, 3, 1, 2]);
      inputShape = [c.x[0], c.x[3], c.x[1], c.x[2]];
    }
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: c.nchw ? 'NCHW' : 'NHWC', inputShape };
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as never) as tf.Tensor;
    assert.deepEqual(dx.shape, inputShape);
    return dx.dataSync() as Float32Array;
  });
}

describe('Conv2DBackpropInput on wasm (registerWasmExtras)', function () {
  useWasmBackend();

  for (const c of CASES) {
    it(`Conv2DBackpropInput(${convCaseLabel(c)}) matches the cpu backend to 1e-4`, async () => {
      const fv = waveArray(c.f.reduce((a, b) => a * b), Math.sin, 0.37);
      const dyShape = convOutputShape(c);
      const dyv = waveArray(dyShape.reduce((a, b) => a * b), Math.cos, 0.61);
      const { wasm, cpu } = await onWasmAndCpu(() => backpropInput(c, fv, dyv, dyShape));
      assert.ok(maxAbsDiff(wasm, cpu) < 1e-4, `max abs diff ${maxAbsDiff(wasm, cpu)}`);
    });
  }

  it('tf.grad of a conv2d loss with respect to x on wasm equals finite differences', () => tf.tidy(() => {
    const w = tf.tensor4d(Array.from({ length: 9 * 2 }, (_, i) => Math.cos(i) * 0.5), [3, 3, 1, 2]);
    const x0 = Array.from({ length: 2 * 5 * 5 }, (_, i) => Math.sin(i));
    const loss = (x: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, w, 2, 'same'))) as tf.Scalar;
    const g = tf.grad(loss)(tf.tensor4d(x0, [2, 5, 5, 1])).dataSync();
    const eps = 1e-2;
    for (const k of [0, 6, 24, 37]) {
      const plus = x0.slice();
      const minus = x0.slice();
      plus[k] += eps;
      minus[k] -= eps;
      const fd = (loss(tf.tensor4d(plus, [2, 5, 5, 1])).dataSync()[0] - loss(tf.tensor4d(minus, [2, 5, 5, 1])).dataSync()[0]) / (2 * eps);
      assert.ok(Math.abs(fd - g[k]) < 1e-2 * Math.max(1, Math.abs(fd)), `x[${k}]: grad ${g[k]} vs finite difference ${fd}`);
    }
  }));

  it('the kernel leaves no tensors behind after registerWasmExtras() twice', () => {
    registerWasmExtras();
    registerWasmExtras();
    const filter = tf.ones([3, 3, 3, 4]);
    const dy = tf.ones([2, 3, 3, 4]);
    const run = () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 6, 6, 3] } as never) as tf.Tensor;
    assertNoLeak(run);
    const dx = run();
    // all-ones, stride 2 'same' on 6x6 (pad 0 top, 1 bottom): pixel (1,1) is in 1 window row x 1 col ... x 4 outputs
    assert.equal(dx.dataSync()[(1 * 6 + 1) * 3], 1 * 1 * 4);
    tf.dispose([filter, dy, dx]);
  });
});
