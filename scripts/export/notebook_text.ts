/**
 * A multi-line string field of an .ipynb file as one string: nbformat stores these (a cell's
 * source, a stream's text, an output's text/plain) either as a string or as a list of lines.
 * @example notebookText(['a\n', 'b']) // 'a\nb'
 */
export function notebookText(text: unknown): string {
  return Array.isArray(text) ? text.join('') : typeof text === 'string' ? text : '';
}
