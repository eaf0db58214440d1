import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from './test/wasm_vs_cpu';
import { assertNoLeak } from '../tensor/test';

interface Case {
  x: [number, number, number, number];
  f: [number, number, number, number]; // [fh, fw, C, M]
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
}

const CASES: Case[] = [
  { x: [2, 6, 6, 3], f: [3, 3, 3, 1], strides: 1, pad: 'same' },
  { x: [2, 7, 9, 4], f: [3, 3, 4, 2], strides: 2, pad: 'same' },
  { x: [1, 8, 8, 2], f: [3, 3, 2, 3], strides: 2, pad: 'valid' },
  { x: [3, 6, 5, 2], f: [2, 3, 2, 1], strides: [1, 2], pad: 1 },
];

/** Gradients of sum(depthwiseConv2d(x, w) * r) on the current backend: [dL/dx, dL/dw]. */
function grads(c: Case, xv: Float32Array, wv: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, c.x);
    const w = tf.tensor4d(wv, c.f);
    const outShape = tf.depthwiseConv2d(x, w, c.strides, c.pad).shape;
    const r = tf.tensor(Float32Array.from({ length: outShape.reduce((a, b) => a * b) }, (_, i) => Math.cos(i * 0.61)), outShape);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r)))([x, w]);
    return g.map((t) => t.dataSync() as Float32Array);
  });
}

describe('DepthwiseConv2dNativeBackprop{Input,Filter} on wasm (registerWasmExtras)', function () {
  useWasmBackend();

  for (const c of CASES) {
    it(`depthwise conv2d gradients (x [${c.x}] filter [${c.f}] strides ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)}) match cpu to 1e-4`, async () => {
      const xv = Float32Array.from({ length: c.x.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.37));
      const wv = Float32Array.from({ length: c.f.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.53));
      const onWasm = grads(c, xv, wv);
      await tf.setBackend('cpu');
      const onCpu = grads(c, xv, wv);
      await tf.setBackend('wasm');
      for (const k of [0, 1]) {
        let e = 0;
        onWasm[k].forEach((v, i) => (e = Math.max(e, Math.abs(v - onCpu[k][i]))));
        assert.ok(e < 1e-4, `${k === 0 ? 'dx' : 'dW'} max abs diff ${e}`);
      }
    });
  }

  it('a tf.layers separableConv2d model trains on wasm without leaking tensors', async () => {
    const m = tf.sequential({
      layers: [
        tf.layers.separableConv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: 'same' }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 2 }),
      ],
    });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = tf.randomUniform([4, 8, 8, 2], 0, 1, 'float32', 1);
    const y = tf.ones([4, 2]);
    let h!: tf.History;
    await assertNoLeak(async () => void (h = await m.fit(x, y, { epochs: 2, verbose: 0 })));
    assert.ok(Number.isFinite(h.history.loss[1] as number));
    tf.dispose([x, y]);
    m.dispose();
  });
});
