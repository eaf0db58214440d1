// An executed notebook to the body of one page: Markdown cells rendered (math typeset), code
// cells highlighted with their outputs. Cell tags as Jupyter Book reads them: `remove-cell`,
// `remove-input` and `remove-output` leave those parts out of the page.
import path from 'node:path';
import hljs from 'highlight.js';
import { escapeHtml } from './html_escape';
import { markdownRenderer } from './markdown_renderer';
import { Notebook, notebookText } from './ipynb';
import { plainTitle } from './plain_title';
import { OutputTally, renderOutput } from './render_output';
import type { TexTypesetter } from './typeset_tex';

/** Options for {@link renderNotebook}. */
export interface RenderNotebookOptions {
  /** The source notebook (notebooks/x.ipynb): names cells in messages; its folder resolves images. */
  source: string;
  /** This page's typesetter (the page must include its glyphDefs()). */
  tex: TexTypesetter;
  /** The index page's typesetter, for the title and summary this returns for the index. */
  indexTex: TexTypesetter;
}

/** A rendered notebook: the page's parts and what they hold. */
export interface RenderedNotebook {
  /** The title as HTML (math typeset), from metadata.title or the first `# ` heading (for the index). */
  titleHtml: string;
  /** The title as plain text (browser tab, messages). */
  title: string;
  /** The first sentence after the title, as HTML: the index's one line. */
  summaryHtml: string;
  /** The cells, as HTML. */
  body: string;
  /** Charts and images among the outputs, formulas typeset, cells. */
  tally: OutputTally & { formulas: number; cells: number };
  /** Things that would break the page offline (an image from the network, ...). */
  problems: string[];
}

const ABBREVIATION = /(?:\b(?:e\.g|i\.e|et al|cf|vs|Fig|Eq|resp))$/;

/** The first sentence of a paragraph: up to a '.', '!' or '?' that a capital letter follows, or all of it. */
function firstSentence(paragraph: string): string {
  const text = paragraph.replace(/\s+/g, ' ').trim();
  const boundary = /[.!?](?= [A-Z*_"'(])/g;
  for (let m = boundary.exec(text); m !== null; m = boundary.exec(text)) {
    const before = text.slice(0, m.index);
    const inMath = (before.match(/(?<!\\)\$/g) ?? []).length % 2 === 1;
    if (!inMath && !ABBREVIATION.test(before)) return text.slice(0, m.index + 1);
  }
  return text.replace(/:$/, '.');
}

/** Title and first paragraph of the notebook's first Markdown cell. */
function titleAndSummary(nb: Notebook, fallbackTitle: string): { title: string; summary: string } {
  const first = nb.cells.find((c) => c.cell_type === 'markdown');
  const blocks = notebookText(first?.source ?? '').split(/\n\s*\n/).map((b) => b.trim());
  const heading = blocks.findIndex((b) => /^#\s/.test(b));
  const fromHeading = heading >= 0 ? blocks[heading].split('\n')[0].replace(/^#\s+/, '').replace(/\s+#*\s*$/, '') : undefined;
  const title = typeof nb.metadata?.title === 'string' && nb.metadata.title.trim() !== '' ? nb.metadata.title : (fromHeading ?? fallbackTitle);
  const paragraph = blocks.slice(heading + 1).find((b) => b !== '' && !/^(#|[*+-] |\d+[.)] |>|\||```|\$\$|<)/.test(b));
  return { title, summary: paragraph === undefined ? '' : firstSentence(paragraph) };
}

function highlight(code: string, language: string): string {
  if (hljs.getLanguage(language) === undefined) return escapeHtml(code);
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}

/**
 * Renders an executed notebook to HTML (the page body, without the page around it).
 * @param nb the executed notebook's JSON
 * @param options the source path (for messages and images), the page's and the index's TeX typesetters
 * @throws naming the cell when an output cannot be rendered (e.g. a chart spec vega-lite rejects)
 * @example const page = await renderNotebook(JSON.parse(fs.readFileSync('out/notebooks/01-x.ipynb', 'utf8')), {source: 'notebooks/01-x.ipynb', tex: texTypesetter(), indexTex});
 */
export async function renderNotebook(nb: Notebook, options: RenderNotebookOptions): Promise<RenderedNotebook> {
  if (nb === null || typeof nb !== 'object' || !Array.isArray(nb.cells)) {
    throw new Error(`renderNotebook: ${options.source} is not a notebook (no cells list)`);
  }
  if (nb.nbformat !== 4) throw new Error(`renderNotebook: ${options.source} is nbformat ${nb.nbformat}; the export reads nbformat 4 (save it from Jupyter 4+ or run it through the runner)`);
  const dir = path.dirname(path.resolve(options.source));
  let formulas = 0;
  const typeset = (tex: string, display: boolean) => {
    formulas++;
    return options.tex.typeset(tex, display);
  };
  const markdown = markdownRenderer(typeset);
  const tally: OutputTally = { charts: 0, images: 0 };
  const language = nb.metadata?.language_info?.name ?? nb.metadata?.kernelspec?.language ?? 'plaintext';
  const parts: string[] = [];
  for (const [index, cell] of nb.cells.entries()) {
    const where = `${options.source} cell ${index + 1}`;
    const tags = cell.metadata?.tags ?? [];
    if (tags.includes('remove-cell')) continue;
    const source = notebookText(cell.source);
    if (cell.cell_type === 'markdown') {
      parts.push(`<section class="cell markdown">${markdown.render(source, { dir, attachments: cell.attachments, where })}</section>`);
    } else if (cell.cell_type === 'code') {
      const input = tags.includes('remove-input')
        ? ''
        : `<div class="input"><span class="prompt">[${cell.execution_count ?? ' '}]</span><pre><code class="hljs language-${escapeHtml(language)}">${highlight(source, language)}</code></pre></div>`;
      const outputs = [];
      if (!tags.includes('remove-output')) {
        for (const output of cell.outputs ?? []) outputs.push(await renderOutput(output, { markdown, typeset, dir, where, tally }));
      }
      const shown = outputs.filter((o) => o !== '');
      parts.push(`<section class="cell code">${input}${shown.length ? `<div class="outputs">${shown.join('')}</div>` : ''}</section>`);
    } else if (cell.cell_type === 'raw') {
      const format = cell.metadata?.format ?? cell.metadata?.raw_mimetype;
      if (format === 'text/html') parts.push(`<section class="cell raw">${source}</section>`);
    }
  }
  const { title, summary } = titleAndSummary(nb, path.basename(options.source, '.ipynb'));
  // For the index page: its own typesetter (glyphs) and count of formulas.
  const index = markdownRenderer(options.indexTex.typeset);
  const inline = { dir, where: `${options.source} title` };
  return {
    titleHtml: index.renderInline(title, inline),
    title: plainTitle(title),
    summaryHtml: summary === '' ? '' : index.renderInline(summary, inline),
    body: parts.join('\n'),
    tally: { ...tally, formulas, cells: nb.cells.length },
    problems: markdown.problems,
  };
}
