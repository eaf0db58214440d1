import { finiteNumbers } from './arguments';
import { VEGA_LITE_SCHEMA, VegaLiteSpec } from './vega_lite_spec';

/** Options for {@link heatmap}. */
export interface HeatmapOptions {
  /** Chart title. Default none. */
  title?: string;
  /** Row labels, top to bottom. Default '0', '1', ... */
  rowLabels?: string[];
  /** Column labels, left to right. Default '0', '1', ... */
  colLabels?: string[];
  /** y axis title (rows). Default 'row'. */
  rowTitle?: string;
  /** x axis title (columns). Default 'column'. */
  colTitle?: string;
  /** Colour-scale domain. Default [min, max] of the matrix; use [-1, 1] for cosine similarity. */
  domain?: [number, number];
  /** vega colour scheme. Default 'blues'; 'redblue' suits a symmetric domain. */
  scheme?: string;
  /** Print each value in its cell. Default: when the matrix has at most 144 cells. */
  showValues?: boolean;
  /** d3 number format for the printed values. Default '.2f'. */
  format?: string;
  /** Cell side in pixels. Default 28. */
  cellSize?: number;
  /** Legend title. Default 'value'. */
  valueTitle?: string;
}

/**
 * Builds a heatmap of a matrix (vega-lite spec), e.g. a [2N, 2N] similarity matrix with the
 * positives on an off-diagonal.
 * @param matrix rows of equal length (`tensor.arraySync()` of a 2-D tensor)
 * @example display.show(plot.heatmap(sim.arraySync() as number[][], {domain: [-1, 1], scheme: 'redblue'}))
 */
export function heatmap(matrix: ArrayLike<number>[], options: HeatmapOptions = {}): VegaLiteSpec {
  if (!Array.isArray(matrix) || matrix.length === 0) {
    throw new Error(`heatmap: matrix must be a non-empty array of rows (e.g. tensor2d.arraySync()), got ${String(matrix)}`);
  }
  const rows = matrix.map((r, i) => finiteNumbers('heatmap', `matrix[${i}]`, r));
  const cols = rows[0].length;
  const ragged = rows.findIndex((r) => r.length !== cols);
  if (ragged >= 0) throw new Error(`heatmap: matrix[${ragged}] has ${rows[ragged].length} values but matrix[0] has ${cols}`);
  const rowLabels = labels('rowLabels', options.rowLabels, rows.length);
  const colLabels = labels('colLabels', options.colLabels, cols);
  if (options.domain !== undefined && !(options.domain[0] < options.domain[1])) {
    throw new Error(`heatmap: domain must be [lo, hi] with lo < hi, got [${options.domain.join(', ')}]`);
  }
  const values = rows.flatMap((r, i) => r.map((v, j) => ({ row: rowLabels[i], col: colLabels[j], value: v })));
  const flat = values.map((v) => v.value);
  const domain = options.domain ?? [Math.min(...flat), Math.max(...flat)];
  const cell = options.cellSize ?? 28;
  const showValues = options.showValues ?? values.length <= 144;
  const font = labelFontSize(cell);
  const x = { field: 'col', type: 'ordinal', sort: colLabels, title: options.colTitle ?? 'column', axis: columnAxis(colLabels, cell, font) };
  const y = { field: 'row', type: 'ordinal', sort: rowLabels, title: options.rowTitle ?? 'row', axis: { labelFontSize: font } };
  const layer: VegaLiteSpec[] = [
    {
      mark: 'rect',
      encoding: {
        x,
        y,
        color: {
          field: 'value',
          type: 'quantitative',
          title: options.valueTitle ?? 'value',
          scale: { scheme: options.scheme ?? 'blues', domain },
        },
        tooltip: [{ field: 'row' }, { field: 'col' }, { field: 'value', type: 'quantitative', format: '.4f' }],
      },
    },
  ];
  if (showValues) {
    const mid = (domain[0] + domain[1]) / 2;
    const farFromMid = (domain[1] - domain[0]) / 4;
    layer.push({
      mark: { type: 'text', fontSize: Math.max(7, Math.min(11, cell / 3)) },
      encoding: {
        x,
        y,
        text: { field: 'value', type: 'quantitative', format: options.format ?? '.2f' },
        // White text on dark cells (either end of a diverging scheme, the top of a sequential one).
        color: {
          condition: {
            test: options.scheme === 'redblue' || options.scheme === 'blueorange'
              ? `abs(datum.value - ${mid}) > ${farFromMid}`
              : `datum.value > ${mid + farFromMid / 2}`,
            value: 'white',
          },
          value: 'black',
        },
      },
    });
  }
  const spec: VegaLiteSpec = {
    $schema: VEGA_LITE_SCHEMA,
    width: cell * cols,
    height: cell * rows.length,
    data: { values },
    layer,
  };
  if (options.title !== undefined) spec.title = options.title;
  return spec;
}

/** Axis label font size: vega's default 10 px, smaller when a cell is too short for it. */
function labelFontSize(cell: number): number {
  return Math.min(10, Math.max(6, cell - 2));
}

/**
 * The column axis: labels stay horizontal when the widest one fits in a cell, else they turn
 * vertical (one label per cell width, never overlapping). Widths use vega's own estimate for
 * text it cannot measure (0.8 x characters x font size), which is what the SVG rendered in Node
 * is laid out with; real fonts are narrower, so a label that passes fits in the browser too.
 */
function columnAxis(colLabels: string[], cell: number, font: number): VegaLiteSpec {
  const widest = Math.max(...colLabels.map((l) => l.length)) * 0.8 * font;
  if (widest <= cell) return { labelAngle: 0, labelFontSize: font };
  return { labelAngle: -90, labelAlign: 'right', labelBaseline: 'middle', labelFontSize: font };
}

function labels(name: string, given: string[] | undefined, n: number): string[] {
  if (given === undefined) return Array.from({ length: n }, (_, i) => String(i));
  if (given.length !== n) throw new Error(`heatmap: ${name} has ${given.length} labels but the matrix has ${n}`);
  if (new Set(given).size !== n) throw new Error(`heatmap: ${name} must be unique (they name the cells), got [${given.join(', ')}]`);
  return given.map(String);
}
