// clab-grade grade: one submission against every test; the table and the reports.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { flag, verb } from '../command_line/flags';
import { checkCourseFiles, readReleaseManifest } from '../engine/course_files';
import { ENGINE_FLAGS, engineOptions } from '../engine/grade_options';
import { exerciseFileNames } from '../engine/exercise_file_names';
import { DEFAULT_SECRET_FILE, findSecret, SECRET_ENV, writeNewSecretFile } from '../engine/instructor_secret';
import { PROJECT_ROOT } from '../engine/project_root';
import { precheckSubmission, statSubmission } from '../engine/read_submission';
import { EXIT } from '../exit_codes';
import { markdownSummary, printClassroomResult, resultJson, terminalTable, writeReports } from '../report';

/** Where `grade` keeps the secret it made for one run, in --out. */
export const ONE_RUN_SECRET = 'grade-secret.txt';

/**
 * `clab-grade grade <dir|zip>`: every test of one submission, the table, and the reports in
 * --out. Exit 0 when every test passed (or --exit-zero), 1 when some failed.
 */
export const GRADE_VERB = verb({
  name: 'grade',
  summary: 'all tests of one submission; reports in --out',
  description: [
    'Grades one submission (a folder or a .zip) with the public and hidden tests, prints the table',
    'and writes results.json (Gradescope), junit.xml and summary.md into --out.',
    'Every input is drawn fresh for this submission from the instructor secret (--secret FILE,',
    `$${SECRET_ENV}, or ${DEFAULT_SECRET_FILE} in the course repository) and the submission's files:`,
    'the same submission and secret get the same inputs and grade. Without a secret, grade makes',
    `one for this run and keeps it in --out as ${ONE_RUN_SECRET} (regrade or replay with --secret).`,
  ].join('\n'),
  positionals: [{ name: '<dir|zip>', help: 'the submission: a folder or a .zip holding the exercise files', required: true }],
  flags: {
    out: flag.string('DIR', 'folder for results.json, junit.xml, summary.md', 'grader-results'),
    classroom: flag.boolean('also print result=<base64> for GitHub Classroom (and append it to $GITHUB_OUTPUT)'),
    'exit-zero': flag.boolean('exit 0 even when the score is not full'),
    json: flag.boolean('stdout: one clab-grade/result@1 JSON document; the table goes to stderr'),
    manifest: flag.string('FILE', 'the release manifest release wrote beside the release: say whether the submission (a whole student repository) changed its course files'),
    secret: flag.string('FILE', `the instructor secret the inputs are derived from (default: $${SECRET_ENV}, else ${DEFAULT_SECRET_FILE} in the course repository, else one made for this run)`),
    ...ENGINE_FLAGS,
  },
  run: async ({ positionals: [submission], flags }, { observe }) => {
    const stats = statSubmission(submission);
    // A mistyped path or manifest, a broken zip or a refused one fails before the slow start.
    const manifest = flags.manifest === undefined ? undefined : { file: flags.manifest, m: readReleaseManifest(flags.manifest) };
    precheckSubmission(submission, exerciseFileNames(PROJECT_ROOT), stats);
    const human = flags.json ? process.stderr : process.stdout;
    let { secret, looked } = findSecret(flags.secret, PROJECT_ROOT);
    if (secret === null) {
      const file = path.join(flags.out, ONE_RUN_SECRET);
      secret = writeNewSecretFile(file, true);
      human.write(
        `inputs: no instructor secret (looked at ${looked.join(', ')}); made one for this run: ${file} (fingerprint ${secret.fingerprint}). ` +
          `Regrade or replay this submission on the same inputs with --secret ${file}; to grade a class, make one secret and keep it (clab-grade secret).\n`,
      );
    }
    // Loaded on use, so --help and usage errors answer at once (the engine loads tfjs).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { openGradingSession } = require('../grading_session') as typeof import('../grading_session');
    // One submission: its exercises run side by side, one per core.
    const session = await openGradingSession({ verb: 'grade', options: { ...engineOptions(flags), concurrency: os.cpus().length }, observe, secret });
    const r = await session.grade(session.read(submission, stats), submission);
    if (manifest) r.courseFiles = checkCourseFiles(submission, manifest.m, manifest.file);
    human.write(terminalTable(r, human.isTTY === true) + '\n');
    writeReports(r, flags.out);
    human.write(`reports: ${path.join(flags.out, 'results.json')}, junit.xml, summary.md\n`);
    if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdownSummary(r) + '\n');
    if (flags.classroom) printClassroomResult(r, human);
    if (flags.json) process.stdout.write(JSON.stringify(resultJson(r, 'grade'), null, 2) + '\n');
    return r.score === r.maxScore || flags['exit-zero'] ? EXIT.ok : EXIT.notFullScore;
  },
});
