export { VegaLiteSpec, VEGA_LITE_SCHEMA } from './vega_lite_spec';
export { renderSvg, RenderSvgOptions } from './render_svg';
export { lineChart, LineSeries, LineChartOptions, RuleLine } from './line_chart';
export { bandChart, BandSeries } from './band_chart';
export { scatter, ScatterData, ScatterOptions } from './scatter';
export { heatmap, HeatmapOptions } from './heatmap';
export { anchorDiagram, AnchorPoint, AnchorDiagramOptions } from './anchor_diagram';
