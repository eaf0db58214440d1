export { displayBundle, displayable, clearOutput, checkInterrupt, inKernel, setDisplaySink, JUPYTER_DISPLAY, JUPYTER_KERNEL, MimeBundle, Displayable, DisplayMessage, DisplaySink, DisplayBundleOptions } from './display_bundle';
export { chartBundle, describeSpec, ChartBundleOptions, VEGA_LITE_MIME } from './chart_bundle';
export { show, ShowOptions } from './show';
export { progress, Progress, ProgressOptions, ProgressState, ProgressStream } from './progress';
export { table, tableBundle, TableRow, TableOptions } from './table';
export { imageGridPng, GridImages, ImageGridOptions } from './image_grid_png';
export { imageGrid, ShowImageGridOptions } from './image_grid';
export { showMarkdown } from './show_markdown';
export { showHtml } from './show_html';
