// `npm run export`: the executed notebooks (out/notebooks/, written by the runner) as a static
// site that works offline: an index page and one self-contained page per notebook.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { escapeHtml } from './html_escape';
import { executedCopies, ExecutedCopy } from './executed_copies';
import { indexPage } from './index_page';
import { pageHtml } from './page_html';
import { renderNotebook, RenderedNotebook } from './render_notebook';
import { texTypesetter } from './typeset_tex';
import { SITE_FORMAT, SITE_MANIFEST, writeSiteAtomic } from './write_site_atomic';

/** The project root (scripts/export/ is two levels down). */
export const ROOT = path.resolve(__dirname, '..', '..');

/** Options for {@link exportSite}; every path may be relative to the current directory. */
export interface ExportSiteOptions {
  /** Source notebooks to publish. Default: every notebooks/*.ipynb. */
  notebooks?: string[];
  /** Where the runner wrote the executed copies. Default out/notebooks. */
  from?: string;
  /** The site folder to (re)write. Default out/site. */
  out?: string;
  /** Run the notebooks whose executed copy is missing, stale or incomplete first (through the runner). */
  execute?: boolean;
  /** Progress lines. Default: console.log. */
  log?: (line: string) => void;
}

/** One page of the site, as listed in site.json. */
export interface SitePage {
  /** File name in the site folder, e.g. 01-contrastive-learning.html. */
  file: string;
  /** The source notebook, relative to the project root. */
  source: string;
  title: string;
  cells: number;
  /** Live charts (each with a static SVG fallback). */
  charts: number;
  /** Outputs shown as pictures (PNG, or SVG without a spec). */
  images: number;
  /** Formulas typeset into the page. */
  formulas: number;
  bytes: number;
}

/** What {@link exportSite} wrote (also saved as the site's site.json). */
export interface SiteManifest {
  format: typeof SITE_FORMAT;
  title: string;
  /** The index page: file name and the formulas typeset in it (the summaries' math). */
  index: { file: 'index.html'; formulas: number; bytes: number };
  pages: SitePage[];
}

/** The export cannot go on; the message says what is wrong and the command that fixes it. */
export class ExportError extends Error {}

function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
}

