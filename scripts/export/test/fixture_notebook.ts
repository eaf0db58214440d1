// A small notebook for the export's tests, with outputs made by the real library (the same
// bundles display.show, table and imageGrid send from a kernel), so no kernel has to run.
import fs from 'node:fs';
import path from 'node:path';
import { chartBundle } from '../../../lib/display/chart_bundle';
import { imageGridPng } from '../../../lib/display/image_grid_png';
import { tableBundle } from '../../../lib/display/table';
import { heatmap } from '../../../lib/plot/heatmap';
import { lineChart } from '../../../lib/plot/line_chart';
import type { Notebook, NotebookCell, NotebookOutput } from '../ipynb';

const md = (source: string): NotebookCell => ({ cell_type: 'markdown', metadata: {}, source });
const code = (source: string, outputs: NotebookOutput[]): NotebookCell => ({ cell_type: 'code', metadata: {}, source, execution_count: null, outputs });
const display = (data: Record<string, unknown>): NotebookOutput => ({ output_type: 'display_data', data, metadata: {} });

/** Formulas in the fixture's page: title 1, first paragraph 1, math cell 4, Markdown output 1. */
export const FIXTURE_FORMULAS = 1 + 1 + 4 + 1;
/** Charts in the fixture: a line chart and a heatmap. */
export const FIXTURE_CHARTS = 2;

/**
 * Writes `<dir>/notebooks/fixture.ipynb` (clean, as committed) and `<dir>/executed/fixture.ipynb`
 * (as the runner writes it); returns both paths.
 */
export async function writeFixtureNotebook(dir: string): Promise<{ source: string; executed: string }> {
  const cells: NotebookCell[] = [
    md('# Fixture · $I(x;y) \\ge \\log N - \\mathcal{L}$\n\nA page made from library outputs, with $x_1$. A second sentence.'),
    md(
      '## Math\n\n[Back here](#Math). Inline $a_1 * b_2$ and a display formula\n\n$$\\sum_{i=1}^N x_i$$\n\n' +
        '\\begin{aligned} a &= b \\\\\n c &= d \\end{aligned}\n\na multi-line one whose second line reads like a list item\n' +
        '$p = 1\n - q$, a literal \\$5 and `$code$`.',
    ),
    code('console.log("hello");', [{ output_type: 'stream', name: 'stdout', text: ['hello\n'] }]),
    code('await clab.display.show(clab.plot.lineChart(...));', [display(await chartBundle(lineChart([{ name: 'loss', x: [1, 2, 3], y: [3, 2, 1.5] }], { title: 'loss' })))]),
    code('await clab.display.show(clab.plot.heatmap(...));', [display(await chartBundle(heatmap([[1, 0.5], [0.5, 1]], { rowLabels: ['view 1 #1', 'view 2 #1'], colLabels: ['view 1 #1', 'view 2 #1'], domain: [-1, 1], scheme: 'redblue' })))]),
    code('clab.display.table(...);', [display(tableBundle([{ N: 16, 'log N': Math.log(16) }], { title: 'one row' }))]),
    code('clab.display.imageGrid(...);', [display({ 'image/png': imageGridPng([[[0, 1], [1, 0]]]).toString('base64'), 'text/plain': 'image grid: 1 images 2x2' })]),
    code('clab.display.showMarkdown(...);', [display({ 'text/markdown': 'computed: $\\log 4 = 1.386$', 'text/plain': 'computed: $\\log 4 = 1.386$' })]),
  ];
  const executed: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: { language_info: { name: 'typescript' } }, cells: cells.map((c, i) => (c.cell_type === 'code' ? { ...c, execution_count: i } : c)) };
  const clean: Notebook = { ...executed, cells: cells.map((c) => (c.cell_type === 'code' ? { ...c, outputs: [], execution_count: null } : c)) };
  const source = path.join(dir, 'notebooks', 'fixture.ipynb');
  const copy = path.join(dir, 'executed', 'fixture.ipynb');
  fs.mkdirSync(path.dirname(source), { recursive: true });
  fs.mkdirSync(path.dirname(copy), { recursive: true });
  fs.writeFileSync(source, JSON.stringify(clean, null, 1));
  fs.writeFileSync(copy, JSON.stringify(executed, null, 1));
  return { source, executed: copy };
}
