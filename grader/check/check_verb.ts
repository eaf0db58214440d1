import * as os from 'node:os';
import { ENGINE_FLAGS, engineOverrides } from '../command_line/engine_flags';
import type { VerbSpec } from '../command_line/verb_spec';
import { statSubmission } from '../engine/stat_submission';

/** `clab-grade check [dir]`: its arguments, flags and defaults. */
export const CHECK_VERB: VerbSpec = {
  name: 'check',
  summary: 'public tests of exercises/ (or dir), for students',
  description: [
    'Runs the public tests of your exercise files in the sandbox, as the real grade does, and',
    'prints a table with feedback for each failing test. Hidden tests run only when you are graded.',
  ].join('\n'),
  positionals: [{ name: '[dir]', help: "folder with the exercise files (default: this project's exercises/)", required: false }],
  flags: {
    only: ENGINE_FLAGS.only,
    'timeout-ms': ENGINE_FLAGS['timeout-ms'],
    'memory-mb': ENGINE_FLAGS['memory-mb'],
    'no-typecheck': ENGINE_FLAGS['no-typecheck'],
    classroom: { type: 'boolean', help: 'also print result=<base64> for GitHub Classroom (and append it to $GITHUB_OUTPUT)' },
    json: { type: 'boolean', help: 'stdout: one clab-grade/result@1 JSON document; the table goes to stderr' },
  },
  run: async ({ positionals: [dir], flags }) => {
    if (dir !== undefined) statSubmission(dir); // a mistyped path fails before the slow start
    // Loaded on use, so --help and usage errors answer at once (the engine loads tfjs).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { checkCommand } = require('./check') as typeof import('./check');
    // One submission: its exercises run side by side, one per core.
    return checkCommand({ dir, classroom: flags.classroom === true, json: flags.json === true, grade: { ...engineOverrides(flags), concurrency: os.cpus().length } });
  },
};
