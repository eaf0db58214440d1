// Text and pictures put into HTML: escaped text, and an SVG document as a data: URI.

/**
 * Escapes the five characters that matter in HTML text and attribute values.
 * @example escapeHtml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * An SVG document as a `data:` URI for an <img src="..."> attribute, percent-encoding only what
 * must be (`%`, `#` would start a fragment, `"` ends the attribute, `&` would be read as an HTML
 * entity); line breaks become spaces, since URL parsing drops them. About a third smaller than
 * base64 for SVG text.
 * @example svgDataUri('<svg xmlns="http://www.w3.org/2000/svg"/>') // 'data:image/svg+xml,<svg xmlns=%22http://www.w3.org/2000/svg%22/>'
 */
export function svgDataUri(svg: string): string {
  if (typeof svg !== 'string' || !/<svg[\s>]/.test(svg)) throw new Error(`svgDataUri: svg must be an SVG document string, got ${typeof svg === 'string' ? JSON.stringify(svg.slice(0, 40)) : typeof svg}`);
  return `data:image/svg+xml,${svg.replace(/\r?\n|\r/g, ' ').replace(/[%#"&]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
