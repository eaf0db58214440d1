import assert from 'node:assert/strict';
import { bandChart, BandSeries } from './band_chart';
import { renderSvg } from './render_svg';

// Notebook 02's key figure in miniature: two InfoNCE bands under the true-MI line.
const mis = [1, 2, 4, 8];
const series: BandSeries[] = [16, 64].map((N) => {
  const mean = mis.map((m) => Math.min(m, Math.log(N)) - 0.1);
  return { name: `InfoNCE, N = ${N}`, x: mis, mean, lower: mean.map((v) => v - 0.3), upper: mean.map((v) => v + 0.1) };
});
series.push({ name: 'true MI', x: mis, mean: mis, lower: mis, upper: mis });

/** Attributes of every path in the SVG group with the given role (e.g. legend-symbol). */
function paths(svg: string, role: string): Record<string, string>[] {
  const groups = svg.match(new RegExp(`<g class="[^"]*role-${role}"[^>]*>.*?</g>`, 'g')) ?? [];
  return groups.flatMap((g) => [...g.matchAll(/<path ([^>]*)\/?>/g)].map(([, attrs]) => Object.fromEntries([...attrs.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, k, v]) => [k, v]))));
}

describe('bandChart', () => {
  it('bandChart(3 series) draws each legend swatch at full opacity, in the colour of its line', async () => {
    const svg = await renderSvg(bandChart(series, { points: true }));
    const swatches = paths(svg, 'legend-symbol');
    assert.equal(swatches.length, series.length);
    assert.deepEqual(swatches.map((s) => s.opacity), series.map(() => '1'));
    // Each line path names its series in aria-label; the legend lists the series in order.
    const lineColour = new Map(
      [...svg.matchAll(/<path aria-label="[^"]*series: ([^"]*)" [^>]*aria-roledescription="line mark"[^>]*stroke="(#[0-9a-f]{6})"/g)].map(([, name, c]) => [name, c]),
    );
    assert.deepEqual(swatches.map((s) => s.fill), series.map((s) => lineColour.get(s.name)));
    assert.equal(new Set(lineColour.values()).size, series.length);
  });

  it("bandChart(series, {legendOrient: 'none'}) draws no legend", async () => {
    const svg = await renderSvg(bandChart(series, { legendOrient: 'none' }));
    assert.equal(paths(svg, 'legend-symbol').length, 0);
  });

  it('bandChart throws naming a band that does not contain its mean', () => {
    const bad = [{ name: 'a', x: [0, 1], mean: [1, 2], lower: [0, 2.5], upper: [2, 3] }];
    assert.throws(() => bandChart(bad), /bandChart: series\[0\] at index 1 needs lower <= mean <= upper, got 2.5 <= 2 <= 3/);
  });
});
