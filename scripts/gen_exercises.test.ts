import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { driftMessage, generateExercises } from './gen_exercises';

const ROOT = path.resolve(__dirname, '..');

const SOLUTION = [
  'export function demo(x: number): number {',
  '  // BEGIN SOLUTION',
  '  return x + 1;',
  '  // END SOLUTION',
  '}',
  '',
].join('\n');

const EMPTY = { upToDate: [], inProgress: [], drifted: [], withWork: [], backups: [], orphaned: [] };

function tempRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-ex-'));
  fs.mkdirSync(path.join(dir, 'solutions'));
  fs.writeFileSync(path.join(dir, 'solutions', 'ex09-demo.ts'), SOLUTION);
  fs.writeFileSync(path.join(dir, 'solutions', 'ex09-demo.test.ts'), '// a test, not an exercise\n');
  return dir;
}

describe('gen:exercises', () => {
  it('generateExercises({check: true}) finds exercises/ in this repo up to date with solutions/', () => {
    // A learner's code inside the TODO blocks is not drift (report.inProgress); the message
    // tells an instructor and a learner apart when something else differs.
    assert.equal(driftMessage(generateExercises({ root: ROOT, check: true })), '');
  });

  it('generateExercises() writes a stub exercise, then reports it up to date; tests are skipped', () => {
    const dir = tempRepo();
    try {
      const first = generateExercises({ root: dir });
      assert.deepEqual(first, { ...EMPTY, drifted: ['exercises/ex09-demo.ts'] });
      const text = fs.readFileSync(path.join(dir, 'exercises', 'ex09-demo.ts'), 'utf8');
      assert.match(text, /^\/\/ Generated from solutions\/ex09-demo\.ts/);
      assert.match(text, /throw new Error\('ex09 demo: not implemented yet - write your code between the TODO markers in exercises\/ex09-demo\.ts'\)/);
      assert.ok(!fs.existsSync(path.join(dir, 'exercises', 'ex09-demo.test.ts')));
      assert.deepEqual(fs.readdirSync(path.join(dir, 'exercises')), ['ex09-demo.ts'], 'no temp file left behind');
      const second = generateExercises({ root: dir, check: true });
      assert.deepEqual(second, { ...EMPTY, upToDate: ['exercises/ex09-demo.ts'] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generateExercises({check: true}) names an edited exercise and an orphan, and writes nothing', () => {
    const dir = tempRepo();
    try {
      generateExercises({ root: dir });
      const ex = path.join(dir, 'exercises', 'ex09-demo.ts');
      fs.appendFileSync(ex, '// hand edit\n');
      fs.writeFileSync(path.join(dir, 'exercises', 'ex10-orphan.ts'), 'export {};\n');
      const edited = fs.readFileSync(ex, 'utf8');
      const report = generateExercises({ root: dir, check: true });
      assert.deepEqual(report, {
        ...EMPTY,
        withWork: [{ file: 'exercises/ex09-demo.ts', work: ["1 line(s) outside the TODO blocks that solutions/ does not have (first: line 8 '// hand edit')"] }],
        orphaned: ['exercises/ex10-orphan.ts'],
      });
      assert.equal(fs.readFileSync(ex, 'utf8'), edited, '--check must not write');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generateExercises() throws naming the file when a solution has no BEGIN SOLUTION block', () => {
    const dir = tempRepo();
    try {
      fs.writeFileSync(path.join(dir, 'solutions', 'ex09-demo.ts'), 'export const x = 1;\n');
      assert.throws(() => generateExercises({ root: dir }), /solutions\/ex09-demo\.ts:1: no '\/\/ BEGIN SOLUTION' block/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gen_exercises.ts --check exits 1 and names the drifted file; 0 once regenerated', function () {
    this.timeout(30000);
    const dir = tempRepo();
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    const script = path.join(ROOT, 'scripts', 'gen_exercises.ts');
    try {
      const drift = spawnSync(tsx, [script, '--check', '--root', dir], { encoding: 'utf8' });
      assert.equal(drift.status, 1, drift.stderr);
      assert.match(drift.stderr, /exercises\/ is out of date with solutions\/: exercises\/ex09-demo\.ts\.\n[^]*Instructor: run `npm run gen:exercises`/);
      const gen = spawnSync(tsx, [script, '--root', dir], { encoding: 'utf8' });
      assert.equal(gen.status, 0, gen.stderr);
      const ok = spawnSync(tsx, [script, '--check', '--root', dir], { encoding: 'utf8' });
      assert.equal(ok.status, 0, ok.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('a learner who edited exercises/ in place', () => {
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    const script = path.join(ROOT, 'scripts', 'gen_exercises.ts');
    const gen = (dir: string, ...args: string[]) => spawnSync(tsx, [script, '--root', dir, ...args], { encoding: 'utf8' });
    const LEARNER = '  return x + 2; // my attempt';
    let dir: string;
    let ex: string;
    let learnerText: string;

    beforeEach(() => {
      dir = tempRepo();
      generateExercises({ root: dir });
      ex = path.join(dir, 'exercises', 'ex09-demo.ts');
      const stub = fs.readFileSync(ex, 'utf8');
      // The learner replaces the throw by code, as the header asks.
      learnerText = stub.replace(/^\s*throw new Error\(.*\);$/m, LEARNER);
      assert.notEqual(learnerText, stub);
      fs.writeFileSync(ex, learnerText);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('--check passes: code only inside the TODO blocks is work in progress, not drift', () => {
      const report = generateExercises({ root: dir, check: true });
      assert.deepEqual(report, { ...EMPTY, inProgress: ['exercises/ex09-demo.ts'] });
      assert.equal(driftMessage(report), '');
      const r = gen(dir, '--check');
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /0 exercise\(s\) up to date, 1 with work in their TODO blocks \(not drift\)/);
    });

    it('gen:exercises leaves the file alone and says so (exit 0: nothing is out of date)', () => {
      const r = gen(dir);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /exercises\/ex09-demo\.ts holds work in its TODO blocks and is otherwise up to date: left as it is/);
      assert.equal(fs.readFileSync(ex, 'utf8'), learnerText);
    });

    it('after the solution changes, gen:exercises refuses (exit 1) and --check tells the learner and the instructor apart', () => {
      fs.writeFileSync(path.join(dir, 'solutions', 'ex09-demo.ts'), `/** Adds one. */\n${SOLUTION}`);
      const refused = gen(dir);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /refused to overwrite 1 file\(s\) that hold someone's work:\n {2}exercises\/ex09-demo\.ts: code in 1 TODO block\(s\) \(line 4\)/);
      assert.match(refused.stderr, /Learner: you do not need gen:exercises; your files are untouched\. Test your code with `npm run check`/);
      assert.match(refused.stderr, /Instructor: `npm run gen:exercises -- --force` regenerates them and keeps a backup/);
      assert.equal(fs.readFileSync(ex, 'utf8'), learnerText, 'the learner\'s file is untouched');
      const check = gen(dir, '--check');
      assert.equal(check.status, 1);
      assert.match(check.stderr, /Learner: your work is safe; nothing has touched it\. Do NOT run gen:exercises\. Test your code with `npm run check`/);
      assert.match(check.stderr, /Instructor: `npm run gen:exercises` will refuse to overwrite these files; `npm run gen:exercises -- --force`/);
      assert.doesNotMatch(check.stderr, /hold no one's work/);
    });

    it('--force regenerates the file and keeps the learner\'s text in a backup next to it, naming it', () => {
      fs.writeFileSync(path.join(dir, 'solutions', 'ex09-demo.ts'), `/** Adds one. */\n${SOLUTION}`);
      const r = gen(dir, '--force');
      assert.equal(r.status, 0, r.stderr);
      const m = /wrote exercises\/ex09-demo\.ts; its previous text \(someone's work\) is in (exercises\/ex09-demo\.ts\.\d{8}-\d{6}\.bak)/.exec(r.stdout);
      assert.ok(m, r.stdout);
      assert.equal(fs.readFileSync(path.join(dir, m[1]), 'utf8'), learnerText);
      assert.match(fs.readFileSync(ex, 'utf8'), /not implemented yet/);
      assert.deepEqual(generateExercises({ root: dir, check: true }).upToDate, ['exercises/ex09-demo.ts'], 'the backup is not an exercise');
    });

    it('a helper added outside the TODO blocks (stubs untouched) is work too, unless git holds the file as committed', () => {
      const stub = fs.readFileSync(path.join(dir, 'solutions', 'ex09-demo.ts'), 'utf8');
      generateExercises({ root: dir, force: true, now: new Date(0) });
      fs.rmSync(path.join(dir, 'exercises', 'ex09-demo.ts.19700101-000000.bak'));
      const withHelper = `${fs.readFileSync(ex, 'utf8')}export function myHelper(): number {\n  return 41;\n}\n`;
      fs.writeFileSync(ex, withHelper);
      fs.writeFileSync(path.join(dir, 'solutions', 'ex09-demo.ts'), `/** Adds one. */\n${stub}`);
      const refused = generateExercises({ root: dir });
      assert.deepEqual(refused.withWork.map((w) => w.work), [["2 line(s) outside the TODO blocks that solutions/ does not have (first: line 8 'export function myHelper(): number {')"]]);
      assert.equal(fs.readFileSync(ex, 'utf8'), withHelper);
      // Committed as is, the file can be regenerated: `git show HEAD:exercises/ex09-demo.ts` keeps it.
      const git = (...args: string[]) => spawnSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' });
      assert.equal(git('init', '-q').status, 0);
      assert.equal(git('add', 'exercises/ex09-demo.ts').status, 0);
      assert.equal(git('commit', '-qm', 'x').status, 0);
      const again = generateExercises({ root: dir });
      assert.deepEqual([again.drifted, again.withWork], [['exercises/ex09-demo.ts'], []]);
    });

    it('TODO markers that do not pair up count as work (the file cannot be read safely)', () => {
      fs.writeFileSync(ex, learnerText.replace(/^\s*\/\/ TODO END\s*$/m, ''));
      fs.writeFileSync(path.join(dir, 'solutions', 'ex09-demo.ts'), `/** Adds one. */\n${SOLUTION}`);
      const report = generateExercises({ root: dir });
      assert.equal(report.withWork.length, 1);
      assert.match(report.withWork[0].work.join('; '), /TODO markers that do not pair up \(line 4: '\/\/ TODO BEGIN' is never closed by '\/\/ TODO END'\)/);
    });
  });
});
