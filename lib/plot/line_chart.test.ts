import assert from 'node:assert/strict';
import { bandChart } from './band_chart';
import { lineChart } from './line_chart';
import { renderSvg } from './render_svg';

type Layer = { mark: { type: string }; data?: { values: { v: number; label: string }[] } };

describe('lineChart / bandChart', () => {
  it('lineChart(two series, {rules}) flattens to n1 + n2 rows and adds a rule and a label per rule line', () => {
    const spec = lineChart(
      [{ name: 'a', x: [1, 2], y: [3, 4] }, { name: 'b', x: new Float32Array([1, 2, 3]), y: [1, 1, 1] }],
      { rules: [{ y: Math.log(16), label: 'log 16' }] },
    );
    assert.equal((spec.data as { values: unknown[] }).values.length, 2 + 3);
    const layers = spec.layer as Layer[];
    assert.deepEqual(layers.map((l) => l.mark.type), ['line', 'rule', 'text']);
    assert.deepEqual(layers[1].data?.values, [{ v: Math.log(16), label: 'log 16' }]);
  });

  it('lineChart with xLog/yLog and a rule renders an SVG with a line and a rule mark', async () => {
    const x = [0.01, 0.1, 1];
    const svg = await renderSvg(lineChart([{ name: 'a', x, y: x.map((t) => 1 / t) }], { xLog: true, yLog: true, rules: [{ y: 10, label: 'ten' }] }));
    assert.match(svg, /class="mark-line/);
    assert.match(svg, /class="mark-rule/);
    assert.match(svg, />ten</);
  });

  it("lineChart legend: long names are not truncated; legendOrient 'none' hides it", () => {
    const color = (o: object) => ((lineChart([{ name: 'a', x: [1], y: [1] }], o).layer as { encoding: { color: { legend: unknown } } }[])[0].encoding.color.legend);
    assert.deepEqual(color({}), { title: null, orient: 'right', labelLimit: 400 });
    assert.equal(color({ legendOrient: 'none' }), null);
  });

  it('lineChart throws naming the bad series, value or option', () => {
    assert.throws(() => lineChart([]), /lineChart: series must be a non-empty array/);
    assert.throws(() => lineChart([{ name: 'a', x: [1, 2], y: [1] }]), /lineChart: series\[0\] \('a'\) has 2 x values but 1 y values/);
    assert.throws(() => lineChart([{ name: 'a', x: [1], y: [NaN] }]), /lineChart: series\[0\].y\[0\] must be a finite number, got NaN/);
    assert.throws(() => lineChart([{ name: 'a', x: [0, 1], y: [1, 1] }], { xLog: true }), /lineChart: series\[0\].x\[0\] is 0, but a log axis needs values > 0/);
    assert.throws(() => lineChart([{ name: 'a', x: [1], y: [1] }, { name: 'a', x: [1], y: [1] }]), /series name 'a' appears twice/);
    assert.throws(() => lineChart([{ name: 'a', x: [1], y: [1] }], { rules: [{ label: 'r' }] }), /lineChart: rules\[0\] needs exactly one of x or y/);
  });

  it('bandChart(series) draws an area from lower to upper under the mean line', async () => {
    const spec = bandChart([{ name: 'm', x: [1, 2], mean: [1, 2], lower: [0.5, 1.5], upper: [1.5, 2.5] }]);
    assert.deepEqual((spec.data as { values: unknown[] }).values[1], { series: 'm', x: 2, y: 2, lower: 1.5, upper: 2.5 });
    const svg = await renderSvg(spec);
    assert.match(svg, /class="mark-area/);
    assert.match(svg, /class="mark-line/);
  });

  it('bandChart throws when a band does not contain its mean or lengths differ', () => {
    assert.throws(
      () => bandChart([{ name: 'm', x: [1], mean: [1], lower: [1.5], upper: [2] }]),
      /bandChart: series\[0\] at index 0 needs lower <= mean <= upper, got 1.5 <= 1 <= 2/,
    );
    assert.throws(() => bandChart([{ name: 'm', x: [1, 2], mean: [1, 1], lower: [0], upper: [2, 2] }]), /has 2 x values but 1 lower and 2 upper/);
  });
});
