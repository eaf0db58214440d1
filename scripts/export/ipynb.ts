// An .ipynb file as the export reads it: the parts of nbformat 4 it uses
// (https://nbformat.readthedocs.io), and its multi-line strings as one string.

/** A Jupyter (nbformat 4) output as stored in an .ipynb file. */
export interface NotebookOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error' | string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** One cell of an .ipynb file. */
export interface NotebookCell {
  cell_type: 'markdown' | 'code' | 'raw' | string;
  id?: string;
  /** nbformat stores multi-line strings as lists of lines. */
  source: string | string[];
  metadata?: { tags?: string[]; format?: string; raw_mimetype?: string; [key: string]: unknown };
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  attachments?: Record<string, Record<string, string>>;
}

/** An .ipynb file as JSON. */
export interface Notebook {
  nbformat: number;
  nbformat_minor?: number;
  metadata: { title?: string; language_info?: { name?: string }; kernelspec?: { language?: string; display_name?: string }; [key: string]: unknown };
  cells: NotebookCell[];
}

/**
 * A multi-line string field of an .ipynb file as one string: nbformat stores these (a cell's
 * source, a stream's text, an output's text/plain) either as a string or as a list of lines.
 * @example notebookText(['a\n', 'b']) // 'a\nb'
 */
export function notebookText(text: unknown): string {
  return Array.isArray(text) ? text.join('') : typeof text === 'string' ? text : '';
}
