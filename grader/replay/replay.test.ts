import assert from 'node:assert/strict';
import { UsageError } from '../exit_codes';
import { plainTensor } from '../plain_value';
import type { GradedTest } from '../specs/spec_types';
import { findTest, fullValue, parseSeed } from './replay';

const test = (name: string, visibility: 'public' | 'hidden' = 'public') => ({ name, visibility } as GradedTest);
const TESTS = [test('ntXentLoss(z, z, 0.5) equals log(2N-1)'), test('ntXentLoss on a random batch at tau 0.1', 'hidden'), test('ntXentLoss on a random batch at tau 1')];

describe('replay: which test, which seed, every value in full', () => {
  it('findTest takes the exact name, the number from 1, or a part of the name (any case) that only one test has', () => {
    assert.deepEqual(findTest(TESTS, 'ntXentLoss on a random batch at tau 1', 'ex04'), [TESTS[2], 2]);
    assert.deepEqual(findTest(TESTS, '2', 'ex04'), [TESTS[1], 1]);
    assert.deepEqual(findTest(TESTS, 'LOG(2N-1)', 'ex04'), [TESTS[0], 0]);
  });

  it('findTest of a part several tests have, or none, is a usage error listing the tests with their numbers', () => {
    assert.throws(() => findTest(TESTS, 'random batch', 'ex04'), (e: Error) => e instanceof UsageError && /2 tests of ex04 match "random batch"; give the name, a part only one name has, or the number:\n {2}1\. ntXentLoss\(z, z, 0\.5\) equals log\(2N-1\)\n {2}2\. ntXentLoss on a random batch at tau 0\.1 \(hidden\)\n {2}3\. /.test(e.message));
    assert.throws(() => findTest(TESTS, '4', 'ex04'), /no test of ex04 is named or numbered "4"/);
  });

  it('parseSeed takes a whole number from 0 to 2^32 - 1, as reports print seeds', () => {
    assert.equal(parseSeed('0'), 0);
    assert.equal(parseSeed('4294967295'), 2 ** 32 - 1);
    for (const bad of ['4294967296', '-1', '1.5', '', 'seed']) assert.throws(() => parseSeed(bad), /must be a whole number from 0 to 4294967295/, bad);
  });

  it('fullValue shows every number of a tensor (8 significant digits), nested values, NaN from the wire, and no control characters', () => {
    const t = plainTensor([2, 3], [1, 2, 3, 4, 5, 1 / 3]);
    assert.equal(fullValue(t), 'tensor [2,3] [1, 2, 3, 4, 5, 0.33333334]');
    assert.equal(fullValue({ __tensor: true, dtype: 'float32', shape: [], data: ['NaN'] }), 'tensor [] NaN');
    assert.equal(fullValue([0.5, { tau: 0.1 }]), '[0.5, {tau: 0.1}]');
    assert.equal(fullValue('\u001b[2Jx'), 'string "\\u001b[2Jx"');
  });
});
