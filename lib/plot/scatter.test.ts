import assert from 'node:assert/strict';
import { renderSvg } from './render_svg';
import { scatter } from './scatter';

describe('scatter', () => {
  it('scatter({x, y, color}) renders one symbol per point with one colour per class', async () => {
    const n = 30;
    const spec = scatter({ x: Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, (_, i) => i * i), color: Array.from({ length: n }, (_, i) => i % 3) });
    const svg = await renderSvg(spec);
    const paths = svg.match(/<g class="mark-symbol[^>]*>(.*?)<\/g>/)?.[1].match(/<path [^>]*>/g) ?? [];
    assert.equal(paths.length, n);
    const fills = new Set(paths.map((p) => p.match(/fill="([^"]+)"/)?.[1]));
    assert.equal(fills.size, 3);
  });

  it('scatter({..., text}) adds a text label layer; equalAxes gives both axes one domain', () => {
    const spec = scatter({ x: [0, 1], y: [0, 4], text: ['anchor', ''] }, { equalAxes: true });
    const layers = spec.layer as { encoding: { x: { scale: unknown }; y: { scale: unknown } } }[];
    assert.equal(layers.length, 2);
    assert.deepEqual(layers[0].encoding.x.scale, layers[0].encoding.y.scale);
  });

  it('scatter throws naming mismatched lengths and bad values', () => {
    assert.throws(() => scatter({ x: [1, 2], y: [1] }), /scatter: data.x has 2 values but data.y has 1/);
    assert.throws(() => scatter({ x: [1], y: [1], color: [1, 2] }), /scatter: data.color has 2 values but data.x has 1/);
    assert.throws(() => scatter({ x: [Infinity], y: [1] }), /scatter: data.x\[0\] must be a finite number, got Infinity/);
    assert.throws(() => scatter({ x: [1], y: [1] }, { opacity: 2 }), /scatter: opacity must be in \[0, 1\], got 2/);
  });
});
