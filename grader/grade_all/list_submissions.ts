import * as fs from 'node:fs';
import * as path from 'node:path';
import { SubmissionError } from '../engine/submission_error';

/** The submissions in `dir`: its folders and .zip files (not hidden ones, not `out`), sorted by code point. */
export function listSubmissions(dir: string, out: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    throw new SubmissionError(`${dir} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the folder that holds the submissions`);
  }
  if (!st.isDirectory()) throw new SubmissionError(`${dir} is not a folder; grade-all takes a folder whose entries (folders or .zip files) are submissions`);
  const outAbs = path.resolve(out);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && path.resolve(dir, e.name) !== outAbs && (e.isDirectory() || (e.isFile() && e.name.toLowerCase().endsWith('.zip'))))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
