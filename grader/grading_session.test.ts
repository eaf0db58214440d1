import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VERBS } from './cli';
import { runCommandLine } from './command_line/run_command_line';
import { PROJECT_ROOT, writeNewSecretFile } from './engine';

/** Runs a command line in this process with stdout and stderr captured; returns its exit code and the session's events. */
async function run(argv: string[]): Promise<{ code: number; events: string[]; out: string }> {
  const events: string[] = [];
  let out = '';
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((out += s), true)) as typeof process.stderr.write;
  try {
    return { code: await runCommandLine(VERBS, argv, { observe: (ev) => events.push(ev) }), events, out };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

const count = (events: string[], kind: string) => events.filter((e) => e === kind).length;

describe('one grading session per command: check, grade and grade-all set up and prove the sandbox once', function () {
  this.timeout(300000);
  let tmp: string;
  const reference = (dir: string) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(PROJECT_ROOT, 'solutions', 'ex01-triplet.ts'), path.join(dir, 'ex01-triplet.ts'));
    return dir;
  };

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-session-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const commands: Array<[string, () => string[]]> = [
    ['check <dir>', () => ['check', reference(path.join(tmp, 'check')), '--only', 'ex01', '--no-typecheck']],
    ['grade <dir>', () => ['grade', reference(path.join(tmp, 'grade')), '--only', 'ex01', '--no-typecheck', '--out', path.join(tmp, 'grade-out')]],
    // Two submissions graded by one command: still one set-up and one canary.
    ['grade-all <dir> (2 submissions)', () => {
      const subs = path.join(tmp, 'subs');
      for (const name of ['alice', 'bob']) reference(path.join(subs, name));
      const secret = path.join(tmp, 'secret.txt');
      writeNewSecretFile(secret);
      return ['grade-all', subs, '--only', 'ex01', '--no-typecheck', '--jobs', '2', '--secret', secret, '--out', path.join(tmp, 'all-out')];
    }],
  ];
  for (const [what, argv] of commands) {
    it(`clab-grade ${what} prepares the sandbox once and runs the canary once, then grades full marks`, async () => {
      const r = await run(argv());
      assert.equal(r.code, 0, r.out);
      assert.equal(count(r.events, 'sandbox-prepared'), 1, r.events.join(', '));
      assert.equal(count(r.events, 'canary-run'), 1, r.events.join(', '));
      assert.deepEqual(r.events, ['sandbox-prepared', 'canary-run']);
    });
  }

  it('a usage error found by the session (--only ex99) is exit 2 before the sandbox is touched', async () => {
    const r = await run(['check', reference(path.join(tmp, 'only')), '--only', 'ex99', '--no-typecheck']);
    assert.equal(r.code, 2);
    assert.match(r.out, /--only names "ex99", not an exercise here; valid ids: ex01, ex02, ex03, ex04, ex05/);
    assert.deepEqual(r.events, []);
  });
});
