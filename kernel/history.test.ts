import assert from 'node:assert/strict';
import { globToRegExp, History, SESSION } from './history';

describe('kernel/history: history_request', () => {
  const history = new History();
  history.add(1, '6 * 7', '42');
  history.add(2, "const x = 'a';", null);
  history.add(3, '6 * 7', '42');

  it("tail n gives the last n rows [session, line, input]; with output, [input, output]", () => {
    assert.deepEqual(history.query({ hist_access_type: 'tail', n: 2 }), [[SESSION, 2, "const x = 'a';"], [SESSION, 3, '6 * 7']]);
    assert.deepEqual(history.query({ hist_access_type: 'tail', n: 1, output: true }), [[SESSION, 3, ['6 * 7', '42']]]);
  });

  it('range takes lines start <= line < stop of the current session (0 or its number); other sessions have none', () => {
    assert.deepEqual(history.query({ hist_access_type: 'range', session: 0, start: 2, stop: 3 }), [[SESSION, 2, "const x = 'a';"]]);
    assert.equal(history.query({ hist_access_type: 'range', session: SESSION, start: 1 }).length, 3);
    assert.deepEqual(history.query({ hist_access_type: 'range', session: -1, start: 1 }), []);
  });

  it('search matches a glob against the whole input; unique keeps the last of equal inputs; n the last n', () => {
    assert.deepEqual(history.query({ hist_access_type: 'search', pattern: '6*7' }).map((r) => r[1]), [1, 3]);
    assert.deepEqual(history.query({ hist_access_type: 'search', pattern: '6*7', unique: true }).map((r) => r[1]), [3]);
    assert.deepEqual(history.query({ hist_access_type: 'search', pattern: '*', n: 1 }).map((r) => r[1]), [3]);
    assert.deepEqual(history.query({ hist_access_type: 'search', pattern: 'const' }), []);
  });

  it('globToRegExp: * and ? match any text, [abc] and [!abc] one character, everything else itself', () => {
    assert.ok(globToRegExp('a*c').test('a\nb.c'));
    assert.ok(globToRegExp('a?c').test('abc') && !globToRegExp('a?c').test('ac'));
    assert.ok(globToRegExp('[xy]1').test('y1') && !globToRegExp('[!xy]1').test('y1'));
    assert.ok(globToRegExp('f(x).y').test('f(x).y') && !globToRegExp('f(x).y').test('f(x)zy'));
  });
});
