import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GradeResult } from '../engine/result_types';
import { CLASS_REPORT_FILES, mistakesCsv, summariseClass, testsCsv, writeClassReport } from './class_report';
import { classReportHtml } from './class_report_html';
import type { GradebookRow } from './gradebook_csv';
import { testOutcomes, type TestOutcome } from './test_outcome';

const SUM = { name: 'sum instead of mean', explain: 'Average over the batch.' };
const TAU = { name: 'no temperature', explain: 'Divide by tau.' };

/** ex04 has tests a (2 points) and b (hidden, 1 point); ex05 has test c. */
function outcomes(a: boolean | typeof SUM, b: boolean | typeof SUM, c: boolean | typeof TAU): TestOutcome[] {
  const one = (exercise: string, test: string, points: number, visibility: 'public' | 'hidden', x: boolean | { name: string; explain: string }): TestOutcome =>
    typeof x === 'boolean' ? { exercise, test, visibility, points, passed: x } : { exercise, test, visibility, points, passed: false, mistake: x };
  return [one('ex04', 'a', 2, 'public', a), one('ex04', 'b', 1, 'hidden', b), one('ex05', 'c', 1, 'public', c)];
}

function row(submission: string, score: number, tests: TestOutcome[] | undefined, status = 'graded'): GradebookRow {
  return { submission, score, maxScore: 4, exercises: {}, status, tests };
}

const ROWS: GradebookRow[] = [
  row('alice', 4, outcomes(true, true, true)),
  row('bob', 0, outcomes(SUM, SUM, TAU)), // sum named on two tests: one submission
  row('=carol', 1, outcomes(SUM, false, true)),
  row('dave', 2, undefined), // graded by an older grader: no per-test outcomes
  row('erin.zip', 0, undefined, 'not graded: erin.zip: too large: 52 MB, the limit is 50 MB'),
];

describe('the class report (mistakes.csv, tests.csv, class-report.html) from gradebook rows', () => {
  it('mistakesCsv counts each submission once per exercise and mistake, most common first, and names them', () => {
    assert.equal(
      mistakesCsv(summariseClass(ROWS)),
      ['exercise,mistake,submissions,which', '"ex04","sum instead of mean",2,"bob; =carol"', '"ex05","no temperature",1,"bob"', ''].join('\n'),
    );
  });

  it('testsCsv gives each test its runs, passes and pass rate over the graded submissions with outcomes', () => {
    assert.equal(
      testsCsv(summariseClass(ROWS)),
      [
        'exercise,test,visibility,points,submissions,passed,pass_rate',
        `"ex04","a",public,2,3,1,${(1 / 3).toFixed(3)}`,
        `"ex04","b",hidden,1,3,1,${(1 / 3).toFixed(3)}`,
        `"ex05","c",public,1,3,2,${(2 / 3).toFixed(3)}`,
        '',
      ].join('\n'),
    );
  });

  it('classReportHtml draws one bar per exercise, per score bin and per test, escapes names, and asks for nothing (no script, no URL, a CSP)', () => {
    const html = classReportHtml(summariseClass([...ROWS, row('<script>alert(1)</script>', 0, undefined, 'not graded: <img src=x>')]));
    const charts = html.split('<figure class="chart">').slice(1).map((f) => (f.split('</figure>')[0].match(/<rect class="mark"/g) ?? []).length);
    assert.deepEqual(charts, [2, 11, 3]); // exercises ex04, ex05; 11 score bins; tests a, b, c
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
    assert.doesNotMatch(html, /<script/i);
    assert.deepEqual(html.match(/\b(?:https?:)?\/\/[^\s"'<>]+/g), ['http://www.w3.org/2000/svg', 'http://www.w3.org/2000/svg', 'http://www.w3.org/2000/svg']); // namespaces, not requests
    assert.match(html, /<li><b>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/b>: not graded: &lt;img src=x&gt;<\/li>/);
    assert.match(html, /<td>sum instead of mean<\/td><td class="num">2 \(67%\)<\/td><td>Average over the batch.<\/td>/);
    assert.match(html, /1 graded submissions have no per-test results/);
    assert.match(html, /<li><b>erin.zip<\/b>: not graded: erin.zip: too large: 52 MB, the limit is 50 MB<\/li>/);
  });

  it('writeClassReport writes the same bytes for the same rows (merge must equal one grade-all run)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-class-'));
    try {
      writeClassReport(path.join(dir, 'a'), ROWS);
      writeClassReport(path.join(dir, 'b'), JSON.parse(JSON.stringify(ROWS)) as GradebookRow[]);
      for (const f of CLASS_REPORT_FILES) assert.equal(fs.readFileSync(path.join(dir, 'b', f), 'utf8'), fs.readFileSync(path.join(dir, 'a', f), 'utf8'), f);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("testOutcomes(result, specs) keeps each test's outcome and the named mistake with its explanation", () => {
    const r: GradeResult = {
      submission: 's', score: 2, maxScore: 3, hiddenNotRun: 0, ms: 1,
      sandbox: { permissionModel: true, network: 'isolated', user: 'nobody', memory: '512 MB', networkIsolated: true },
      inputs: { digest: '9f'.repeat(32), secret: '0123456789abcdef' },
      exercises: [{ id: 'ex04', file: 'ex04-nt-xent.ts', title: 'NT-Xent', notes: [], time: { ms: 2, budgetMs: 60000, wallMs: 2, stoppedBy: null }, tests: [
        { exercise: 'ex04', name: 'a', visibility: 'public', score: 2, maxScore: 2, status: 'passed', feedback: '', output: '', knownMistake: null, ms: 1, stoppedBy: null, seed: 7 },
        { exercise: 'ex04', name: 'b', visibility: 'hidden', score: 0, maxScore: 1, status: 'failed', feedback: '', output: '', knownMistake: SUM.name, ms: 1, stoppedBy: null, seed: 8 },
      ] }],
    };
    assert.deepEqual(testOutcomes(r, [{ id: 'ex04', mistakes: [TAU, SUM] }]), [
      { exercise: 'ex04', test: 'a', visibility: 'public', points: 2, passed: true, seed: 7 },
      { exercise: 'ex04', test: 'b', visibility: 'hidden', points: 1, passed: false, seed: 8, mistake: SUM },
    ]);
  });
});
