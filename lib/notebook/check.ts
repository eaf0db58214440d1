import { randomBytes } from 'node:crypto';
import { displayBundle } from '../display/display_bundle';
import { checkBundle } from './check_bundle';
import { GraderCheckOptions, runGraderCheck } from './run_grader_check';

/**
 * Checks your exercise from a notebook cell: runs the grader's public tests on your current
 * `exercises/` file, exactly as `npm run check` does in a terminal (the same command line,
 * run as a child process, in the same sandbox), and shows the result in the notebook: per
 * exercise a table of the tests with points, the feedback and the named known mistake (HTML in
 * JupyterLab and classic Notebook, text elsewhere). Save the exercise file first; no rebuild
 * and no kernel restart are needed.
 * @param exercises `'ex03'` (or `'ex03-infonce-bound'`), a list of them, or nothing for all
 * @param options `root` (project folder), `dir` (exercise folder), `timeoutMs` (default 5 min)
 * @returns resolves when the result is shown (the data is in {@link runGraderCheck})
 * @throws clear errors when node_modules or the grader is missing, on a time-out, or when the
 *   grader fails or prints something other than its JSON result
 * @example await clab.check('ex03');
 * WARNING: it takes 10-30 s (a fresh sandboxed Node process per exercise, plus a type-check).
 */
export async function check(exercises?: string | string[], options: GraderCheckOptions = {}): Promise<void> {
  const ids = exercises === undefined ? [] : Array.isArray(exercises) ? exercises : [exercises];
  const command = `npm run check${ids.length > 0 ? ` -- --only ${ids.map((x) => String(x).slice(0, 4)).join(',')}` : ''}`;
  const displayId = `clab-check-${randomBytes(6).toString('hex')}`;
  const waiting = `Running the public tests of ${ids.length > 0 ? ids.join(', ') : 'every exercise'} in the grader's sandbox (as \`${command}\`)...`;
  const live = displayBundle({ 'text/html': `<p><i>${waiting.replace(/`/g, '')}</i></p>`, 'text/plain': waiting }, { displayId, fallback: 'silent' });
  let bundle;
  try {
    bundle = checkBundle(await runGraderCheck(exercises, options), command);
  } catch (e) {
    if (live) displayBundle({ 'text/plain': 'check: see the error below' }, { displayId, update: true });
    throw e;
  }
  if (live) displayBundle(bundle, { displayId, update: true });
  else displayBundle(bundle);
}
