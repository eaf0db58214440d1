import { finiteNumbers } from './arguments';
import { VEGA_LITE_SCHEMA, VegaLiteSpec } from './vega_lite_spec';

/** Points to draw: `(x[i], y[i])`, optionally coloured by `color[i]` (a class) and labelled. */
export interface ScatterData {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Class of each point (digit label, 'anchor'/'negative', ...): one colour per distinct value. */
  color?: ArrayLike<number | string>;
  /** Text drawn beside each point ('' for none). */
  text?: ArrayLike<string>;
}

/** Options for {@link scatter}. */
export interface ScatterOptions {
  /** Chart title. Default none. */
  title?: string;
  /** x axis title. Default 'x'. */
  xTitle?: string;
  /** y axis title. Default 'y'. */
  yTitle?: string;
  /** Legend title for the colour classes. Default 'class'. */
  colorTitle?: string;
  /** Point area in square pixels. Default 30. */
  size?: number;
  /** Point opacity in [0, 1]. Default 0.75. */
  opacity?: number;
  /** Same scale on both axes (embeddings: distances look right). Default false. */
  equalAxes?: boolean;
  /** Plot width in pixels. Default 320. */
  width?: number;
  /** Plot height in pixels. Default 320. */
  height?: number;
}

/**
 * Builds a scatter plot (vega-lite spec), coloured by class, e.g. a 2-D embedding of MNIST
 * digits coloured by digit.
 * @param data x and y of equal length; color and text, when given, of the same length
 * @example display.show(plot.scatter({x: e.map((p) => p[0]), y: e.map((p) => p[1]), color: labels}, {colorTitle: 'digit'}))
 */
export function scatter(data: ScatterData, options: ScatterOptions = {}): VegaLiteSpec {
  if (data === null || typeof data !== 'object') {
    throw new Error(`scatter: data must be an object {x, y, color?, text?}, got ${String(data)}`);
  }
  const x = finiteNumbers('scatter', 'data.x', data.x);
  const y = finiteNumbers('scatter', 'data.y', data.y);
  if (x.length !== y.length) throw new Error(`scatter: data.x has ${x.length} values but data.y has ${y.length}`);
  for (const key of ['color', 'text'] as const) {
    const v = data[key];
    if (v !== undefined && v.length !== x.length) {
      throw new Error(`scatter: data.${key} has ${v.length} values but data.x has ${x.length}`);
    }
  }
  const opacity = options.opacity ?? 0.75;
  if (!(opacity >= 0 && opacity <= 1)) throw new Error(`scatter: opacity must be in [0, 1], got ${opacity}`);
  const values = x.map((xv, i) => ({
    x: xv,
    y: y[i],
    class: data.color !== undefined ? String(data.color[i]) : '',
    text: data.text !== undefined ? String(data.text[i]) : '',
  }));
  let xScale: VegaLiteSpec = { zero: false };
  let yScale: VegaLiteSpec = { zero: false };
  if (options.equalAxes === true && x.length > 0) {
    const lo = Math.min(...x, ...y);
    const hi = Math.max(...x, ...y);
    const pad = (hi - lo) * 0.05 || 1;
    xScale = yScale = { domain: [lo - pad, hi + pad], nice: false };
  }
  const enc: VegaLiteSpec = {
    x: { field: 'x', type: 'quantitative', title: options.xTitle ?? 'x', scale: xScale },
    y: { field: 'y', type: 'quantitative', title: options.yTitle ?? 'y', scale: yScale },
  };
  const point: VegaLiteSpec = {
    mark: { type: 'point', filled: true, size: options.size ?? 30, opacity },
    encoding: {
      ...enc,
      ...(data.color !== undefined
        ? { color: { field: 'class', type: 'nominal', title: options.colorTitle ?? 'class', scale: { scheme: 'category10' }, legend: { labelLimit: 400 } } }
        : {}),
      tooltip: [{ field: 'x', type: 'quantitative' }, { field: 'y', type: 'quantitative' }],
    },
  };
  const layer: VegaLiteSpec[] = [point];
  if (data.text !== undefined) {
    layer.push({ mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 11 }, encoding: { ...enc, text: { field: 'text' } } });
  }
  const spec: VegaLiteSpec = {
    $schema: VEGA_LITE_SCHEMA,
    width: options.width ?? 320,
    height: options.height ?? 320,
    data: { values },
    layer,
  };
  if (options.title !== undefined) spec.title = options.title;
  return spec;
}
