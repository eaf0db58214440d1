import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VERBS } from './cli';
import { DEFAULT_SECRET_FILE, PROJECT_ROOT, SECRET_ENV } from './engine';
import { SPECS } from './specs';

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
      // No secret was given: grade made one for this run, kept it beside the reports and said so.
      const kept = path.join(tmp, 'out', 'grade-secret.txt');
      if (!fs.existsSync(path.join(PROJECT_ROOT, DEFAULT_SECRET_FILE)) && !process.env[SECRET_ENV]) {
        assert.equal(fs.statSync(kept).mode & 0o777, 0o600);
        assert.ok(r.out.includes(`made one for this run: ${kept}`) && r.out.includes(`--secret ${kept}`), r.out);
        assert.equal(results.extra_data.secret_fingerprint, /fingerprint ([0-9a-f]{16})/.exec(r.out)![1]);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('clab-grade grade-all without an instructor secret exits 2 saying how to make one; an unreadable or short --secret is exit 3 naming the file and the fix', function () {
    if (fs.existsSync(path.join(PROJECT_ROOT, DEFAULT_SECRET_FILE))) this.skip(); // this checkout has a default secret
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-cli-secret-'));
    try {
      fs.mkdirSync(path.join(tmp, 'subs'));
      const none = cli(['grade-all', path.join(tmp, 'subs'), '--out', path.join(tmp, 'out')], { [SECRET_ENV]: '' });
      assert.equal(none.code, 2, none.err);
      assert.match(none.err, /grade-all: no instructor secret \(looked at --secret FILE, \$CLAB_GRADE_SECRET \(set, but empty: on GitHub Actions, the repository secret is missing\), .*\.clab-grade-secret\); every submission is graded on inputs derived from it\. Make one with clab-grade secret/);
      assert.equal(fs.existsSync(path.join(tmp, 'out')), false);
      fs.writeFileSync(path.join(tmp, 'short.txt'), 'abcdef0123\n');
      const short = cli(['grade-all', path.join(tmp, 'subs'), '--secret', path.join(tmp, 'short.txt')]);
      assert.equal(short.code, 3, short.err);
      assert.ok(short.err.includes(`the instructor secret ${path.join(tmp, 'short.txt')} holds a 5-byte secret; a secret needs at least 16 random bytes (32 hex digits); make a new one with clab-grade secret --out ${path.join(tmp, 'short.txt')}`), short.err);
      const missing = cli(['grade', path.join(PROJECT_ROOT, 'solutions'), '--secret', path.join(tmp, 'nope.txt')]);
      assert.equal(missing.code, 3, missing.err);
      assert.ok(missing.err.includes(`the instructor secret ${path.join(tmp, 'nope.txt')} does not exist`), missing.err);
      const made = cli(['secret', '--out', path.join(tmp, 's.txt')]);
      assert.equal(made.code, 0, made.err);
      assert.match(made.out, /^secret: wrote .*s\.txt \(fingerprint [0-9a-f]{16};/);
      const again = cli(['secret', '--out', path.join(tmp, 's.txt')]);
      assert.equal(again.code, 2);
      assert.match(again.err, /s\.txt exists; a secret is never overwritten/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('clab-grade grade <dir> --secret F --json prints exactly one clab-grade/result@1 document on stdout with fresh seeds, naming the known mistake each failing test matched; replay runs one test again on its recorded seed', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-cli-json-'));
    fs.chmodSync(tmp, 0o755); // replay and grade read the submission as the sandbox user
    try {
      const sub = path.join(tmp, 'sub');
      fs.mkdirSync(sub);
      fs.copyFileSync(path.join(PROJECT_ROOT, 'grader', 'fixtures', 'mistakes', 'ex04-sum', 'ex04-nt-xent.ts.txt'), path.join(sub, 'ex04-nt-xent.ts'));
      const secret = path.join(tmp, 'secret.txt');
      assert.equal(cli(['secret', '--out', secret]).code, 0);
      const r = cli(['grade', sub, '--only', 'ex04', '--no-typecheck', '--json', '--secret', secret, '--out', path.join(tmp, 'out')]);
      assert.equal(r.code, 1, r.err);
      const doc = JSON.parse(r.out); // throws unless stdout is one JSON document and nothing else
      assert.equal(doc.format, 'clab-grade/result@1');
      assert.equal(doc.verb, 'grade');
      assert.equal(doc.submission, sub);
      assert.deepEqual(doc.exercises.map((e: { id: string }) => e.id), ['ex04']);
      const tests = doc.exercises[0].tests as Array<{ name: string; status: string; score: number; maxScore: number; knownMistake: string | null; visibility: string }>;
      assert.equal(doc.score, tests.reduce((a, t) => a + t.score, 0));
      assert.equal(doc.maxScore, tests.reduce((a, t) => a + t.maxScore, 0));
      assert.ok(tests.some((t) => t.visibility === 'hidden'));
      const failed = tests.filter((t) => t.status === 'failed');
      assert.ok(failed.length > 0);
      for (const t of failed) assert.equal(t.knownMistake, 'sum instead of mean');
      for (const t of tests.filter((x) => x.status === 'passed')) assert.equal(t.knownMistake, null);
      assert.equal(typeof doc.sandbox.networkIsolated, 'boolean');
      assert.match(r.err, /TOTAL \d+\/10/); // the human table went to stderr
      // Fresh inputs: the secret's fingerprint, the digest, and seeds that are not the published ones.
      assert.match(doc.inputs.secret, /^[0-9a-f]{16}$/);
      assert.match(doc.inputs.digest, /^[0-9a-f]{64}$/);
      const fixed = SPECS.find((s) => s.id === 'ex04')!.tests.map((t) => t.seed);
      const seeds = (doc.exercises[0].tests as Array<{ seed: number }>).map((t) => t.seed);
      assert.ok(seeds.every((s, i) => Number.isInteger(s) && s !== fixed[i]), seeds.join(', '));
      // Replay the first failing test: from the secret, and from the seed the report recorded.
      const n = tests.findIndex((t) => t.status === 'failed') + 1;
      const bySecret = cli(['replay', sub, 'ex04', String(n), '--secret', secret]);
      assert.equal(bySecret.code, 1, bySecret.err);
      assert.ok(bySecret.out.includes(`seed: ${seeds[n - 1]}, derived from the instructor secret ${doc.inputs.secret}`), bySecret.out);
      assert.match(bySecret.out, /^call 1 of \d+: ntXentLoss\($/m);
      assert.match(bySecret.out, /^ {2}argument 1: tensor \[\d+,\d+\] \[/m);
      assert.match(bySecret.out, /^ {2}expected: tensor \[\] /m);
      assert.match(bySecret.out, /^ {2}received: tensor \[\] /m);
      assert.match(bySecret.out, /^ {2}verdict: differs: /m);
      assert.match(bySecret.out, /^result: FAIL 0\/\d$/m);
      assert.match(bySecret.out, /This looks like a known mistake: sum instead of mean/);
      const bySeed = cli(['replay', sub, 'ex04', tests[n - 1].name, '--seed', String(seeds[n - 1])]);
      assert.equal(bySeed.code, 1, bySeed.err);
      const calls = (out: string) => out.slice(out.indexOf('\ncall 1 of'), out.indexOf('\nresult:'));
      assert.equal(calls(bySeed.out), calls(bySecret.out));
      assert.match(bySeed.out, new RegExp(`^seed: ${seeds[n - 1]}, given with --seed$`, 'm'));
      const unknown = cli(['replay', sub, 'ex04', 'no such test', '--seed', '1']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.err, /no test of ex04 is named or numbered "no such test"; give the name, a part only one name has, or the number:\n {2}1\. /);
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
      // check keeps the fixed seeds of the published public tests.
      assert.equal(doc.inputs.secret, null);
      assert.deepEqual(doc.exercises[0].tests.map((t: { seed: number }) => t.seed), SPECS.find((s) => s.id === 'ex04')!.tests.filter((t) => t.visibility === 'public').map((t) => t.seed));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
