// The parts of an nbformat 4 notebook the export reads (https://nbformat.readthedocs.io).
import type { NotebookOutput } from './render_output';

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
