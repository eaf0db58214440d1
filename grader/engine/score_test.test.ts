import assert from 'node:assert/strict';
import type { FrozenTest } from './freeze_exercise';
import { scoreTest } from './score_test';

/** A three-call test: call 1 is a special input, calls 2 and 3 the random ones. */
function threeCalls(): FrozenTest {
  return {
    name: 'three calls', points: 1, visibility: 'public', fn: 'f', seed: 7,
    calls: [[1], [22], [333]],
    expected: [10, 20, 30],
    tolerance: { rtol: 0, atol: 1e-9 },
    mistakes: [],
  };
}

describe('scoreTest(test, results): the feedback shows the input of the call that failed', () => {
  it('a wrong value in call 3 of 3 shows f(333) and "call 3 of 3", not the first call', () => {
    const v = scoreTest(threeCalls(), [{ ok: true, value: 10 }, { ok: true, value: 20 }, { ok: true, value: 31 }]);
    assert.equal(v.passed, false);
    assert.match(v.feedback, /^Input: f\(number 333\) \(call 3 of 3\), input seed 7\./);
    assert.doesNotMatch(v.feedback, /f\(number 1\)/);
    assert.match(v.feedback, /Expected: number 30\nReceived: number 31/);
  });

  it('a throw in call 2 of 3 shows f(22) and the error', () => {
    const v = scoreTest(threeCalls(), [{ ok: true, value: 10 }, { ok: false, error: 'boom' }, { ok: true, value: 30 }]);
    assert.equal(v.passed, false);
    assert.match(v.feedback, /^Input: f\(number 22\) \(call 2 of 3\), input seed 7\.\nYour function threw: boom/);
  });

  it('a pass names the first call and how many more there were', () => {
    const v = scoreTest(threeCalls(), [{ ok: true, value: 10 }, { ok: true, value: 20 }, { ok: true, value: 30 }]);
    assert.equal(v.passed, true);
    assert.match(v.feedback, /^Input: f\(number 1\) \(and 2 more calls\), input seed 7\.\nPassed\./);
  });
});
