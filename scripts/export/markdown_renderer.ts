// Markdown cells (and text/markdown outputs) to HTML the way JupyterLab shows them: CommonMark
// with tables and raw HTML, math typeset at export time, headings with JupyterLab's anchor ids
// (so an agenda's `[...](#Key-ingredients)` links work), images inlined so nothing is fetched.
import fs from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { ExtractedMath, extractMath, TypesetFn } from './markdown_math';

/** Where a piece of markdown comes from: images and problems are resolved and named with it. */
export interface MarkdownSource {
  /** Folder that relative image paths are read from (the source notebook's folder). */
  dir: string;
  /** The cell's attachments (`![](attachment:name)`): name -> mime -> base64. */
  attachments?: Record<string, Record<string, string>>;
  /** Names the cell in problem messages, e.g. 'notebooks/01-x.ipynb cell 4'. */
  where: string;
}

/** Renders markdown to HTML; problems (an image that cannot be inlined) go to `problems`. */
export interface MarkdownRenderer {
  render(markdown: string, source: MarkdownSource): string;
  /** One line of markdown without the surrounding <p> (titles, the index's summaries). */
  renderInline(markdown: string, source: MarkdownSource): string;
  readonly problems: string[];
}

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.webp': 'image/webp' };

/**
 * Makes the markdown renderer of one page (heading ids are unique within it). Heading ids are the heading's text with spaces
 * turned into '-', as JupyterLab and nbconvert make them; a second heading with the same text
 * gets '-1', '-2', ... Links to `x.ipynb` point at the exported `x.html`.
 * @param typeset renders a formula (see texTypesetter)
 * @example const r = markdownRenderer(tex.typeset); r.render('# Hi $x$', {dir: 'notebooks', where: 'cell 0'});
 */
export function markdownRenderer(typeset: TypesetFn): MarkdownRenderer {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  const problems: string[] = [];
  let source: MarkdownSource = { dir: '.', where: '' };
  let math: ExtractedMath = extractMath('');
  const ids = new Map<string, number>();

  md.renderer.rules.heading_open = (tokens, idx, options, _env, self) => {
    const text = (tokens[idx + 1].children ?? []).map((t) => (t.type === 'text' || t.type === 'code_inline' ? t.content : '')).join('');
    const base = math.restoreTex(text).trim().replace(/ /g, '-');
    const seen = ids.get(base) ?? 0;
    ids.set(base, seen + 1);
    tokens[idx].attrSet('id', seen === 0 ? base : `${base}-${seen}`);
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.heading_close = (tokens, idx, options, _env, self) => {
    const id = String(tokens[idx - 2]?.attrGet('id') ?? '');
    return `<a class="anchor-link" href="#${md.utils.escapeHtml(id)}" aria-label="link to this section">¶</a>${self.renderToken(tokens, idx, options)}`;
  };
  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const href = String(tokens[idx].attrGet('href') ?? '');
    if (!/^[a-z][a-z0-9+.-]*:/i.test(href) && /\.ipynb(#|$)/.test(href)) tokens[idx].attrSet('href', href.replace(/\.ipynb(?=#|$)/, '.html'));
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.image = (tokens, idx, _options, _env, self) => {
    const token = tokens[idx];
    // The alt text is an attribute: formulas in it stay TeX (a typeset SVG cannot go there).
    const alt = math.restoreTex(self.renderInlineAsText(token.children ?? [], md.options, {}));
    const title = token.attrGet('title');
    const src = inlineImage(String(token.attrGet('src') ?? ''));
    return `<img src="${md.utils.escapeHtml(src)}" alt="${md.utils.escapeHtml(alt)}"${title ? ` title="${md.utils.escapeHtml(math.restoreTex(String(title)))}"` : ''}>`;
  };

  function inlineImage(src: string): string {
    if (src.startsWith('data:')) return src;
    if (src.startsWith('attachment:')) {
      const name = decodeURIComponent(src.slice('attachment:'.length));
      const bundle = source.attachments?.[name];
      const mime = bundle && Object.keys(bundle)[0];
      if (mime) return `data:${mime};base64,${bundle[mime]}`;
      problems.push(`${source.where}: image ${src} is not among the cell's attachments (${Object.keys(source.attachments ?? {}).join(', ') || 'none'})`);
      return src;
    }
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)) {
      problems.push(`${source.where}: image ${src} would be fetched from the network; save it in the repository and link it by a relative path`);
      return src;
    }
    const file = path.resolve(source.dir, decodeURIComponent(src.split(/[?#]/)[0]));
    const mime = IMAGE_TYPES[path.extname(file).toLowerCase()];
    if (mime === undefined || !fs.existsSync(file)) {
      problems.push(`${source.where}: image ${src} (${file}) ${mime === undefined ? 'is not a png, jpeg, gif, svg or webp file' : 'does not exist'}`);
      return src;
    }
    return `data:${mime};base64,${fs.readFileSync(file).toString('base64')}`;
  }

  return {
    problems,
    render(markdown: string, from: MarkdownSource): string {
      if (typeof markdown !== 'string') throw new Error(`markdownRenderer.render: markdown must be a string, got ${typeof markdown} (${from.where})`);
      source = from;
      math = extractMath(markdown);
      return math.restore(md.render(math.text), typeset);
    },
    renderInline(markdown: string, from: MarkdownSource): string {
      source = from;
      math = extractMath(markdown);
      return math.restore(md.renderInline(math.text), typeset);
    },
  };
}
