import assert from 'node:assert/strict';
import { renderSvg } from './render_svg';

const point = { data: { values: [{ a: 1, b: 2 }, { a: 2, b: 3 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } } };

describe('renderSvg', () => {
  it('renderSvg(spec) returns an SVG document with one symbol path per data point', async () => {
    const svg = await renderSvg(point);
    assert.match(svg, /^<svg /);
    assert.match(svg, /<\/svg>$/);
    const group = svg.match(/<g class="mark-symbol[^>]*>(.*?)<\/g>/);
    assert.ok(group, 'a symbol mark group');
    assert.equal(group[1].match(/<path /g)?.length, 2);
  });

  it('renderSvg(spec) throws naming the problem: not an object, no mark, missing field, data.url', async () => {
    await assert.rejects(renderSvg([] as unknown as Record<string, unknown>), /renderSvg: spec must be a vega-lite object, got an array/);
    await assert.rejects(renderSvg({ data: { values: [] } }), /renderSvg: spec has none of mark, layer, .*keys are \[data\]/);
    await assert.rejects(
      renderSvg({ ...point, layer: undefined, encoding: { x: { field: 'z', type: 'quantitative' } } }),
      /renderSvg: spec.encoding.x.field 'z' is not in the data; fields are a, b/,
    );
    await assert.rejects(
      renderSvg({ data: { values: [{ a: 1 }] }, layer: [{ mark: 'point', encoding: { y: { field: 'q' } } }] }),
      /renderSvg: spec.layer\[0\].encoding.y.field 'q' is not in the data/,
    );
    await assert.rejects(renderSvg({ data: { url: 'x.csv' }, mark: 'point' }), /renderSvg: data.url "x.csv" would need a fetch/);
  });

  it('renderSvg(spec) reports vega-lite warnings to onWarning, and throws on them when strict', async () => {
    const bad = { ...point, encoding: { x: { field: 'a', type: 'quantitative' }, size: { field: 'b', type: 'quantitative', scale: { type: 'band' } } } };
    const warnings: string[] = [];
    await renderSvg(bad, { onWarning: (w) => warnings.push(w) });
    assert.ok(warnings.length > 0, 'a band scale on size is warned about');
    await assert.rejects(renderSvg(bad, { strict: true }), /renderSvg: vega-lite warned \(strict mode\)/);
  });
});
