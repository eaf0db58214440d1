// The site's index.html: the course title, then per notebook its title (a link), its first
// sentence and what it holds.
import { escapeHtml } from './html_escape';
import { pageHtml } from './page_html';

/** One notebook as the index lists it. */
export interface IndexEntry {
  file: string;
  /** Title and summary as HTML (formulas typeset with the index's typesetter). */
  titleHtml: string;
  summaryHtml: string;
  cells: number;
  charts: number;
  images: number;
  formulas: number;
}

/** Options for {@link indexPage}. */
export interface IndexPageOptions {
  /** The course name (package.json's name) and its one-line description. */
  name: string;
  description?: string;
  entries: IndexEntry[];
  /** The index typesetter's glyphs and stylesheet. */
  glyphs: string;
  css: string;
  /** A sentence on how charts and math are drawn (versions), for the footer. */
  tools: string;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * Builds index.html.
 * @example indexPage({name: 'contrastive-lab', entries, glyphs: tex.glyphDefs(), css: tex.styles(), tools: '...'})
 */
export function indexPage(options: IndexPageOptions): string {
  const items = options.entries.map((e) => {
    const facts = [count(e.cells, 'cell'), count(e.charts, 'chart'), e.images ? count(e.images, 'image') : '', count(e.formulas, 'formula')].filter(Boolean).join(' · ');
    const summary = e.summaryHtml ? `<p class="summary">${e.summaryHtml}</p>` : '';
    return `<li><a class="title" href="${escapeHtml(e.file)}">${e.titleHtml}</a>${summary}<p class="facts">${facts}</p></li>`;
  });
  const description = options.description ? `<p>${escapeHtml(options.description)}</p>\n` : '';
  return pageHtml({
    title: options.name,
    header: escapeHtml(options.name),
    body: `${options.glyphs}\n<h1>${escapeHtml(options.name)}</h1>\n${description}<ol class="index-list">\n${items.join('\n')}\n</ol>`,
    footer: `<p>Exported from the executed notebooks. Every page works offline, from a folder or any web server: ${escapeHtml(options.tools)}.</p>`,
    css: options.css,
  });
}
