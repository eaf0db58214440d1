import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { tfNormals } from './tf_normals';

describe('tfNormals', () => {
  // Odd and even counts (tfjs keeps the second value of a pair for the next element), integer,
  // negative and fractional seeds (both sides seed from the number's decimal string), and a mean
  // and std other than 0 and 1.
  const cases: [number, number, number, number][] = [
    [1, 1, 0, 1],
    [7, 42, 0, 1],
    [1000, 123456789, 0, 0.1],
    [28 * 28 * 33, 2 ** 31 - 1, 0.5, 2],
    [15, -3, 0, 1],
    [16, 0.25, -1, 0.01],
  ];
  for (const [count, seed, mean, std] of cases) {
    it(`tfNormals(${count}, ${seed}, ${mean}, ${std}) equals tf.randomNormal([${count}], ${mean}, ${std}, 'float32', ${seed}) bit for bit`, () => {
      const want = tf.tidy(() => tf.randomNormal([count], mean, std, 'float32', seed).dataSync() as Float32Array);
      const got = tfNormals(count, seed, mean, std);
      assert.equal(got.length, count);
      const i = want.findIndex((w, j) => !Object.is(w, got[j]));
      assert.equal(i, -1, `differs at ${i}: tf ${want[i]}, tfNormals ${got[i]}`);
    });
  }

  it('tfNormals(0, seed) is empty; different seeds give different numbers', () => {
    assert.equal(tfNormals(0, 5).length, 0);
    assert.notDeepEqual(Array.from(tfNormals(8, 5)), Array.from(tfNormals(8, 6)));
  });

  it('tfNormals throws naming a bad count or seed (0 is unseeded in tfjs)', () => {
    assert.throws(() => tfNormals(-1, 1), /tfNormals: count must be an integer >= 0, got -1/);
    assert.throws(() => tfNormals(2.5, 1), /count must be an integer >= 0, got 2.5/);
    assert.throws(() => tfNormals(4, 0), /tfNormals: seed must be a finite number other than 0 \(tfjs takes 0 as unseeded\), got 0/);
    assert.throws(() => tfNormals(4, Number.NaN), /seed must be a finite number other than 0.*got NaN/);
  });
});