function versionOf(pkg: string): string {
  return (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
}

/** The message for notebooks that cannot be published yet, with the commands that fix it. */
function notReady(bad: ExecutedCopy[], from: string): string {
  const lines = bad.map((c) => `  ${rel(c.source)}: ${c.status} - ${c.reason}`);
  const files = bad.map((c) => rel(c.source)).join(' ');
  const outDir = path.resolve(from) === path.join(ROOT, 'out', 'notebooks') ? '' : ` --out-dir=${rel(from)}`;
  return [
    `${bad.length} notebook(s) have no publishable executed copy in ${rel(from)}:`,
    ...lines,
    `Run them, then export again:  npm run notebooks --${outDir} ${files}`,
    `or let the export run them:   npm run export -- --execute`,
  ].join('\n');
}

function runNotebooks(files: string[], from: string, log: (line: string) => void): void {
  log(`[export] running ${files.length} notebook(s) first: ${files.map(rel).join(' ')}`);
  const res = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run_notebooks.mjs'), `--out-dir=${path.resolve(from)}`, ...files], { stdio: 'inherit' });
  if (res.status !== 0) throw new ExportError(`the notebook runner failed (exit ${res.status ?? res.signal}); see its output above`);
}

function navLink(page: SitePage | undefined, arrow: 'prev' | 'next'): string {
  if (page === undefined) return '';
  const label = escapeHtml(page.title);
  return arrow === 'prev' ? `<a rel="prev" href="${page.file}">← ${label}</a>` : `<a rel="next" href="${page.file}">${label} →</a>`;
}

/**
 * Exports the executed notebooks as a static site: `index.html`, one `<name>.html` per notebook
 * (charts drawn live by an inlined vega, with the static SVG as fallback; math typeset to SVG
 * at export time; no request to any host), and `site.json` describing them. The site folder is
 * replaced at once; on any error the previous site stays.
 * @throws ExportError when a notebook has no publishable executed copy (missing, stale, failed),
 *   a formula does not typeset, or an image would come from the network; the message lists
 *   them all and the command that fixes it
 * @example const site = await exportSite({out: 'out/site'}); console.log(site.pages.length);
 */
export async function exportSite(options: ExportSiteOptions = {}): Promise<SiteManifest> {
  const log = options.log ?? ((line: string) => console.log(line));
  const from = path.resolve(options.from ?? path.join(ROOT, 'out', 'notebooks'));
  const out = path.resolve(options.out ?? path.join(ROOT, 'out', 'site'));
  let sources = options.notebooks;
  if (sources === undefined) {
    const dir = path.join(ROOT, 'notebooks');
    sources = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f));
  }
  if (sources.length === 0) throw new ExportError('no notebooks to export (notebooks/ holds no .ipynb files)');
  for (const s of sources) {
    if (!s.endsWith('.ipynb') || !fs.existsSync(s)) throw new ExportError(`${s} is not a notebook file (expected an existing .ipynb, e.g. notebooks/01-contrastive-learning.ipynb)`);
  }
  const names = sources.map((s) => path.basename(s));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new ExportError(`two notebooks are named ${dup}; their pages would have the same name`);

  const buildStamp = path.join(ROOT, 'dist', '.clab-build-stamp');
  let copies = executedCopies(sources, from, { buildStamp });
  let bad = copies.filter((c) => c.status !== 'ok');
  if (bad.length > 0 && options.execute) {
    runNotebooks(bad.map((c) => c.source), from, log);
    copies = executedCopies(sources, from, { buildStamp });
    bad = copies.filter((c) => c.status !== 'ok');
  }
  if (bad.length > 0) throw new ExportError(notReady(bad, from));
  for (const c of copies) for (const w of c.warnings) log(`[export] warning: ${rel(c.source)}: ${w}`);

  const indexTex = texTypesetter();
  const rendered: { copy: ExecutedCopy; page: RenderedNotebook; file: string; glyphs: string }[] = [];
  const problems: string[] = [];
  for (const copy of copies) {
    const source = path.relative(ROOT, copy.source).startsWith('..') ? copy.source : path.relative(ROOT, copy.source);
    const tex = texTypesetter();
    const indexErrors = indexTex.errors.length;
    const page = await renderNotebook(copy.notebook!, { source, tex, indexTex });
    problems.push(...page.problems);
    for (const e of [...tex.errors, ...indexTex.errors.slice(indexErrors)]) problems.push(`${source}: formula $${e.tex}$ does not typeset: ${e.message}`);
    rendered.push({ copy, page, file: `${path.basename(copy.source, '.ipynb')}.html`, glyphs: tex.glyphDefs() });
  }
  if (problems.length > 0) {
    throw new ExportError(`the site was not written; fix these in the notebooks and run them again:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }

  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; description?: string };
  const css = indexTex.styles();
  const pages: SitePage[] = rendered.map(({ copy, page, file }) => ({
    file,
    source: path.relative(ROOT, copy.source),
    title: page.title,
    cells: page.tally.cells,
    charts: page.tally.charts,
    images: page.tally.images,
    formulas: page.tally.formulas,
    bytes: 0,
  }));
  const tools = `charts: vega ${versionOf('vega')} (live) over a static SVG; math: MathJax ${versionOf('mathjax-full')} (typeset when exported)`;
  const files: Record<string, string> = {};
  rendered.forEach(({ page, file, glyphs }, i) => {
    const nav = [navLink(pages[i - 1], 'prev'), navLink(pages[i + 1], 'next')].filter(Boolean).join(' · ');
    files[file] = pageHtml({
      title: `${page.title} - ${pkg.name}`,
      header: `<a href="index.html">${escapeHtml(pkg.name)}</a> › ${escapeHtml(page.title)}`,
      body: `${glyphs}\n${page.body}`,
      footer: `${nav ? `<p>${nav}</p>` : ''}<p>Source: <code>${escapeHtml(pages[i].source)}</code>, executed with the project's TypeScript kernel (kernel/). ${escapeHtml(tools)}.</p>`,
      css,
      charts: page.tally.charts > 0,
    });
    pages[i].bytes = Buffer.byteLength(files[file]);
  });

  const indexFormulas = rendered.reduce((n, { page }) => n + (`${page.titleHtml}${page.summaryHtml}`.match(/<mjx-container/g)?.length ?? 0), 0);
  files['index.html'] = indexPage({
    name: pkg.name,
    description: pkg.description,
    entries: rendered.map(({ page }, i) => ({ ...pages[i], titleHtml: page.titleHtml, summaryHtml: page.summaryHtml })),
    glyphs: indexTex.glyphDefs(),
    css,
    tools,
  });
  const manifest: SiteManifest = {
    format: SITE_FORMAT,
    title: pkg.name,
    index: { file: 'index.html', formulas: indexFormulas, bytes: Buffer.byteLength(files['index.html']) },
    pages,
  };
  files[SITE_MANIFEST] = `${JSON.stringify(manifest, null, 2)}\n`;
  writeSiteAtomic(out, files);
  return manifest;
}
