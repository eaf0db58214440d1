import assert from 'node:assert/strict';
import { heatmap } from './heatmap';
import { renderSvg } from './render_svg';

describe('heatmap', () => {
  it('heatmap(2x3 matrix) renders 2*3 cells and prints the values', async () => {
    const svg = await renderSvg(heatmap([[1, 0.5, -0.25], [0, 1, 0.125]], { domain: [-1, 1], scheme: 'redblue' }));
    const cells = svg.match(/<g class="mark-rect[^>]*>(.*?)<\/g>/)?.[1].match(/<path /g) ?? [];
    assert.equal(cells.length, 2 * 3);
    assert.match(svg, />\u22120\.25</); // d3-format writes a true minus sign
    assert.match(svg, />0\.13</);
  });

  it('heatmap keeps the row and column label order given', () => {
    const spec = heatmap([[1, 2], [3, 4]], { rowLabels: ['z1', 'z2'], colLabels: ['b', 'a'] });
    const values = (spec.data as { values: { row: string; col: string; value: number }[] }).values;
    assert.deepEqual(values[1], { row: 'z1', col: 'a', value: 2 });
  });

  it('heatmap throws naming a ragged row, bad labels or a bad domain', () => {
    assert.throws(() => heatmap([[1, 2], [3]]), /heatmap: matrix\[1\] has 1 values but matrix\[0\] has 2/);
    assert.throws(() => heatmap([[1, 2]], { colLabels: ['a'] }), /heatmap: colLabels has 1 labels but the matrix has 2/);
    assert.throws(() => heatmap([[1, 2]], { colLabels: ['a', 'a'] }), /heatmap: colLabels must be unique/);
    assert.throws(() => heatmap([[1]], { domain: [1, 0] }), /heatmap: domain must be \[lo, hi\] with lo < hi, got \[1, 0\]/);
    assert.throws(() => heatmap([]), /heatmap: matrix must be a non-empty array of rows/);
  });
});
