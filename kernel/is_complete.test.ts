import assert from 'node:assert/strict';
import { isComplete } from './is_complete';

describe('kernel/is_complete: is_complete_request', () => {
  it('complete: statements that parse, and empty code', () => {
    for (const code of ['', '1', 'const x: number = 1;', 'function f() { return 1; }']) assert.deepEqual(isComplete(code), { status: 'complete' }, code);
  });

  it('incomplete when the code stops inside a block, bracket or template; the next line indents after an opener', () => {
    assert.deepEqual(isComplete('function f() {'), { status: 'incomplete', indent: '  ' });
    assert.deepEqual(isComplete('if (x) {\n    y();'), { status: 'incomplete', indent: '    ' });
    assert.equal(isComplete('const a = [1,').status, 'incomplete');
    assert.equal(isComplete('`a template').status, 'incomplete');
  });

  it('invalid when no further line can fix it: an error before the end, or an unterminated quote string', () => {
    for (const code of ['const = 5', '1 +* 2', "'no closing quote", 'f(1 2);\nfunction g() {']) assert.deepEqual(isComplete(code), { status: 'invalid' }, code);
  });

  it('a blank line after unfinished code asks to run it (complete)', () => {
    assert.deepEqual(isComplete('function f() {\n\n'), { status: 'complete' });
  });
});
