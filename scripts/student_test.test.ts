import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '..');
// The recorded `check --json --only ex03,ex04` result: ex03 with the "sum instead of mean" mistake, ex04 the stub.
const SAMPLE = fs.readFileSync(path.join(ROOT, 'lib', 'notebook', 'fixtures', 'check-ex03-sum-ex04-stub.json'), 'utf8');

/** scoreLines(result) from scripts/student_test.mjs (an ES module), run in a child node. */
function scoreLines(resultJson: string): string[] {
  const url = pathToFileURL(path.join(ROOT, 'scripts', 'student_test.mjs')).href;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { scoreLines } from ${JSON.stringify(url)}; console.log(JSON.stringify(scoreLines(JSON.parse(process.argv[1]))));`, resultJson], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

describe('scripts/student_test.mjs (npm test in the student repository)', function () {
  this.timeout(30000);
  it('scoreLines(result) gives one line per exercise: score, failing tests, the known mistake by name, or "not implemented yet"', () => {
    const result = JSON.parse(SAMPLE) as { exercises: Array<{ id: string; score: number; maxScore: number; tests: Array<{ status: string }> }> };
    const ex03 = result.exercises[0];
    const failing = ex03.tests.filter((t) => t.status === 'failed').length;
    assert.deepEqual(scoreLines(SAMPLE), [
      `ex03 The InfoNCE bound  ${`${ex03.score}/${ex03.maxScore}`.padStart(5)}  ${failing} of ${ex03.tests.length} tests fail; known mistake: sum instead of mean`,
      'ex04 NT-Xent (SimCLR)     0/4  not implemented yet', // names padded to the longest, scores right-aligned in 5
      'total 2/11 on the public tests; 9 hidden tests run when your work is graded',
    ]);
  });

  it('scoreLines says "all public tests pass" for an exercise with full marks', () => {
    const r = JSON.parse(SAMPLE) as { exercises: Array<{ score: number; maxScore: number; tests: Array<{ status: string; score: number; maxScore: number }> }> };
    const ex04 = r.exercises[1];
    for (const t of ex04.tests) Object.assign(t, { status: 'passed', score: t.maxScore });
    ex04.score = ex04.maxScore;
    assert.match(scoreLines(JSON.stringify(r))[1], /^ex04 NT-Xent \(SimCLR\) +4\/4 {2}all public tests pass$/);
  });

  it('every notebook scripts/slow_notebooks.json names exists (npm test skips them without --all)', () => {
    const slow = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'slow_notebooks.json'), 'utf8')) as object);
    assert.ok(slow.length > 0);
    for (const f of slow) assert.ok(fs.existsSync(path.join(ROOT, 'notebooks', f)), f);
  });
});
