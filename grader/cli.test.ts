import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from './grade/grade_submission';

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'grader', 'bin', 'clab-grade.js'), ...args], {
    cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('clab-grade (grader/cli.ts) exit codes and outputs', function () {
  this.timeout(300000);

  it('clab-grade with no verb or an unknown verb exits 2 (usage) and lists the verbs', () => {
    assert.equal(cli([]).code, 2);
    const r = cli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown verb "frobnicate"; valid verbs are check, grade, grade-all, release/);
  });

  it('clab-grade grade <missing path> exits 3 (unreadable submission)', () => {
    const r = cli(['grade', '/nonexistent/submission']);
    assert.equal(r.code, 3, r.err);
  });

  it('clab-grade grade <dir> --only ex04 --classroom writes results.json, junit.xml, summary.md, $GITHUB_STEP_SUMMARY and result=', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-cli-'));
    try {
      const sub = path.join(tmp, 'sub');
      fs.mkdirSync(sub);
      fs.copyFileSync(path.join(PROJECT_ROOT, 'solutions', 'ex04-nt-xent.ts'), path.join(sub, 'ex04-nt-xent.ts'));
      const summary = path.join(tmp, 'summary.md');
      const output = path.join(tmp, 'gh-output');
      const r = cli(['grade', sub, '--only', 'ex04', '--classroom', '--no-typecheck', '--out', path.join(tmp, 'out')], { GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output });
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.out, /TOTAL 10\/10/);
      const results = JSON.parse(fs.readFileSync(path.join(tmp, 'out', 'results.json'), 'utf8'));
      assert.equal(results.score, 10);
      assert.match(fs.readFileSync(path.join(tmp, 'out', 'junit.xml'), 'utf8'), /tests="6" failures="0"/);
      assert.match(fs.readFileSync(summary, 'utf8'), /## Grade: 10 \/ 10/);
      assert.match(fs.readFileSync(output, 'utf8'), /^result=[A-Za-z0-9+/=]+$/m);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
