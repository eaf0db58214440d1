import * as os from 'node:os';
import { ENGINE_FLAGS, engineOverrides } from '../command_line/engine_flags';
import type { VerbSpec } from '../command_line/verb_spec';
import { exerciseFileNames } from '../engine/exercise_file_names';
import { PROJECT_ROOT } from '../engine/project_root';
import { precheckSubmission } from '../engine/read_submission';

/** `clab-grade grade <dir|zip>`: its arguments, flags and defaults. */
export const GRADE_VERB: VerbSpec = {
  name: 'grade',
  summary: 'all tests of one submission; reports in --out',
  description: [
    'Grades one submission (a folder or a .zip) with the public and hidden tests, prints the table',
    'and writes results.json (Gradescope), junit.xml and summary.md into --out.',
  ].join('\n'),
  positionals: [{ name: '<dir|zip>', help: 'the submission: a folder or a .zip holding the exercise files', required: true }],
  flags: {
    out: { type: 'string', value: 'DIR', default: 'grader-results', help: 'folder for results.json, junit.xml, summary.md' },
    classroom: { type: 'boolean', help: 'also print result=<base64> for GitHub Classroom (and append it to $GITHUB_OUTPUT)' },
    'exit-zero': { type: 'boolean', help: 'exit 0 even when the score is not full' },
    json: { type: 'boolean', help: 'stdout: one clab-grade/result@1 JSON document; the table goes to stderr' },
    only: ENGINE_FLAGS.only,
    'timeout-ms': ENGINE_FLAGS['timeout-ms'],
    'memory-mb': ENGINE_FLAGS['memory-mb'],
    'no-typecheck': ENGINE_FLAGS['no-typecheck'],
  },
  run: async ({ positionals: [submission], flags }) => {
    // A mistyped path, a broken zip or a refused one fails before the slow start.
    precheckSubmission(submission, exerciseFileNames(PROJECT_ROOT));
    // Loaded on use, so --help and usage errors answer at once (the engine loads tfjs).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { gradeCommand } = require('./grade_command') as typeof import('./grade_command');
    return gradeCommand({
      submission,
      out: flags.out as string,
      classroom: flags.classroom === true,
      exitZero: flags['exit-zero'] === true,
      json: flags.json === true,
      // One submission: its exercises run side by side, one per core.
      grade: { ...engineOverrides(flags), concurrency: os.cpus().length },
    });
  },
};
