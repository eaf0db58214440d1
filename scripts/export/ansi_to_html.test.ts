import assert from 'node:assert/strict';
import { ansiToHtml } from './ansi_to_html';

describe('ansiToHtml', () => {
  it("ansiToHtml('\\\\x1b[31mError\\\\x1b[0m: a < b') colours 'Error' red and escapes the rest", () => {
    assert.equal(ansiToHtml('\x1b[31mError\x1b[0m: a < b'), '<span style="color:#cd3131">Error</span>: a &lt; b');
  });

  it('combines bold with bright, 256-colour and 24-bit colours, and 39/22 turn them off again', () => {
    assert.equal(ansiToHtml('\x1b[1;92mok\x1b[39m!\x1b[22m.'), '<span style="color:#23d18b;font-weight:bold">ok</span><span style="font-weight:bold">!</span>.');
    // 256-colour 196 is the 6x6x6 cube's (5, 0, 0): rgb(55 + 5*40, 0, 0).
    assert.equal(ansiToHtml('\x1b[38;5;196mx'), `<span style="color:rgb(${55 + 5 * 40},0,0)">x</span>`);
    assert.equal(ansiToHtml('\x1b[48;2;1;2;3mx'), '<span style="background-color:rgb(1,2,3)">x</span>');
  });

  it('drops escape sequences that are not colours (cursor moves, window titles)', () => {
    assert.equal(ansiToHtml('a\x1b[2Kb\x1b]0;title\x07c'), 'abc');
  });
});
