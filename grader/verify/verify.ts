// clab-grade verify: are a student repository's course files as released? (npm test and the Classroom run ask it.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flag, verb } from '../command_line/flags';
import { checkCourseFiles, readReleaseManifest, RELEASE_MANIFEST_FILE } from '../engine/course_files';
import { PROJECT_ROOT } from '../engine/project_root';
import type { CourseFilesCheck } from '../engine/result_types';
import { statSubmission } from '../engine/read_submission';
import { EXIT, SubmissionError } from '../exit_codes';
import { courseFilesLines, courseFilesMarkdown, shownPath } from '../report/course_files';

/**
 * `clab-grade verify [dir]`: compares the course files of a student repository (this one by
 * default) with its release manifest, prints `course files: verified` or each `modified:`,
 * `added:` and `missing:` file with how to restore them, and adds the same to the GitHub job
 * summary. Exit 0 when verified, 1 otherwise.
 */
export const VERIFY_VERB = verb({
  name: 'verify',
  summary: "are the course files (grader/, lib/, scripts/, workflows, package.json, lock) as released?",
  description: [
    'Compares the course files of a student repository (default: this one) with the release',
    `manifest (${RELEASE_MANIFEST_FILE}, or --manifest: the instructor's copy) and names every`,
    'modified, added or missing file. Exit 0 when verified, 1 when not.',
  ].join('\n'),
  positionals: [{ name: '[dir]', help: 'the student repository (default: this one)', required: false }],
  flags: {
    manifest: flag.string('FILE', `the release manifest to compare with (default: <dir>/${RELEASE_MANIFEST_FILE})`),
  },
  run: async ({ positionals, flags }) => {
    const dir: string = positionals[0] ?? PROJECT_ROOT;
    if (!statSubmission(dir).isDirectory()) throw new SubmissionError(`${dir} is not a folder; give the student repository`);
    const file = flags.manifest ?? path.join(dir, RELEASE_MANIFEST_FILE);
    if (flags.manifest === undefined && !fs.existsSync(file)) {
      throw new SubmissionError(`${file} does not exist: verify runs in a student repository that clab-grade release wrote (or give --manifest FILE); if you deleted it, restore it with: git checkout $(git rev-list --max-parents=0 HEAD) -- ${RELEASE_MANIFEST_FILE}`);
    }
    const check = checkCourseFiles(dir, readReleaseManifest(file), file);
    const restore = restoreLines(check);
    process.stdout.write([...courseFilesLines(check), ...restore].join('\n') + '\n');
    if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, [...courseFilesMarkdown(check), ...restore.map((l) => `    ${l}`), ''].join('\n') + '\n');
    if (process.env.GITHUB_ACTIONS === 'true') process.stdout.write(annotations(check));
    return check.status === 'verified' ? EXIT.ok : EXIT.notFullScore;
  },
});

/** A path in a shell command: as is when plain, else in single quotes. */
function shellWord(p: string): string {
  return /^[\w./@+-]+$/.test(p) ? p : `'${shownPath(p).replace(/'/g, `'\\''`)}'`;
}

/** What the student reads under the list: why these files matter and the commands that restore them. */
function restoreLines(c: CourseFilesCheck): string[] {
  if (c.status === 'verified') return [];
  if (c.status === 'no-course-files') return ['Give the student repository itself (the folder with grader/, lib/ and package.json).'];
  const lines = [
    'These files decide how your work is checked and graded: change only exercises/ (and your notebooks).',
    'The GitHub Classroom run reports no score while they differ, and your instructor sees the change.',
    'Restore them as released (in this repository):',
  ];
  const back = [...c.modified, ...c.missing];
  if (back.length > 0) lines.push(`  git checkout $(git rev-list --max-parents=0 HEAD) -- ${back.map(shellWord).join(' ')}`);
  if (c.added.length > 0) lines.push(`  rm -r ${c.added.map(shellWord).join(' ')}`);
  return lines;
}

/** GitHub Actions annotations, one per change (`::error file=...::`), escaped so no name can start a command of its own. */
function annotations(c: CourseFilesCheck): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const out: string[] = [];
  for (const [kind, list] of [['modified', c.modified], ['added', c.added], ['missing', c.missing]] as const) {
    for (const p of list) out.push(`::error file=${prop(shownPath(p))},title=${prop(`course file ${kind}`)}::${data(`${kind} since the release: ${shownPath(p)}. Restore it; no score is reported while a course file differs.`)}`);
  }
  return out.length > 0 ? out.join('\n') + '\n' : '';
}
