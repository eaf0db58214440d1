import * as fs from 'node:fs';
import { SubmissionError } from './submission_error';

/**
 * The lstat of a submission path, or a {@link SubmissionError} that says why it cannot be read
 * (missing, permission denied, ...). Verbs call it before the slow start (freezing the specs),
 * so a mistyped path fails at once.
 * @param source a submission folder or .zip, as the user gave it
 */
export function statSubmission(source: string): fs.Stats {
  try {
    return fs.lstatSync(source);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? (e as Error).message})`;
    throw new SubmissionError(`${source} ${why}; give a submission folder or .zip`);
  }
}
