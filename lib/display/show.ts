import type { VegaLiteSpec } from '../plot/vega_lite_spec';
import { chartBundle, ChartBundleOptions } from './chart_bundle';
import { displayBundle } from './display_bundle';

/** Options for {@link show}. */
export type ShowOptions = ChartBundleOptions;

/**
 * Shows a vega-lite chart as ONE output holding the spec (JupyterLab draws it live), the same
 * chart as SVG rendered in Node (nbconvert HTML, GitHub and classic Notebook show that), and a
 * text line. Outside a kernel (mocha, plain node) it prints the text line.
 * @param spec a vega-lite v5 spec with inline data, e.g. from `plot.lineChart`
 * @example await clab.display.show(clab.plot.lineChart([{name: 'loss', x: [1, 2, 3], y: [3, 2, 1.5]}]));
 * WARNING: await it; a chart whose spec is wrong throws (naming the problem) instead of drawing nothing.
 */
export async function show(spec: VegaLiteSpec, options: ShowOptions = {}): Promise<void> {
  displayBundle(await chartBundle(spec, options));
}
