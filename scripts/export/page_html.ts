// The HTML document around a page's body: styles and scripts inlined, so one file works on its
// own from file:// or any web server, and a Content-Security-Policy that forbids every request
// (images, scripts, styles, fonts, fetches), so even online the page asks no other host for anything.
import fs from 'node:fs';
import path from 'node:path';
import { escapeHtml } from './html_escape';

/** Options for {@link pageHtml}. */
export interface PageHtmlOptions {
  /** Plain-text title for the browser tab. */
  title: string;
  /** The page's main content (HTML). */
  body: string;
  /** Header line (HTML), e.g. a link back to the index. */
  header: string;
  /** Footer line (HTML), e.g. the source notebook. */
  footer: string;
  /** Extra CSS (MathJax's stylesheet). */
  css?: string;
  /** Inline vega and the live-chart script (pages with charts only). */
  charts?: boolean;
}

// No request of any kind; inline styles and scripts only. vega compiles its expressions with
// Function(), hence 'unsafe-eval'. Links are navigation, which default-src does not govern.
const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline' 'unsafe-eval'; font-src data:; base-uri 'none'; form-action 'none'";

const cache = new Map<string, string>();
/** A file from an npm package or from ./assets, read once per process. */
function asset(file: string): string {
  let text = cache.get(file);
  if (text === undefined) {
    text = fs.readFileSync(file, 'utf8');
    cache.set(file, text);
  }
  return text;
}

/** Inline <script> text: a literal `</script` inside would end the element early. */
function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}

/**
 * Wraps a page body in a complete, self-contained HTML document.
 * @example fs.writeFileSync('page.html', pageHtml({title: 'x', body: '<p>hi</p>', header: '', footer: ''}));
 */
export function pageHtml(options: PageHtmlOptions): string {
  const css = [
    asset(path.join(__dirname, 'assets', 'site.css')),
    asset(require.resolve('highlight.js/styles/github.css')),
    options.css ?? '',
  ].join('\n');
  const scripts = options.charts
    ? `<script>${scriptText(asset(require.resolve('vega/build/vega.min.js')))}</script>\n<script>${scriptText(asset(path.join(__dirname, 'assets', 'live_charts.js')))}</script>\n`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="contrastive-lab export (scripts/export)">
<title>${escapeHtml(options.title)}</title>
<style>
${css}
</style>
</head>
<body>
<header class="site-header">${options.header}</header>
<main>
${options.body}
</main>
<footer class="site-footer">${options.footer}</footer>
${scripts}</body>
</html>
`;
}
