import assert from 'node:assert/strict';
import { lineChart } from '../plot/line_chart';
import { chartBundle, describeSpec, VEGA_LITE_MIME } from './chart_bundle';
import { DisplayMessage, setDisplaySink } from './display_bundle';
import { show } from './show';

const spec = lineChart([{ name: 'loss', x: [1, 2, 3], y: [3, 2, 1.5] }], { title: 'demo' });

describe('show', () => {
  afterEach(() => setDisplaySink(null));

  it('show(spec) sends ONE display_data with vega-lite, a valid SVG with marks, and text/plain', async () => {
    const seen: DisplayMessage[] = [];
    setDisplaySink((m) => seen.push(m));
    await show(spec);
    assert.equal(seen.length, 1);
    const data = seen[0].data;
    assert.deepEqual(Object.keys(data).sort(), ['application/vnd.vegalite.v5+json', 'image/svg+xml', 'text/plain']);
    assert.equal(data[VEGA_LITE_MIME], spec);
    const svg = data['image/svg+xml'] as string;
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /class="mark-line/);
    assert.match(svg, /<\/svg>$/);
    assert.equal(data['text/plain'], "<vega-lite chart 'demo': line marks, 3 data rows>");
  });

  it('show(spec) outside a kernel prints the text line and does not throw', async () => {
    const orig = console.log;
    const lines: string[] = [];
    console.log = (s: string) => void lines.push(s);
    try {
      await show(spec, { text: 'a loss curve' });
    } finally {
      console.log = orig;
    }
    assert.deepEqual(lines, ['a loss curve']);
  });

  it('show(badSpec) rejects naming the problem', async () => {
    await assert.rejects(show({ data: { values: [] } }), /renderSvg: spec has none of mark, layer/);
    await assert.rejects(
      show({ data: { values: [{ a: 1 }] }, mark: 'point', encoding: { x: { field: 'b', type: 'quantitative' } } }),
      /renderSvg: spec.encoding.x.field 'b' is not in the data; fields are a/,
    );
  });

  it('chartBundle(spec, {strict: true}) turns a vega-lite warning into an error', async () => {
    const bad = { data: { values: [{ a: 1 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'nonsense' } } };
    await assert.rejects(chartBundle(bad, { strict: true }), /renderSvg: vega-lite (warned|could not compile)/);
  });

  it('describeSpec counts data rows over layers and names the marks', () => {
    const s = { layer: [{ mark: 'line', data: { values: [1, 2] } }, { mark: { type: 'rule' }, data: { values: [1] } }] };
    assert.equal(describeSpec(s), '<vega-lite chart: line, rule marks, 3 data rows>');
  });
});
