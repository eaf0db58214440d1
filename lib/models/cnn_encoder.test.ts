import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { cnnEncoder } from './cnn_encoder';

describe('cnnEncoder', () => {
  before(async () => {
    await initBackend();
  });

  it('cnnEncoder({channels:[4,8]}).apply([2,784]) gives [2,8] and leaks nothing', () => {
    const f = cnnEncoder({ channels: [4, 8] });
    const x = tf.randomNormal([2, 784]);
    const before = tf.memory().numTensors;
    const h = tf.tidy(() => f.apply(x));
    assert.deepEqual(h.shape, [2, 8]);
    h.dispose();
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
    f.dispose();
  });

  it('cnnEncoder throws naming the bad channels', () => {
    assert.throws(() => cnnEncoder({ channels: [] }), /cnnEncoder: channels must be .* got \[\]/);
  });
});
