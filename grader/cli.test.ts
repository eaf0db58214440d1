import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from './engine';

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

  it('clab-grade grade <dir> --json prints exactly one clab-grade/result@1 document on stdout, naming the known mistake each failing test matched', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-cli-json-'));
    try {
      const sub = path.join(tmp, 'sub');
      fs.mkdirSync(sub);
      fs.copyFileSync(path.join(PROJECT_ROOT, 'grader', 'fixtures', 'mistakes', 'ex04-sum', 'ex04-nt-xent.ts.txt'), path.join(sub, 'ex04-nt-xent.ts'));
      const r = cli(['grade', sub, '--only', 'ex04', '--no-typecheck', '--json', '--out', path.join(tmp, 'out')]);
      assert.equal(r.code, 1, r.err);
      const doc = JSON.parse(r.out); // throws unless stdout is one JSON document and nothing else
      assert.equal(doc.format, 'clab-grade/result@1');
      assert.equal(doc.verb, 'grade');
      assert.equal(doc.submission, sub);
      assert.deepEqual(doc.exercises.map((e: { id: string }) => e.id), ['ex04']);
      const tests = doc.exercises[0].tests as Array<{ status: string; score: number; maxScore: number; knownMistake: string | null; visibility: string }>;
      assert.equal(doc.score, tests.reduce((a, t) => a + t.score, 0));
      assert.equal(doc.maxScore, tests.reduce((a, t) => a + t.maxScore, 0));
      assert.ok(tests.some((t) => t.visibility === 'hidden'));
      const failed = tests.filter((t) => t.status === 'failed');
      assert.ok(failed.length > 0);
      for (const t of failed) assert.equal(t.knownMistake, 'sum instead of mean');
      for (const t of tests.filter((x) => x.status === 'passed')) assert.equal(t.knownMistake, null);
      assert.equal(typeof doc.sandbox.networkIsolated, 'boolean');
      assert.match(r.err, /TOTAL \d+\/10/); // the human table went to stderr
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('clab-grade check <dir> --json runs only public tests and reports the hidden ones it did not run', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-cli-json-'));
    try {
      fs.copyFileSync(path.join(PROJECT_ROOT, 'solutions', 'ex04-nt-xent.ts'), path.join(tmp, 'ex04-nt-xent.ts'));
      const r = cli(['check', tmp, '--only', 'ex04', '--no-typecheck', '--json']);
      assert.equal(r.code, 0, r.err);
      const doc = JSON.parse(r.out);
      assert.equal(doc.verb, 'check');
      assert.equal(doc.score, doc.maxScore);
      assert.ok(doc.hiddenNotRun > 0);
      assert.ok(doc.exercises[0].tests.every((t: { visibility: string; knownMistake: null }) => t.visibility === 'public' && t.knownMistake === null));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
