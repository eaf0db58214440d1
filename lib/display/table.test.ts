import assert from 'node:assert/strict';
import { DisplayMessage, setDisplaySink } from './display_bundle';
import { table, tableBundle } from './table';

describe('table', () => {
  afterEach(() => setDisplaySink(null));

  it('table(rows) sends ONE output with text/html, text/markdown and text/plain', () => {
    const seen: DisplayMessage[] = [];
    setDisplaySink((m) => seen.push(m));
    table([{ tau: 0.1, loss: 2.302585 }, { tau: 1, loss: 0.5 }], { title: 'N-pair' });
    assert.equal(seen.length, 1);
    assert.deepEqual(Object.keys(seen[0].data).sort(), ['text/html', 'text/markdown', 'text/plain']);
  });

  it('tableBundle(rows) formats numbers with 4 decimals, integers as is, and right-aligns number columns', () => {
    const b = tableBundle([{ name: 'a', n: 3, v: 2.302585 }, { name: 'bb', n: 10, v: 0.00001 }]);
    assert.equal(
      b['text/plain'],
      ['name   n         v', '----  --  --------', 'a      3    2.3026', 'bb    10  1.000e-5'].join('\n'),
    );
    assert.equal(b['text/markdown'], '| name | n | v |\n| :--- | ---: | ---: |\n| a | 3 | 2.3026 |\n| bb | 10 | 1.000e-5 |');
  });

  it('tableBundle right-aligns numbers given as formatted strings', () => {
    const b = tableBundle([{ s: '0.5000' }, { s: '-12.2500' }]);
    assert.equal(b['text/plain'], ['       s', '--------', '  0.5000', '-12.2500'].join('\n'));
  });

  it('tableBundle escapes HTML in cells', () => {
    const b = tableBundle([['<b>', 'a&b']], { columns: ['x', 'y'] });
    assert.match(b['text/html'] as string, /<td style="text-align:left">&lt;b&gt;<\/td><td style="text-align:left">a&amp;b<\/td>/);
  });

  it('table throws naming bad rows or digits', () => {
    assert.throws(() => tableBundle([1 as unknown as object[]]), /table: rows\[0\] must be an object or an array, got 1/);
    assert.throws(() => tableBundle([], { digits: -1 }), /table: digits must be an integer in \[0, 20\], got -1/);
  });
});
