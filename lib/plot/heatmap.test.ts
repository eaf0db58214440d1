import assert from 'node:assert/strict';
import { heatmap } from './heatmap';
import { renderSvg } from './render_svg';

/** The axis label groups of a vega SVG: per label its text, anchor point, rotation and font size. */
function axisLabels(svg: string) {
  const groups = svg.match(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/g) ?? [];
  return groups.map((g) =>
    [...g.matchAll(/<text [^>]*transform="translate\(([-\d.]+),([-\d.]+)\)(?: rotate\((\d+)\))?[^"]*"[^>]*font-size="([\d.]+)px"[^>]*>([^<]*)<\/text>/g)].map(
      ([, x, y, angle, size, text]) => ({ x: Number(x), y: Number(y), angle: Number(angle ?? 0), size: Number(size), text }),
    ),
  );
}

/** The column axis (its labels share one y) and each label's horizontal extent in pixels. */
function columnLabelExtents(svg: string): { text: string; angle: number; left: number; right: number }[] {
  const columns = axisLabels(svg).find((g) => g.length > 1 && g.every((l) => l.y === g[0].y));
  assert.ok(columns, 'a column axis');
  return columns.map((l) => {
    // Horizontal text is centred on x and about 0.8 x characters x font size wide (vega's own
    // estimate, used for the layout in Node); vertical text is one line height wide.
    const half = l.angle === 0 ? (0.8 * l.text.length * l.size) / 2 : l.size / 2;
    return { text: l.text, angle: l.angle, left: l.x - half, right: l.x + half };
  });
}

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

  it("heatmap(16x16, labels like 'v1 #1 (7)', cellSize 18) turns the column labels vertical: no two overlap in the SVG", async () => {
    const names = [1, 2].flatMap((view) => [7, 2, 1, 0, 4, 1, 4, 9].map((digit, i) => `v${view} #${i + 1} (${digit})`));
    const matrix = names.map((_, i) => names.map((__, j) => Math.cos(i - j)));
    const spec = heatmap(matrix, { rowLabels: names, colLabels: names, cellSize: 18 });
    const layer = (spec.layer as { encoding: { x: { axis: Record<string, unknown> } } }[])[0];
    assert.equal(layer.encoding.x.axis.labelAngle, -90);
    const labels = columnLabelExtents(await renderSvg(spec));
    assert.deepEqual(labels.map((l) => l.text), names);
    for (let i = 1; i < labels.length; i++) {
      assert.ok(labels[i - 1].right <= labels[i].left, `'${labels[i - 1].text}' ends at ${labels[i - 1].right} px, after '${labels[i].text}' starts at ${labels[i].left} px`);
    }
  });

  it("heatmap(4x4, labels '0'..'3', cellSize 28) keeps short column labels horizontal and apart", async () => {
    const spec = heatmap([0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => i * 4 + j)));
    const labels = columnLabelExtents(await renderSvg(spec));
    assert.deepEqual(labels.map((l) => [l.text, l.angle]), [['0', 0], ['1', 0], ['2', 0], ['3', 0]]);
    for (let i = 1; i < labels.length; i++) assert.ok(labels[i - 1].right <= labels[i].left);
  });

  it('heatmap throws naming a ragged row, bad labels or a bad domain', () => {
    assert.throws(() => heatmap([[1, 2], [3]]), /heatmap: matrix\[1\] has 1 values but matrix\[0\] has 2/);
    assert.throws(() => heatmap([[1, 2]], { colLabels: ['a'] }), /heatmap: colLabels has 1 labels but the matrix has 2/);
    assert.throws(() => heatmap([[1, 2]], { colLabels: ['a', 'a'] }), /heatmap: colLabels must be unique/);
    assert.throws(() => heatmap([[1]], { domain: [1, 0] }), /heatmap: domain must be \[lo, hi\] with lo < hi, got \[1, 0\]/);
    assert.throws(() => heatmap([]), /heatmap: matrix must be a non-empty array of rows/);
  });
});
