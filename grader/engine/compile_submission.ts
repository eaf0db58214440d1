import { transpile } from '../sandbox/transpile';
import type { FrozenExercise } from './freeze_exercise';
import { forbiddenLibUses } from './forbidden_lib';

/** One exercise file of a submission, compiled for the sandbox, or why it cannot run. */
export type CompiledFile = { js: string } | { problem: string };

/**
 * Compiles each exercise file a submission holds to the JS its sandboxed child runs, in this
 * trusted process (or the grader's freeze worker): a file with syntax errors, or one that uses a
 * library function its exercise asks the student to write, gets the problem instead.
 * @param files the submission's files (`Submission.files`)
 * @param exercises which files to compile, and what each may not use from the library
 * @returns exercise file name -> its JS or its problem; files the submission lacks are absent
 */
export function compileSubmission(files: ReadonlyMap<string, string>, exercises: Array<Pick<FrozenExercise, 'file' | 'forbiddenLib'>>): Map<string, CompiledFile> {
  const out = new Map<string, CompiledFile>();
  for (const ex of exercises) {
    const src = files.get(ex.file);
    if (src === undefined) continue;
    const tr = transpile(src, ex.file);
    if (tr.errors.length > 0) {
      out.set(ex.file, { problem: `${ex.file} does not compile, so none of its tests ran:\n${tr.errors.slice(0, 5).join('\n')}` });
      continue;
    }
    const forbidden = forbiddenLibUses(src, ex.file, ex.forbiddenLib);
    out.set(ex.file, forbidden.length > 0 ? { problem: `${ex.file} uses library functions this exercise asks you to write yourself:\n${forbidden.join('\n')}` } : { js: tr.js });
  }
  return out;
}
