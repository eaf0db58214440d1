import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { PROJECT_ROOT } from '../engine';
import { secretFingerprint } from '../engine/instructor_secret';
import { TEST_LIMITS, TEST_SECRET } from '../fixtures/grade_fixture';
import { SPECS } from '../specs';
import { copyOfRelease, sharedRelease } from '../fixtures/shared_release';
import { courseFilesTally, gradeAll } from './grade_all';
import { gradebookCsv, type GradebookRow } from '../report/gradebook_csv';

describe('gradeAll({dir, out, jobs, force}) grades a folder of submissions', function () {
  this.timeout(300000);
  let root: string;
  const solution = () => fs.readFileSync(path.join(PROJECT_ROOT, 'solutions', 'ex04-nt-xent.ts'), 'utf8');

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-grade-all-'));
    const subs = path.join(root, 'subs');
    fs.mkdirSync(path.join(subs, 'alice', 'exercises'), { recursive: true });
    fs.writeFileSync(path.join(subs, 'alice', 'exercises', 'ex04-nt-xent.ts'), solution());
    fs.writeFileSync(path.join(subs, 'bob.zip'), zipSync({ 'repo/exercises/ex04-nt-xent.ts': strToU8(solution().replace('tf.mean(tf.sum(', 'tf.sum(tf.sum(')) }));
    fs.writeFileSync(path.join(subs, 'carol.zip'), 'this is not a zip file');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const run = (force: boolean, secret = TEST_SECRET) =>
    gradeAll({ dir: path.join(root, 'subs'), out: path.join(root, 'out'), jobs: 2, force, progress: false, secret, grade: { ...TEST_LIMITS, only: ['ex04'] } });
  const row = (name: string) => JSON.parse(fs.readFileSync(path.join(root, 'out', name, 'grade.json'), 'utf8')) as GradebookRow;
  const seeds = (r: GradebookRow) => (r.tests ?? []).map((t) => t.seed);

  it('writes per-submission reports and a CSV gradebook; a corrupt zip is reported, not fatal', async () => {
    const { rows, code } = await run(false);
    assert.deepEqual(rows.map((r) => [r.submission, r.score, r.maxScore]), [['alice', 10, 10], ['bob.zip', 0, 10], ['carol.zip', 0, 0]]);
    assert.match(rows[2].status, /not graded: .*not a readable zip file/);
    assert.equal(code, 3);
    const csv = fs.readFileSync(path.join(root, 'out', 'gradebook.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'submission,score,max_score,ex01,ex02,ex03,ex04,ex05,status');
    assert.equal(csv[1], '"alice",10,10,0,0,0,10,0,"graded"');
    for (const f of ['results.json', 'junit.xml', 'summary.md', 'grade.json']) assert.ok(fs.existsSync(path.join(root, 'out', 'alice', f)), f);
    assert.match(fs.readFileSync(path.join(root, 'out', 'bob', 'results.json'), 'utf8'), /sum instead of mean/);
    // The class report: bob's named mistake, ex04's six tests passed by alice only (carol was not graded).
    assert.equal(fs.readFileSync(path.join(root, 'out', 'mistakes.csv'), 'utf8'), 'exercise,mistake,submissions,which\n"ex04","sum instead of mean",1,"bob.zip"\n');
    const tests = fs.readFileSync(path.join(root, 'out', 'tests.csv'), 'utf8').trim().split('\n').slice(1);
    assert.equal(tests.length, 6);
    for (const t of tests) assert.match(t, /^"ex04",".*",(public|hidden),\d,2,1,0\.500$/);
    assert.match(fs.readFileSync(path.join(root, 'out', 'class-report.html'), 'utf8'), /<li><b>carol.zip<\/b>: not graded: .*not a readable zip file/);
  });

  it("grade.json keeps the submission's digest, the secret's fingerprint (never the secret) and each test's fresh seed; the reports record them too", () => {
    const bob = row('bob');
    assert.deepEqual(Object.keys(bob.inputs ?? {}).sort(), ['digest', 'secret']);
    assert.match(bob.inputs!.digest, /^[0-9a-f]{64}$/);
    assert.equal(bob.inputs!.secret, TEST_SECRET.fingerprint);
    const fixed = SPECS.find((s) => s.id === 'ex04')!.tests.map((t) => t.seed);
    assert.equal(seeds(bob).length, fixed.length);
    assert.ok(seeds(bob).every((s, i) => Number.isInteger(s) && s !== fixed[i]), `fresh seeds ${seeds(bob).join(', ')}, fixed ${fixed.join(', ')}`);
    assert.notDeepEqual(seeds(row('alice')), seeds(bob), 'two submissions meet different inputs');
    const hex = TEST_SECRET.bytes.toString('hex');
    for (const f of ['results.json', 'junit.xml', 'summary.md', 'grade.json']) {
      const text = fs.readFileSync(path.join(root, 'out', 'bob', f), 'utf8');
      assert.ok(text.includes(String(seeds(bob)[5])) && text.includes(TEST_SECRET.fingerprint), `${f} records the seeds and the fingerprint`);
      assert.ok(!text.includes(hex) && !text.includes(TEST_SECRET.bytes.toString('utf8')), `${f} holds the secret`);
    }
  });

  it('a rerun skips finished submissions (resumable) and --force regrades them on the same inputs to the same grade', async () => {
    const marker = path.join(root, 'out', 'alice', 'results.json');
    const before = row('bob');
    fs.writeFileSync(marker, 'left alone');
    await run(false);
    assert.equal(fs.readFileSync(marker, 'utf8'), 'left alone');
    await run(true);
    assert.match(fs.readFileSync(marker, 'utf8'), /"score": 10/);
    assert.deepEqual(row('bob'), before, 'a regrade with the same secret: the same seeds, outcomes and score');
  });

  it('a rerun with another secret regrades the submissions graded with the old one (one gradebook, one secret)', async () => {
    const marker = path.join(root, 'out', 'alice', 'results.json');
    fs.writeFileSync(marker, 'left alone');
    const old = seeds(row('bob'));
    const other = { ...TEST_SECRET, bytes: Buffer.from('grade_all.test: another secret!!'), fingerprint: '' };
    other.fingerprint = secretFingerprint(other.bytes);
    const { rows } = await run(false, other);
    assert.match(fs.readFileSync(marker, 'utf8'), /"score": 10/);
    assert.deepEqual(rows.map((r) => [r.submission, r.score, r.inputs?.secret]), [['alice', 10, other.fingerprint], ['bob.zip', 0, other.fingerprint], ['carol.zip', 0, undefined]]);
    assert.deepEqual(seeds(rows[1]), seeds(row('bob')));
    assert.ok(seeds(rows[1]).every((x, i) => x !== old[i]), 'another secret, other inputs');
    await run(true); // back to TEST_SECRET for the tests below
  });

  it('gradebookCsv quotes names and neutralises spreadsheet formulas', () => {
    const csv = gradebookCsv([{ submission: '=HYPERLINK("x")', score: 1, maxScore: 2, exercises: { ex01: 1 }, status: 'graded' }], ['ex01']);
    assert.equal(csv.split('\n')[1], `"'=HYPERLINK(""x"")",1,2,1,"graded"`);
  });
});

describe('gradeAll({manifest}) marks the submissions that changed a course file', function () {
  this.timeout(300000);
  let root: string;
  let rows: GradebookRow[];
  let csv: string[];

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-grade-all-manifest-'));
    fs.chmodSync(root, 0o755); // the sandbox user reads the submissions' exercise files through it
    const subs = path.join(root, 'subs');
    const ex01 = fs.readFileSync(path.join(PROJECT_ROOT, 'solutions', 'ex01-triplet.ts'));
    const student = (name: string, change: (dir: string) => void = () => {}) => {
      const dir = copyOfRelease(path.join(subs, name));
      fs.writeFileSync(path.join(dir, 'exercises', 'ex01-triplet.ts'), ex01);
      change(dir);
    };
    student('alice');
    student('bob', (d) => {
      const f = path.join(d, 'grader', 'frozen', 'public-tests.json');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/"points":(\d+)/, (_, p) => `"points":${Number(p) + 1}`));
    });
    student('dave', (d) => {
      fs.appendFileSync(path.join(d, '.github', 'workflows', 'classroom.yml'), '# mine\n');
      fs.writeFileSync(path.join(d, 'grader', 'helper.ts'), 'export {};\n');
    });
    fs.writeFileSync(path.join(subs, 'carol.zip'), zipSync({ 'exercises/ex01-triplet.ts': new Uint8Array(ex01) }));
    const r = await gradeAll({ dir: subs, out: path.join(root, 'out'), jobs: 2, force: false, progress: false, secret: TEST_SECRET, manifest: sharedRelease().manifest, grade: { ...TEST_LIMITS, only: ['ex01'] } });
    rows = r.rows;
    csv = fs.readFileSync(path.join(root, 'out', 'gradebook.csv'), 'utf8').trim().split('\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gradebook.csv gets a course_files column: verified, the changed files, or "not checked" for a submission of only exercises/; every score stands', () => {
    assert.equal(csv[0], 'submission,score,max_score,ex01,ex02,ex03,ex04,ex05,status,course_files');
    assert.deepEqual(rows.map((r) => [r.submission, r.score, r.courseFiles]), [
      ['alice', 10, 'verified'],
      ['bob', 10, 'modified: grader/frozen/public-tests.json'],
      ['carol.zip', 10, 'not checked: no course files in the submission'],
      ['dave', 10, 'modified: .github/workflows/classroom.yml; added: grader/helper.ts'],
    ]);
    assert.equal(csv[2], '"bob",10,10,10,0,0,0,0,"graded","modified: grader/frozen/public-tests.json"');
  });

  it("each submission's reports carry the mark: summary.md, results.json (Gradescope's output) and junit.xml", () => {
    const read = (who: string, f: string) => fs.readFileSync(path.join(root, 'out', who, f), 'utf8');
    assert.match(read('bob', 'summary.md'), /### Course files: MODIFIED since the release \(1 modified; release manifest [0-9a-f]{12}\)\n\n- modified: `grader\/frozen\/public-tests\.json`/);
    assert.match(JSON.parse(read('bob', 'results.json')).output, /course files: MODIFIED since the release[^\n]*\n {2}modified: grader\/frozen\/public-tests\.json/);
    assert.match(read('alice', 'summary.md'), /### Course files: verified \(all \d+ as released/);
    assert.match(read('carol', 'summary.md'), /Course files: not checked: the submission holds none of them \(only exercise files\)/);
    assert.match(read('dave', 'junit.xml'), /<testcase classname="course-files" name="course files as released" time="0.000">\n {6}<properties>\n {8}<property name="modified" value="\.github\/workflows\/classroom\.yml"\/>\n {8}<property name="added" value="grader\/helper\.ts"\/>\n {6}<\/properties>\n {6}<failure type="course files modified" /);
    assert.match(read('alice', 'junit.xml'), /<testsuite name="course files" tests="1" failures="0" skipped="0"/);
    assert.match(read('carol', 'junit.xml'), /<testsuite name="course files" tests="1" failures="0" skipped="1"/);
  });

  it('courseFilesTally says how many were verified, modified and not checked, and names each modified submission', () => {
    assert.equal(
      courseFilesTally(rows, 'm.json'),
      'course files (against m.json): 1 verified, 2 MODIFIED, 1 not checked (no course files in the submission, or not graded)\n' +
        '  MODIFIED bob: modified: grader/frozen/public-tests.json\n' +
        '  MODIFIED dave: modified: .github/workflows/classroom.yml; added: grader/helper.ts\n',
    );
  });

  it('a rerun checks the already graded submissions against its own --manifest (and drops the column without one)', async () => {
    const again = await gradeAll({ dir: path.join(root, 'subs'), out: path.join(root, 'out'), jobs: 2, force: false, progress: false, secret: TEST_SECRET, manifest: sharedRelease().manifest, grade: { ...TEST_LIMITS, only: ['ex01'] } });
    assert.deepEqual(again.rows.map((r) => r.courseFiles), rows.map((r) => r.courseFiles));
    const without = await gradeAll({ dir: path.join(root, 'subs'), out: path.join(root, 'out'), jobs: 2, force: false, progress: false, secret: TEST_SECRET, grade: { ...TEST_LIMITS, only: ['ex01'] } });
    assert.ok(without.rows.every((r) => r.courseFiles === undefined));
    assert.equal(fs.readFileSync(path.join(root, 'out', 'gradebook.csv'), 'utf8').split('\n')[0], 'submission,score,max_score,ex01,ex02,ex03,ex04,ex05,status');
  });
});
