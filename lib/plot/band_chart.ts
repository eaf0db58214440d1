import { checkLogAxisValues, finiteNumbers } from './arguments';
import { frame, LineChartOptions, ruleLayers, seriesColor, seriesRows, xyEncoding } from './line_chart';
import { VegaLiteSpec } from './vega_lite_spec';

/** One named mean line with a band from `lower` to `upper` (e.g. mean ± 95% CI over seeds). */
export interface BandSeries {
  name: string;
  x: ArrayLike<number>;
  mean: ArrayLike<number>;
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
}

/**
 * Builds a line chart with a shaded band around each line (mean ± CI), as a vega-lite spec.
 * Takes the same options as {@link lineChart} (log axes, reference rules, size).
 * @param series one entry per line; x, mean, lower, upper of equal length, lower <= mean <= upper
 * @example display.show(plot.bandChart([{name: 'InfoNCE', x: steps, mean: m, lower: lo, upper: hi}], {rules: [{y: Math.log(64), label: 'log 64'}]}))
 */
export function bandChart(series: BandSeries[], options: LineChartOptions = {}): VegaLiteSpec {
  if (!Array.isArray(series) || series.length === 0) {
    throw new Error(`bandChart: series must be a non-empty array of {name, x, mean, lower, upper}, got ${String(series)}`);
  }
  const rows = seriesRows(
    'bandChart',
    series.map((s) => ({ name: s?.name, x: s?.x, y: s?.mean })),
    options,
  ).map((r) => ({ ...r, lower: 0, upper: 0 }));
  let k = 0;
  series.forEach((s, i) => {
    const lower = finiteNumbers('bandChart', `series[${i}].lower`, s.lower);
    const upper = finiteNumbers('bandChart', `series[${i}].upper`, s.upper);
    if (options.yLog === true) checkLogAxisValues('bandChart', `series[${i}].lower`, lower);
    const n = s.x.length;
    if (lower.length !== n || upper.length !== n) {
      throw new Error(`bandChart: series[${i}] ('${s.name}') has ${n} x values but ${lower.length} lower and ${upper.length} upper`);
    }
    for (let j = 0; j < n; j++, k++) {
      const r = rows[k];
      if (!(lower[j] <= r.y && r.y <= upper[j])) {
        throw new Error(`bandChart: series[${i}] at index ${j} needs lower <= mean <= upper, got ${lower[j]} <= ${r.y} <= ${upper[j]}`);
      }
      r.lower = lower[j];
      r.upper = upper[j];
    }
  });
  const xy = xyEncoding(options) as { x: VegaLiteSpec; y: VegaLiteSpec };
  const color = opaqueSwatches(seriesColor(options));
  const layer: VegaLiteSpec[] = [
    {
      mark: { type: 'area', opacity: 0.2, clip: true },
      encoding: { x: xy.x, y: { ...xy.y, field: 'lower' }, y2: { field: 'upper' }, color },
    },
    { mark: { type: 'line', point: options.points === true, clip: true }, encoding: { ...xy, color } },
    ...ruleLayers('bandChart', options),
  ];
  return frame({ values: rows }, layer, options);
}

/**
 * The legend's swatches take the opacity of the first layer that uses the colour, here the
 * band's 0.2, which makes pale colours (a light orange, a light red) hard to tell apart. Draw
 * them at full opacity, like the lines they name.
 */
function opaqueSwatches(color: VegaLiteSpec): VegaLiteSpec {
  const legend = color.legend as VegaLiteSpec | null;
  return legend === null ? color : { ...color, legend: { ...legend, symbolOpacity: 1 } };
}
