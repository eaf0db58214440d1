import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { checkNonNegative, checkNumber, checkPositive, checkSameShape, checkSameWidth, checkTensor } from './arguments';

describe('lib/tensor argument checks', () => {
  let x: tf.Tensor2D;
  before(async () => {
    await initBackend();
    x = tf.zeros([4, 3]) as tf.Tensor2D;
  });
  after(() => x.dispose());

  it('checkTensor(fn, name, x, layout) passes a tensor of the layout rank and names fn, argument and shape when not', () => {
    checkTensor('f', 'z', x, '[N, D]');
    checkTensor('f', 'z', x, { minRank: 1 });
    assert.throws(() => checkTensor('ntXent', 'z1', [[1]], '[N, D]'), /^Error: ntXent: z1 must be a tf.Tensor of shape \[N, D\], got an array of length 1 \(wrap it with tf.tensor\)$/);
    assert.throws(() => checkTensor('f', 'z', 3, '[N, D]'), /f: z must be a tf.Tensor of shape \[N, D\], got the number 3/);
    assert.throws(() => checkTensor('f', 'z', undefined, '[N, D]'), /f: z must be a tf.Tensor of shape \[N, D\], got a undefined/);
    const r3 = tf.zeros([4, 3, 1]);
    assert.throws(() => checkTensor('ntXent', 'z1', r3, '[N, D]'), /^Error: ntXent: z1 must have rank 2 \[N, D\], got rank 3 \[4,3,1\]$/);
    assert.throws(() => checkTensor('aug', 'x', r3, { layout: '[B, H, W, C]', hint: 'reshape it' }), /aug: x must have rank 4 \[B, H, W, C\], got rank 3 \[4,3,1\]; reshape it/);
    r3.dispose();
  });

  it('checkTensor rejects empty axes, too few rows and non-float32 dtypes, naming the shape or dtype', () => {
    const empty = tf.zeros([4, 0]);
    const ints = tf.zeros([4, 3], 'int32');
    assert.throws(() => checkTensor('f', 'z', empty, '[N, D]'), /f: z must not be empty \(every axis >= 1\), got shape \[4,0\]/);
    assert.throws(() => checkTensor('uniformity', 'z', x, { layout: '[n, dim]', minRows: 5 }), /^Error: uniformity: z must have at least 5 rows \[n, dim\], got shape \[4,3\]$/);
    assert.throws(() => checkTensor('f', 'z', ints, '[N, D]'), /f: z must be float32, got int32; convert with tf.cast\(z, 'float32'\)/);
    checkTensor('f', 'labels', ints, { layout: '[N, D]', float32: false });
    tf.dispose([empty, ints]);
  });

  it('checkSameShape / checkSameWidth name both arguments and both shapes', () => {
    const y = tf.zeros([4, 2]);
    const w = tf.zeros([7, 3]);
    checkSameShape('f', 'a', x, 'b', x);
    checkSameWidth('f', 'a', x, 'b', w);
    assert.throws(() => checkSameShape('ntXent', 'z1', x, 'z2', y), /^Error: ntXent: z1 and z2 must have the same shape, got \[4,3\] and \[4,2\]$/);
    assert.throws(() => checkSameShape('f', 'a', x, 'b', tf.zeros([4, 3, 1])), /a and b must have the same shape, got \[4,3\] and \[4,3,1\]/);
    assert.throws(() => checkSameWidth('knnAccuracy', 'trainX', x, 'testX', y), /^Error: knnAccuracy: trainX and testX must have the same width \(last axis\), got \[4,3\] and \[4,2\]$/);
    tf.dispose([y, w]);
  });

  it('checkNumber(fn, name, v, range) returns v in range and names the range and the value otherwise', () => {
    assert.equal(checkNumber('f', 'k', 3, { integer: true, min: 1, max: 4 }), 3);
    assert.equal(checkNumber('f', 't', Infinity, { above: 0, infinite: true }), Infinity);
    assert.throws(() => checkNumber('knnAccuracy', 'k', 5, { integer: true, min: 1, max: 4, note: '(the train size)' }), /^Error: knnAccuracy: k must be an integer in \[1, 4\] \(the train size\), got 5$/);
    assert.throws(() => checkNumber('f', 'rho', 1, { above: -1, below: 1 }), /^Error: f: rho must be in \(-1, 1\), got 1$/);
    assert.throws(() => checkNumber('f', 'n', 1.5, { integer: true, min: 1 }), /f: n must be an integer >= 1, got 1.5/);
    assert.throws(() => checkNumber('f', 'x', NaN), /f: x must be a finite number, got NaN/);
    assert.throws(() => checkNumber('f', 'x', Infinity, { min: 0 }), /f: x must be a finite number >= 0, got Infinity/);
    assert.throws(() => checkNumber('f', 'x', '3', { min: 0 }), /f: x must be a finite number >= 0, got "3"/);
    assert.throws(() => checkPositive('ntXent', 'temperature', 0), /^Error: ntXent: temperature must be a finite number > 0, got 0$/);
    assert.throws(() => checkNonNegative('tripletLoss', 'margin', -0.5), /tripletLoss: margin must be a finite number >= 0, got -0.5/);
  });
});
