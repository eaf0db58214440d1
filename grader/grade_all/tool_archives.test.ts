import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TOOL_LAYOUTS, writeStudentRepo } from '../fixtures/archive_fixtures';
import { allExercises, TEST_LIMITS, TEST_SECRET } from '../fixtures/grade_fixture';
import { gradeAll } from './grade_all';

// A correct submission zipped by each real tool (Windows Explorer, PowerShell 5.1 and 7, macOS
// Finder, git archive, GitHub's Download ZIP, Linux zip, 7-Zip) must get full marks, as its
// folder does: one grade-all run over the eight zips.
describe('grade-all over the reference solutions zipped by every common tool', function () {
  this.timeout(600000);
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-tool-zips-'));
    const repo = writeStudentRepo(path.join(root, 'work'));
    fs.mkdirSync(path.join(root, 'subs'));
    for (const [i, layout] of TOOL_LAYOUTS.entries()) layout.make(repo, path.join(root, 'subs', `${i}-${layout.name.replace(/[^A-Za-z0-9]+/g, '-')}.zip`));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('every tool layout grades full marks (the sum of every test\'s points), and the run exits 0', async () => {
    const full = allExercises().reduce((a, e) => a + e.tests.reduce((b, t) => b + t.points, 0), 0);
    const { code, rows } = await gradeAll({ dir: path.join(root, 'subs'), out: path.join(root, 'out'), jobs: 2, force: true, progress: false, secret: TEST_SECRET, grade: TEST_LIMITS });
    assert.deepEqual(
      rows.map((r) => [r.submission, r.status, r.score, r.maxScore]),
      TOOL_LAYOUTS.map((l, i) => [`${i}-${l.name.replace(/[^A-Za-z0-9]+/g, '-')}.zip`, 'graded', full, full]),
    );
    assert.equal(code, 0);
  });
});
