import { displayBundle } from './display_bundle';

/**
 * Shows an HTML fragment (or an inline SVG diagram) with a text/plain fallback.
 * @param html the fragment; it is not sanitised, so never pass untrusted text
 * @param text what terminals print. Default: the HTML with tags stripped.
 * @example clab.display.showHtml('<svg width="20" height="20"><circle cx="10" cy="10" r="8"/></svg>', 'a dot')
 */
export function showHtml(html: string, text?: string): void {
  if (typeof html !== 'string') throw new Error(`showHtml: html must be a string, got ${typeof html}`);
  const plain = text ?? html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  displayBundle({ 'text/html': html, 'text/plain': plain });
}
