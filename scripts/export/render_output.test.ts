import assert from 'node:assert/strict';
import { markdownRenderer } from './markdown_renderer';
import { OutputContext, renderOutput } from './render_output';

const typeset = (tex: string, display: boolean) => `<m${display ? ' d' : ''}>${tex}</m>`;
function context(): OutputContext {
  return { markdown: markdownRenderer(typeset), typeset, dir: '.', where: 'x.ipynb cell 2', tally: { charts: 0, images: 0 } };
}
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
const spec = { data: { values: [{ a: 1, b: 2 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } } };

describe('renderOutput', () => {
  it('renderOutput(vega-lite + SVG + text) is a chart figure: static SVG picture, vega spec compiled for the live chart', async () => {
    const ctx = context();
    const html = await renderOutput({ output_type: 'display_data', data: { 'application/vnd.vegalite.v5+json': spec, 'image/svg+xml': svg, 'text/plain': '<chart>' } }, ctx);
    assert.match(html, /<figure class="chart"><img class="chart-static" alt="&lt;chart&gt;" src="data:image\/svg\+xml,<svg xmlns=%22http/);
    const compiled = JSON.parse(html.match(/<script type="application\/json" class="chart-spec">(.*?)<\/script>/)![1]);
    assert.ok(Array.isArray(compiled.marks), 'a vega spec (marks), not the vega-lite one');
    assert.deepEqual(ctx.tally, { charts: 1, images: 0 });
  });

  it('renders the static picture itself when a vega-lite output carries no SVG', async () => {
    const html = await renderOutput({ output_type: 'display_data', data: { 'application/vnd.vegalite.v5+json': spec } }, context());
    assert.match(html, /src="data:image\/svg\+xml,<svg [^"]*class=%22marks%22/);
  });

  it('prefers HTML to Markdown to SVG to PNG to text, as JupyterLab does', async () => {
    const ctx = context();
    const r = (data: Record<string, unknown>) => renderOutput({ output_type: 'execute_result', data, metadata: { 'image/png': { width: 20 } } }, ctx);
    assert.match(await r({ 'text/html': '<b>h</b>', 'text/markdown': '*m*', 'text/plain': 't' }), /<div class="output-html"><b>h<\/b><\/div>/);
    assert.match(await r({ 'text/markdown': 'm $x$', 'image/svg+xml': svg, 'text/plain': 't' }), /<div class="output-markdown"><p>m <m>x<\/m><\/p>/);
    assert.match(await r({ 'image/svg+xml': svg, 'image/png': 'AAAA', 'text/plain': 't' }), /<img class="output-image" alt="t" src="data:image\/svg\+xml,/);
    assert.match(await r({ 'image/png': 'AA\nAA', 'text/plain': 't' }), /<img class="output-image" alt="t" src="data:image\/png;base64,AAAA" width="20">/);
    assert.match(await r({ 'text/latex': '$$\\frac12$$' }), /<m d>\\frac12<\/m>/);
    assert.equal(await r({ 'text/plain': ['a <', 'b'] }), '<div class="output"><pre>a &lt;b</pre></div>');
    assert.equal(ctx.tally.images, 2);
  });

  it('shows stderr on its own background and error tracebacks with their colours', async () => {
    const ctx = context();
    assert.equal(await renderOutput({ output_type: 'stream', name: 'stderr', text: 'warn\n' }, ctx), '<div class="output stream stderr"><pre>warn\n</pre></div>');
    const html = await renderOutput({ output_type: 'error', ename: 'TypeError', evalue: 'x', traceback: ['\x1b[31mTypeError\x1b[0m: x'] }, ctx);
    assert.equal(html, '<div class="output error"><pre><span style="color:#cd3131">TypeError</span>: x</pre></div>');
  });

  it('throws naming the cell for an output type nbformat does not know', async () => {
    await assert.rejects(renderOutput({ output_type: 'pyout' }, context()), /renderOutput: x.ipynb cell 2 has an output of unknown type "pyout"/);
  });
});
