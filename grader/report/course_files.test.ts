import assert from 'node:assert/strict';
import type { CourseFilesCheck, GradeResult } from '../engine/result_types';
import { courseFilesCell, gradebookCsv, gradescopeJson, junitXml, resultJson, terminalTable } from '.';

const manifest = { path: 'course.manifest.json', digest: 'ab'.repeat(32) };
const check = (c: Partial<CourseFilesCheck>): CourseFilesCheck => ({ status: 'modified', modified: [], added: [], missing: [], files: 225, manifest, ...c });
const RESULT: GradeResult = {
  submission: 'bob',
  exercises: [{ id: 'ex01', file: 'ex01-triplet.ts', title: 'Triplet', notes: [], time: { ms: 5, budgetMs: 60000, wallMs: 9, stoppedBy: null }, tests: [{ exercise: 'ex01', name: 't', visibility: 'public', score: 2, maxScore: 2, status: 'passed', feedback: 'Passed.', output: '', knownMistake: null, ms: 5, stoppedBy: null, seed: 101 }] }],
  score: 2, maxScore: 2, hiddenNotRun: 0, ms: 100,
  sandbox: { permissionModel: true, network: 'isolated', user: 'nobody', memory: '512 MB', networkIsolated: true },
  inputs: { digest: '9f'.repeat(32), secret: null },
};

describe('reports of the course files check (grade --manifest, grade-all --manifest)', () => {
  it('the terminal table says MODIFIED under the total and lists each file; a full score stays a full score', () => {
    const t = terminalTable({ ...RESULT, courseFiles: check({ modified: ['grader/frozen/public-tests.json'], missing: ['tsconfig.json'] }) }, false).split('\n');
    const total = t.findIndex((l) => l.startsWith('TOTAL 2/2'));
    assert.deepEqual(t.slice(total + 1, total + 4), [
      `course files: MODIFIED since the release (1 modified, 1 missing; release manifest ${'ab'.repeat(6)})`,
      '  modified: grader/frozen/public-tests.json',
      '  missing: tsconfig.json',
    ]);
    assert.doesNotMatch(terminalTable(RESULT, false), /course files/, 'no line without a manifest');
  });

  it('the --json document carries courseFiles with a one-line summary (only when a manifest was given)', () => {
    const none = resultJson({ ...RESULT, courseFiles: check({ status: 'no-course-files' }) }, 'grade');
    assert.deepEqual(none.courseFiles, { ...check({ status: 'no-course-files' }), summary: 'course files: not checked: the submission holds none of them (only exercise files), so there is nothing to verify' });
    assert.equal(resultJson(RESULT, 'grade').courseFiles, undefined);
  });

  it('junit.xml carries the mark: a "course files" testcase that fails naming each changed file, passes when verified, is skipped when there were none; the score stays', () => {
    const modified = junitXml({ ...RESULT, courseFiles: check({ modified: ['grader/frozen/public-tests.json'], added: ['lib/x<y>.ts'], missing: ['tsconfig.json'] }) });
    const suite = /\n {2}<testsuite name="course files" tests="1" failures="1" skipped="0" time="0.000">[^]*?<\/testsuite>/.exec(modified);
    assert.ok(suite, modified);
    assert.match(suite[0], /<property name="release-manifest" value="course\.manifest\.json"\/>/);
    assert.match(suite[0], new RegExp(`<property name="release-manifest-digest" value="${'ab'.repeat(32)}"/>`));
    assert.deepEqual([...suite[0].matchAll(/<property name="(modified|added|missing)" value="([^"]*)"\/>/g)].map((m) => `${m[1]}: ${m[2]}`), ['modified: grader/frozen/public-tests.json', 'added: lib/x&lt;y&gt;.ts', 'missing: tsconfig.json']);
    assert.match(suite[0], /<testcase classname="course-files" name="course files as released" time="0.000">[^]*<failure type="course files modified" message="course files: MODIFIED since the release \(1 modified, 1 added, 1 missing; release manifest abababababab\)">modified: grader\/frozen\/public-tests.json\nadded: lib\/x&lt;y&gt;.ts\nmissing: tsconfig.json<\/failure>/);
    // The totals count it (a dashboard shows a failure); the exercises' suites and the score do not change.
    assert.match(modified, /<testsuites name="contrastive-lab grader" tests="2" failures="1"/);
    assert.equal(modified.replace(suite[0], '').replace('tests="2" failures="1"', 'tests="1" failures="0"'), junitXml(RESULT));
    assert.equal((gradescopeJson({ ...RESULT, courseFiles: check({ modified: ['x'] }) }) as { score: number }).score, 2);
    const verified = junitXml({ ...RESULT, courseFiles: check({ status: 'verified' }) });
    assert.match(verified, /<testsuite name="course files" tests="1" failures="0" skipped="0" time="0.000">/);
    assert.match(verified, /<testcase classname="course-files" name="course files as released" time="0.000">\n {4}<\/testcase>/);
    assert.match(verified, /<testsuites name="contrastive-lab grader" tests="2" failures="0"/);
    const none = junitXml({ ...RESULT, courseFiles: check({ status: 'no-course-files' }) });
    assert.match(none, /<testsuite name="course files" tests="1" failures="0" skipped="1" time="0.000">/);
    assert.match(none, /<skipped message="course files: not checked: the submission holds none of them/);
    assert.doesNotMatch(junitXml(RESULT), /course files/, 'no suite without a manifest');
  });

  it('a gradebook cell lists five changes and counts the rest; a file name with a newline stays on one line', () => {
    const many = check({ missing: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], added: ['lib/x\n::notice::53'] });
    assert.equal(courseFilesCell(many), 'added: "lib/x\\n::notice::53"; missing: a; missing: b; missing: c; missing: d; +3 more');
    assert.equal(courseFilesCell(check({ status: 'verified' })), 'verified');
  });

  it('gradebookCsv adds course_files only when a row was checked; a row without a mark says so', () => {
    const row = { submission: 'a', score: 1, maxScore: 2, exercises: { ex01: 1 }, status: 'graded' };
    assert.equal(gradebookCsv([row], ['ex01']).split('\n')[0], 'submission,score,max_score,ex01,status');
    const csv = gradebookCsv([{ ...row, courseFiles: 'verified' }, { ...row, submission: 'b' }], ['ex01']).split('\n');
    assert.deepEqual(csv.slice(0, 3), ['submission,score,max_score,ex01,status,course_files', '"a",1,2,1,"graded","verified"', '"b",1,2,1,"graded","not checked: graded without --manifest"']);
  });
});
