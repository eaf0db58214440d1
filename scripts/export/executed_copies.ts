// Pairs each source notebook with the executed copy the runner wrote, and says whether that
// copy can be published: it must exist, hold the same cells as the source, and have run to the end.
import fs from 'node:fs';
import path from 'node:path';
import { Notebook, notebookText } from './ipynb';

/** Whether an executed copy can be published, and why not. */
export interface ExecutedCopy {
  /** The source notebook (absolute path). */
  source: string;
  /** Where its executed copy is (absolute path), whether or not it exists. */
  executed: string;
  /** ok: publishable; missing: never run; stale: the source changed since; incomplete: it failed or stopped. */
  status: 'ok' | 'missing' | 'stale' | 'incomplete';
  /** Says what is wrong, for the user (empty when ok). */
  reason: string;
  /** Things worth knowing that do not stop the export (the library was rebuilt after the run). */
  warnings: string[];
  /** The executed copy, when it could be read. */
  notebook?: Notebook;
}

/** Options for {@link executedCopies}. */
export interface ExecutedCopiesOptions {
  /** dist/'s build stamp: a copy older than it ran against an older library (a warning). */
  buildStamp?: string;
}

function readNotebook(file: string): Notebook {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
  if (nb === null || typeof nb !== 'object' || !Array.isArray(nb.cells)) throw new Error(`${file} has no cells list`);
  return nb;
}

/** 1-based numbers of the cells whose type or source differ; a cell count change is said too. */
function changedCells(source: Notebook, executed: Notebook): string {
  const changed: number[] = [];
  const n = Math.max(source.cells.length, executed.cells.length);
  for (let i = 0; i < n; i++) {
    const a = source.cells[i];
    const b = executed.cells[i];
    if (a === undefined || b === undefined || a.cell_type !== b.cell_type || notebookText(a.source) !== notebookText(b.source)) changed.push(i + 1);
  }
  if (changed.length === 0) return '';
  const count = source.cells.length === executed.cells.length ? '' : ` (${source.cells.length} cells now, ${executed.cells.length} when it ran)`;
  const list = changed.length > 8 ? `${changed.slice(0, 8).join(', ')}, ...` : changed.join(', ');
  return `cell${changed.length > 1 ? 's' : ''} ${list} changed since it ran${count}`;
}

/** Why the copy did not run to the end, or '' when it did. */
function incompleteness(nb: Notebook): string {
  for (const [i, cell] of nb.cells.entries()) {
    if (cell.cell_type !== 'code') continue;
    for (const out of cell.outputs ?? []) {
      if (out.output_type === 'error') return `cell ${i + 1} raised ${out.ename ?? 'an error'}: ${out.evalue ?? ''}`.trim();
      // tslab reports a thrown error only as a Node stack trace on stderr.
      if (out.output_type === 'stream' && out.name === 'stderr' && /^\s+at evalmachine\.<anonymous>/m.test(notebookText(out.text))) {
        const message = notebookText(out.text).split('\n').find((l) => /^\w*Error\b|^Uncaught/.test(l)) ?? 'an error';
        return `cell ${i + 1} failed: ${message.trim()}`;
      }
    }
    if ((cell.execution_count ?? null) === null && notebookText(cell.source).trim() !== '') return `cell ${i + 1} did not run to the end (it or an earlier cell failed or timed out, or the run was stopped)`;
  }
  return '';
}

/**
 * Finds the executed copy of each source notebook in `fromDir` (same file name) and checks it.
 * @param sources source notebooks (notebooks/*.ipynb)
 * @param fromDir where the runner wrote the executed copies (out/notebooks)
 * @example executedCopies(['notebooks/01-contrastive-learning.ipynb'], 'out/notebooks')[0].status // 'ok'
 */
export function executedCopies(sources: string[], fromDir: string, options: ExecutedCopiesOptions = {}): ExecutedCopy[] {
  const stampTime = options.buildStamp !== undefined && fs.existsSync(options.buildStamp) ? fs.statSync(options.buildStamp).mtimeMs : undefined;
  return sources.map((src) => {
    const source = path.resolve(src);
    const executed = path.resolve(fromDir, path.basename(source));
    const copy: ExecutedCopy = { source, executed, status: 'ok', reason: '', warnings: [] };
    if (!fs.existsSync(executed)) return { ...copy, status: 'missing', reason: `no executed copy at ${executed}` };
    let nb: Notebook;
    let original: Notebook;
    try {
      original = readNotebook(source);
    } catch (e) {
      throw new Error(`executedCopies: cannot read the source notebook ${source}: ${(e as Error).message}`);
    }
    try {
      nb = readNotebook(executed);
    } catch (e) {
      return { ...copy, status: 'incomplete', reason: `the executed copy is not a readable notebook: ${(e as Error).message}` };
    }
    const changed = changedCells(original, nb);
    if (changed !== '') return { ...copy, notebook: nb, status: 'stale', reason: changed };
    const failed = incompleteness(nb);
    if (failed !== '') return { ...copy, notebook: nb, status: 'incomplete', reason: failed };
    if (stampTime !== undefined && fs.statSync(executed).mtimeMs < stampTime) {
      copy.warnings.push('the library (dist/) was rebuilt after this copy ran, so its outputs may be out of date');
    }
    return { ...copy, notebook: nb };
  });
}
