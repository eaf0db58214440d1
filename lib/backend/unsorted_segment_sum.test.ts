import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from './test/wasm_vs_cpu';
import { unsortedSegmentSum } from './unsorted_segment_sum';
import { assertNoLeak } from '../tensor/test';

describe('UnsortedSegmentSum on wasm (registerWasmExtras)', function () {
  useWasmBackend();

  it('unsortedSegmentSum([1, 2, 3, 4], [0, 1, 0, 5], 2) = [1 + 3, 2] (id 5 is dropped)', () => {
    const r = unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0, 1, 0, 5], 'int32'), 2);
    assert.deepEqual(Array.from(r.dataSync()), [1 + 3, 2]);
    r.dispose();
  });

  it('tf.unsortedSegmentSum on wasm matches cpu for [6, 3, 2] values', async () => {
    const xv = Array.from({ length: 6 * 3 * 2 }, (_, i) => Math.sin(i));
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor3d(xv, [6, 3, 2]);
        const a = tf.unsortedSegmentSum(x, tf.tensor1d([2, 0, 2, 1, 0, 2], 'int32'), 4).dataSync();
        const b = tf.unsortedSegmentSum(tf.cast(x, 'int32'), tf.tensor1d([1, 1, 0, 0, 0, 1], 'int32'), 2).dataSync();
        return [...a, ...b];
      });
    const onWasm = run();
    await tf.setBackend('cpu');
    const onCpu = run();
    await tf.setBackend('wasm');
    onWasm.forEach((v, i) => assert.ok(Math.abs(v - onCpu[i]) < 1e-5, `index ${i}: ${v} vs ${onCpu[i]}`));
  });

  it('tf.grad through tf.gather works on wasm: repeated indices add up', () => {
    const g = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.gather(v, tf.tensor1d([0, 2, 2], 'int32'))))(tf.ones([4, 3])).dataSync());
    assert.deepEqual(Array.from(g), [1, 1, 1, 0, 0, 0, 2, 2, 2, 0, 0, 0]);
  });

  it('unsortedSegmentSum throws on a bad numSegments and leaks nothing', () => {
    const x = tf.ones([2]);
    const ids = tf.tensor1d([0, 1], 'int32');
    assert.throws(() => unsortedSegmentSum(x, ids, -1), /unsortedSegmentSum: numSegments must be an integer >= 0, got -1/);
    assertNoLeak(() => tf.unsortedSegmentSum(x, ids, 2));
    tf.dispose([x, ids]);
  });
});
