// clab-grade check: a student's exercise files against the public tests, sandboxed as the real grade.
import * as os from 'node:os';
import * as path from 'node:path';
import { flag, verb } from '../command_line/flags';
import { ENGINE_FLAGS, engineOptions } from '../engine/grade_options';
import { statSubmission } from '../engine/read_submission';
import { EXIT } from '../exit_codes';
import { printClassroomResult, resultJson, terminalTable } from '../report';

/**
 * `clab-grade check [dir]`, for students: the public tests of their exercises/ folder, sandboxed
 * like the real grade, as a table with feedback, and how many hidden tests were not run.
 * Exit 0 when every public test passed, 1 when some failed.
 */
export const CHECK_VERB = verb({
  name: 'check',
  summary: 'public tests of exercises/ (or dir), for students',
  description: [
    'Runs the public tests of your exercise files in the sandbox, as the real grade does, and',
    'prints a table with feedback for each failing test. Hidden tests run only when you are graded.',
  ].join('\n'),
  positionals: [{ name: '[dir]', help: "folder with the exercise files (default: this project's exercises/)", required: false }],
  flags: {
    ...ENGINE_FLAGS,
    classroom: flag.boolean('also print result=<base64> for GitHub Classroom (and append it to $GITHUB_OUTPUT)'),
    json: flag.boolean('stdout: one clab-grade/result@1 JSON document; the table goes to stderr'),
  },
  run: async ({ positionals, flags }, { observe }) => {
    const dir: string | undefined = positionals[0];
    const stats = dir === undefined ? undefined : statSubmission(dir); // a mistyped path fails before the slow start
    // Loaded on use, so --help and usage errors answer at once (the engine loads tfjs).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { openGradingSession } = require('../grading_session') as typeof import('../grading_session');
    // One submission: its exercises run side by side, one per core.
    const options = { ...engineOptions(flags), visibilities: ['public' as const], concurrency: os.cpus().length };
    const session = await openGradingSession({ verb: 'check', options, observe });
    const folder = dir ?? path.join(session.options.projectRoot, 'exercises');
    const r = await session.grade(session.read(folder, stats), folder);
    const human = flags.json ? process.stderr : process.stdout;
    human.write(terminalTable(r, human.isTTY === true) + '\n');
    if (r.hiddenNotRun > 0) human.write(`${r.hiddenNotRun} hidden tests not run (they run when your work is graded).\n`);
    if (flags.classroom) printClassroomResult(r, human);
    if (flags.json) process.stdout.write(JSON.stringify(resultJson(r, 'check'), null, 2) + '\n');
    return r.score === r.maxScore ? EXIT.ok : EXIT.notFullScore;
  },
});
