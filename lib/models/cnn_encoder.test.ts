import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { cnnEncoder } from './cnn_encoder';
import { assertNoLeak } from '../tensor/test';

describe('cnnEncoder', () => {
  before(async () => {
    await initBackend();
  });

  it('cnnEncoder({channels:[4,8]}).apply([2,784]) gives [2,8] and leaks nothing', () => {
    const f = cnnEncoder({ channels: [4, 8] });
    const x = tf.randomNormal([2, 784]);
    assertNoLeak(() => {
      const h = tf.tidy(() => f.apply(x)); // apply runs inside the caller's tidy
      assert.deepEqual(h.shape, [2, 8]);
      return h;
    });
    x.dispose();
    f.dispose();
  });

  it('cnnEncoder throws naming the bad channels', () => {
    assert.throws(() => cnnEncoder({ channels: [] }), /cnnEncoder: channels must be .* got \[\]/);
  });
});
