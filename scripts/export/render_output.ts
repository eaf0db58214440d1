// One cell output to HTML, choosing the richest mime type the way JupyterLab does: a chart spec
// (drawn live, with its static SVG as the fallback), then HTML, Markdown, LaTeX, SVG, PNG/JPEG/
// GIF, JSON, plain text.
import { ansiToHtml } from './ansi_to_html';
import { chartFigure, VEGA_MIME } from './chart_figure';
import { escapeHtml, svgDataUri } from './html_escape';
import type { MarkdownRenderer } from './markdown_renderer';
import { NotebookOutput, notebookText as joined } from './ipynb';

/** What the page needs to know about the rendered outputs (counted for the site manifest). */
export interface OutputTally {
  /** Charts with a live spec. */
  charts: number;
  /** Outputs shown as images (SVG or raster) without a spec. */
  images: number;
}

/** Everything {@link renderOutput} needs besides the output. */
export interface OutputContext {
  markdown: MarkdownRenderer;
  /** Typesets a text/latex output. */
  typeset: (tex: string, display: boolean) => string;
  /** Folder of the source notebook (for images linked from Markdown outputs). */
  dir: string;
  /** Names the cell in messages, e.g. 'notebooks/03-simclr.ipynb cell 12'. */
  where: string;
  tally: OutputTally;
}

const RASTER = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

function sizeAttributes(meta: unknown): string {
  const m = (meta ?? {}) as { width?: unknown; height?: unknown };
  const attr = (k: 'width' | 'height') => (typeof m[k] === 'number' ? ` ${k}="${m[k]}"` : '');
  return `${attr('width')}${attr('height')}`;
}

/**
 * Renders one output (stream, display_data, execute_result or error) to HTML.
 * @param output the output object from the executed notebook
 * @param ctx the page's renderers, where the output is, and the tally it adds to
 * @returns HTML, '' for an output with nothing to show
 * @example await renderOutput({output_type: 'stream', name: 'stdout', text: 'hi\n'}, ctx) // '<div class="output stream stdout"><pre>hi\n</pre></div>'
 */
export async function renderOutput(output: NotebookOutput, ctx: OutputContext): Promise<string> {
  switch (output.output_type) {
    case 'stream': {
      const text = joined(output.text);
      const name = output.name === 'stderr' ? 'stderr' : 'stdout';
      return `<div class="output stream ${name}"><pre>${ansiToHtml(text)}</pre></div>`;
    }
    case 'error': {
      const trace = (output.traceback ?? []).join('\n') || `${output.ename ?? 'Error'}: ${output.evalue ?? ''}`;
      return `<div class="output error"><pre>${ansiToHtml(trace)}</pre></div>`;
    }
    case 'display_data':
    case 'execute_result':
      return `<div class="output">${await renderBundle(output.data ?? {}, output.metadata ?? {}, ctx)}</div>`;
    default:
      throw new Error(`renderOutput: ${ctx.where} has an output of unknown type ${JSON.stringify(output.output_type)}; nbformat 4 knows stream, display_data, execute_result and error`);
  }
}

async function renderBundle(data: Record<string, unknown>, metadata: Record<string, unknown>, ctx: OutputContext): Promise<string> {
  const text = joined(data['text/plain']);
  const chartMime = Object.keys(data).find((m) => VEGA_MIME.test(m));
  if (chartMime !== undefined) {
    const svg = data['image/svg+xml'] === undefined ? undefined : joined(data['image/svg+xml']);
    try {
      const figure = await chartFigure(chartMime, data[chartMime], { alt: text || 'chart', svg });
      ctx.tally.charts++;
      return figure.html;
    } catch (e) {
      throw new Error(`${ctx.where}: ${(e as Error).message}`);
    }
  }
  if (data['text/html'] !== undefined) return `<div class="output-html">${joined(data['text/html'])}</div>`;
  if (data['text/markdown'] !== undefined) {
    return `<div class="output-markdown">${ctx.markdown.render(joined(data['text/markdown']), { dir: ctx.dir, where: `${ctx.where} (Markdown output)` })}</div>`;
  }
  if (data['text/latex'] !== undefined) {
    const tex = joined(data['text/latex']).trim().replace(/^\$\$?([\s\S]*?)\$\$?$/, '$1');
    return `<div class="output-latex math-block">${ctx.typeset(tex, true)}</div>`;
  }
  if (data['image/svg+xml'] !== undefined) {
    ctx.tally.images++;
    return `<img class="output-image" alt="${escapeHtml(text || 'SVG image')}" src="${svgDataUri(joined(data['image/svg+xml']))}"${sizeAttributes(metadata['image/svg+xml'])}>`;
  }
  const raster = RASTER.find((m) => data[m] !== undefined);
  if (raster !== undefined) {
    ctx.tally.images++;
    const base64 = joined(data[raster]).replace(/\s/g, '');
    return `<img class="output-image" alt="${escapeHtml(text || 'image')}" src="data:${raster};base64,${base64}"${sizeAttributes(metadata[raster])}>`;
  }
  if (data['application/json'] !== undefined) return `<pre class="output-json">${escapeHtml(JSON.stringify(data['application/json'], null, 2))}</pre>`;
  if (data['text/plain'] !== undefined) return `<pre>${ansiToHtml(text)}</pre>`;
  return '';
}
