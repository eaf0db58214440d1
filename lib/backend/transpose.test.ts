import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { transposeBlock } from './transpose';
import { useWasmBackend } from './test/wasm_vs_cpu';

describe('Transpose on wasm (registerWasmExtras)', function () {
  useWasmBackend();

  // [rows, cols]: blocked (rows a multiple of 256, >= 512) with each block width, and plain ones.
  const SHAPES: [number, number][] = [[1024, 512], [512, 784], [512, 136], [2048, 100], [784, 512], [300, 7], [512, 66]];

  for (const [rows, cols] of SHAPES) {
    const block = transposeBlock(rows, cols);
    it(`transpose([${rows},${cols}]) (block ${block || 'none: plain kernel'}) puts x[i, j] at out[j, i], for float32 and int32`, () => {
      const values = Int32Array.from({ length: rows * cols }, (_, k) => k); // entry (i, j) holds i * cols + j
      for (const dtype of ['float32', 'int32'] as const) {
        const out = tf.tidy(() => tf.transpose(tf.tensor2d(values, [rows, cols], dtype)));
        assert.deepEqual(out.shape, [cols, rows]);
        assert.equal(out.dtype, dtype);
        const got = out.dataSync();
        let wrong = -1;
        for (let j = 0; j < cols && wrong < 0; j++) {
          for (let i = 0; i < rows; i++) {
            if (got[j * rows + i] !== i * cols + j) {
              wrong = j * rows + i;
              break;
            }
          }
        }
        out.dispose();
        assert.equal(wrong, -1, `${dtype}: out[${Math.floor(wrong / rows)}, ${wrong % rows}] is ${got[wrong]}`);
      }
    });
  }

  it('transposeBlock(rows, cols) blocks only large transposes whose row count is a multiple of 256', () => {
    assert.equal(transposeBlock(2048, 2048), 8);
    assert.equal(transposeBlock(1024, 514), 0); // 514 = 2 x 257: no block width (8, 4) divides it
    assert.equal(transposeBlock(512, 784), 16);
    assert.equal(transposeBlock(784, 512), 0);
    assert.equal(transposeBlock(256, 256), 0); // 64K entries but rows < 512
    assert.equal(transposeBlock(512, 32), 0); // too few columns
  });

  it('transpose leaks no tensor and gives the same gradient (a transpose) through the blocked path', () => {
    const x = tf.randomNormal([1024, 128], 0, 1, 'float32', 1);
    const w = tf.randomNormal([128, 1024], 0, 1, 'float32', 2);
    const before = tf.memory().numTensors;
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.transpose(a), w)))(x);
    assert.equal(tf.memory().numTensors, before + 1);
    const expected = tf.transpose(w);
    assert.equal(tf.max(tf.abs(tf.sub(g, expected))).dataSync()[0], 0);
    tf.dispose([x, w, g, expected]);
  });
});
