import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VERBS } from './cli';
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
    assert.match(r.err, new RegExp(`unknown verb "frobnicate"; valid verbs are ${VERBS.map((v) => v.name).join(', ')}`));
    const h = cli(['--help']);
    assert.equal(h.code, 0);
    for (const v of VERBS) assert.match(h.out, new RegExp(`^  ${v.name} `, 'm'));
  });

  for (const verb of VERBS) {
    it(`clab-grade ${verb.name} --help exits 0 and lists each of its flags with its default`, () => {
      const r = cli([verb.name, '--help']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`^usage: clab-grade ${verb.name}`));
      for (const [name, f] of Object.entries(verb.flags)) {
        assert.ok(r.out.includes(`--${name}`), `--${name} missing from:\n${r.out}`);
        if (f.default !== undefined && f.type !== 'boolean') assert.ok(r.out.includes(`(default: ${String(f.default)})`), `default of --${name}`);
      }
      assert.match(r.out, /exit codes: 0 all passed/);
    });
  }

  // A flag each verb does NOT have, taken from another verb.
  const foreign: Array<[string, string[], string]> = [
    ['check', ['--jobs', '2'], 'grade-all'],
    ['grade', ['sub', '--force'], 'grade-all'],
    ['grade-all', ['subs', '--exit-zero'], 'grade'],
    ['release', ['out', '--out', 'x'], 'grade'],
    ['merge', ['shards', '--jobs', '2'], 'grade-all'],
  ];
  for (const [verb, args, owner] of foreign) {
    it(`clab-grade ${verb} ${args.join(' ')} exits 2 naming the flag, the verb that has it, and the flags of ${verb}`, () => {
      const r = cli([verb, ...args]);
      assert.equal(r.code, 2, r.err);
      const flags = Object.keys(VERBS.find((v) => v.name === verb)!.flags);
      assert.match(r.err, new RegExp(`clab-grade ${verb}: unknown flag ${args.find((a) => a.startsWith('--'))} \\(it is a flag of [^)]*${owner}`));
      for (const f of flags) assert.ok(r.err.includes(`--${f}`), `--${f} not listed in: ${r.err}`);
    });
  }

  for (const args of [['check', '/nonexistent/exercises'], ['grade', '/nonexistent/submission'], ['grade', '/nonexistent/submission.zip', '--json'], ['grade-all', '/nonexistent/submissions'], ['merge', '/nonexistent/shards']]) {
    it(`clab-grade ${args.join(' ')} exits 3 with a one-line reason and no stack trace`, () => {
      const r = cli(args);
      assert.equal(r.code, 3, r.err);
      assert.match(r.err, new RegExp(`clab-grade ${args[0]}: ${args[1]} does not exist`));
      assert.doesNotMatch(r.err, /\n\s+at /);
      if (args.includes('--json')) assert.deepEqual(JSON.parse(r.out), { format: 'clab-grade/error@1', verb: args[0], exitCode: 3, error: `${args[1]} does not exist; give a submission folder or .zip` });
    });
  }

  it('clab-grade grade <dir> --timeout-ms 1.5 / --memory-mb lots exit 2 naming the flag and the value', () => {
    const a = cli(['grade', PROJECT_ROOT, '--timeout-ms', '1.5']);
    assert.equal(a.code, 2);
    assert.match(a.err, /--timeout-ms must be a positive whole number \(MS\), got "1.5"/);
    const b = cli(['check', '--memory-mb', 'lots']);
    assert.equal(b.code, 2);
    assert.match(b.err, /--memory-mb must be a positive whole number \(MB\), got "lots"/);
  });

  it('clab-grade grade-all <dir> --shard 3/2 (or 0/2, or 1-of-2) exits 2 saying what K/N must be', () => {
    for (const bad of ['3/2', '0/2', '1-of-2']) {
      const r = cli(['grade-all', PROJECT_ROOT, '--shard', bad]);
      assert.equal(r.code, 2, r.err);
      assert.ok(r.err.includes(`--shard must be K/N with whole numbers 1 <= K <= N (e.g. 2/4 is the second of four shards), got "${bad}"`), r.err);
    }
  });

  it('clab-grade check --only ex99 exits 2 and lists the valid exercise ids', () => {
    const r = cli(['check', '--only', 'ex99', '--no-typecheck']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /--only names "ex99", not an exercise here; valid ids: ex01, ex02, ex03, ex04, ex05/);
  });

  it('clab-grade release <folder with files> exits 2 and writes nothing into it', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-cli-release-'));
    try {
      fs.writeFileSync(path.join(tmp, 'keep.txt'), 'mine');
      const r = cli(['release', tmp]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /is not an empty folder; give a new folder/);
      assert.deepEqual(fs.readdirSync(tmp), ['keep.txt']);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
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
