import assert from 'node:assert/strict';
import { DisplayMessage, setDisplaySink } from './display_bundle';
import { showHtml } from './show_html';
import { showMarkdown } from './show_markdown';

describe('showMarkdown / showHtml', () => {
  afterEach(() => setDisplaySink(null));

  it('showMarkdown(md) sends ONE output with text/markdown and the source as text/plain', () => {
    const seen: DisplayMessage[] = [];
    setDisplaySink((m) => seen.push(m));
    showMarkdown('**loss** $= 0.5$');
    assert.deepEqual(seen.map((m) => m.data), [{ 'text/markdown': '**loss** $= 0.5$', 'text/plain': '**loss** $= 0.5$' }]);
  });

  it('showHtml(html) sends text/html with the tags stripped as text/plain, or the text given', () => {
    const seen: DisplayMessage[] = [];
    setDisplaySink((m) => seen.push(m));
    showHtml('<p>a <b>b</b></p>');
    showHtml('<svg></svg>', 'a diagram');
    assert.deepEqual(seen.map((m) => m.data['text/plain']), ['a b', 'a diagram']);
    assert.equal(seen[0].data['text/html'], '<p>a <b>b</b></p>');
  });

  it('showMarkdown / showHtml throw naming a non-string argument', () => {
    assert.throws(() => showMarkdown(3 as unknown as string), /showMarkdown: markdown must be a string, got number/);
    assert.throws(() => showHtml(undefined as unknown as string), /showHtml: html must be a string, got undefined/);
  });
});
