import { checkLogAxisValues, finiteNumbers } from './arguments';
import { VEGA_LITE_SCHEMA, VegaLiteSpec } from './vega_lite_spec';

/** One named line: `y[i]` drawn at `x[i]`. */
export interface LineSeries {
  /** Legend name; unique within a chart. */
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** A labelled reference line: horizontal at `y` (e.g. log N) or vertical at `x`. */
export interface RuleLine {
  y?: number;
  x?: number;
  label: string;
}

/** Options for {@link lineChart} and {@link bandChart}. */
export interface LineChartOptions {
  /** Chart title. Default none. */
  title?: string;
  /** x axis title. Default 'x'. */
  xTitle?: string;
  /** y axis title. Default 'y'. */
  yTitle?: string;
  /** Log-scale x axis (all x must be > 0). Default false. */
  xLog?: boolean;
  /** Log-scale y axis (all y must be > 0). Default false. */
  yLog?: boolean;
  /** Dashed reference lines with a label. Default none. */
  rules?: RuleLine[];
  /** Draw a dot at each data point. Default false. */
  points?: boolean;
  /** Legend title. Default none. */
  legendTitle?: string;
  /** Where the legend goes: a vega-lite legend orient ('right', 'bottom', 'top-left', ...) or 'none'. Default 'right'. */
  legendOrient?: string;
  /** Plot width in pixels. Default 360. */
  width?: number;
  /** Plot height in pixels. Default 220. */
  height?: number;
}

/**
 * Builds a multi-series line chart (vega-lite spec), optionally on log axes and with labelled
 * reference lines (e.g. the InfoNCE ceiling log N).
 * @param series one entry per line; x and y of equal length
 * @returns a vega-lite spec for `display.show` or `renderSvg`
 * @example display.show(plot.lineChart([{name: 'loss', x: taus, y: losses}], {xLog: true, xTitle: 'tau'}))
 */
export function lineChart(series: LineSeries[], options: LineChartOptions = {}): VegaLiteSpec {
  const rows = seriesRows('lineChart', series, options);
  const layer: VegaLiteSpec[] = [
    {
      mark: { type: 'line', point: options.points === true, clip: true },
      encoding: {
        ...xyEncoding(options),
        color: seriesColor(options),
      },
    },
    ...ruleLayers('lineChart', options),
  ];
  return frame({ values: rows }, layer, options);
}

/** Checks series and flattens them to long-format rows `{series, x, y}`. Shared with bandChart. */
export function seriesRows(fn: string, series: LineSeries[], options: LineChartOptions) {
  if (!Array.isArray(series) || series.length === 0) {
    throw new Error(`${fn}: series must be a non-empty array of {name, x, y}, got ${Array.isArray(series) ? '[]' : String(series)}`);
  }
  const names = new Set<string>();
  const rows: { series: string; x: number; y: number }[] = [];
  series.forEach((s, i) => {
    if (typeof s?.name !== 'string') throw new Error(`${fn}: series[${i}].name must be a string, got ${String(s?.name)}`);
    if (names.has(s.name)) throw new Error(`${fn}: series name '${s.name}' appears twice; names must be unique`);
    names.add(s.name);
    const x = finiteNumbers(fn, `series[${i}].x`, s.x);
    const y = finiteNumbers(fn, `series[${i}].y`, s.y);
    if (x.length !== y.length) {
      throw new Error(`${fn}: series[${i}] ('${s.name}') has ${x.length} x values but ${y.length} y values`);
    }
    if (options.xLog === true) checkLogAxisValues(fn, `series[${i}].x`, x);
    if (options.yLog === true) checkLogAxisValues(fn, `series[${i}].y`, y);
    x.forEach((xv, j) => rows.push({ series: s.name, x: xv, y: y[j] }));
  });
  return rows;
}

/** The x/y encodings with titles and log scales. */
export function xyEncoding(options: LineChartOptions): VegaLiteSpec {
  return {
    x: { field: 'x', type: 'quantitative', title: options.xTitle ?? 'x', scale: scale(options.xLog) },
    y: { field: 'y', type: 'quantitative', title: options.yTitle ?? 'y', scale: scale(options.yLog) },
  };
}

function scale(log: boolean | undefined): VegaLiteSpec {
  // nice: false keeps a log axis from stretching to the next power of ten (1..10000 for 2..1024).
  return log === true ? { type: 'log', nice: false } : { zero: false };
}

/** The colour-by-series encoding with a legend that does not truncate long series names. */
export function seriesColor(options: LineChartOptions): VegaLiteSpec {
  const orient = options.legendOrient ?? 'right';
  const legend = orient === 'none' ? null : { title: options.legendTitle ?? null, orient, labelLimit: 400 };
  return { field: 'series', type: 'nominal', sort: null, legend };
}

/** Dashed rules with a text label at the right (horizontal) or top (vertical) end. */
export function ruleLayers(fn: string, options: LineChartOptions): VegaLiteSpec[] {
  const rules = options.rules ?? [];
  const width = options.width ?? 360;
  const layers: VegaLiteSpec[] = [];
  rules.forEach((r, i) => {
    const hasY = typeof r.y === 'number';
    const hasX = typeof r.x === 'number';
    if (hasX === hasY) throw new Error(`${fn}: rules[${i}] needs exactly one of x or y, got ${JSON.stringify(r)}`);
    const v = (hasY ? r.y : r.x) as number;
    if (!Number.isFinite(v)) throw new Error(`${fn}: rules[${i}] value must be finite, got ${v}`);
    const ch = hasY ? 'y' : 'x';
    const s = ch === 'y' ? options.yLog : options.xLog;
    // Same title as the main axis, else vega-lite merges titles into 'loss, v'.
    const title = ch === 'y' ? (options.yTitle ?? 'y') : (options.xTitle ?? 'x');
    const enc = { field: 'v', type: 'quantitative', scale: scale(s), title };
    const data = { values: [{ v, label: String(r.label ?? '') }] };
    layers.push({ data, mark: { type: 'rule', strokeDash: [4, 4], color: '#555' }, encoding: { [ch]: enc } });
    layers.push({
      data,
      mark: hasY
        ? { type: 'text', align: 'right', baseline: 'bottom', dy: -2, color: '#333' }
        : { type: 'text', align: 'left', baseline: 'top', dx: 3, color: '#333' },
      encoding: hasY ? { y: enc, x: { value: width - 2 }, text: { field: 'label' } } : { x: enc, y: { value: 2 }, text: { field: 'label' } },
    });
  });
  return layers;
}

/** The top-level spec around layers: schema, size, title, shared data. */
export function frame(data: VegaLiteSpec, layer: VegaLiteSpec[], options: LineChartOptions): VegaLiteSpec {
  const spec: VegaLiteSpec = {
    $schema: VEGA_LITE_SCHEMA,
    width: options.width ?? 360,
    height: options.height ?? 220,
    data,
    layer,
  };
  if (options.title !== undefined) spec.title = options.title;
  return spec;
}
