import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateExercises } from './gen_exercises';

const ROOT = path.resolve(__dirname, '..');

const SOLUTION = [
  'export function demo(x: number): number {',
  '  // BEGIN SOLUTION',
  '  return x + 1;',
  '  // END SOLUTION',
  '}',
  '',
].join('\n');

function tempRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-ex-'));
  fs.mkdirSync(path.join(dir, 'solutions'));
  fs.writeFileSync(path.join(dir, 'solutions', 'ex09-demo.ts'), SOLUTION);
  fs.writeFileSync(path.join(dir, 'solutions', 'ex09-demo.test.ts'), '// a test, not an exercise\n');
  return dir;
}

describe('gen:exercises', () => {
  it('generateExercises({check: true}) finds exercises/ in this repo up to date with solutions/', () => {
    const report = generateExercises({ root: ROOT, check: true });
    assert.deepEqual(
      { drifted: report.drifted, orphaned: report.orphaned },
      { drifted: [], orphaned: [] },
      'exercises/ drifted from solutions/: run `npm run gen:exercises` and commit exercises/',
    );
  });

  it('generateExercises() writes a stub exercise, then reports it up to date; tests are skipped', () => {
    const dir = tempRepo();
    try {
      const first = generateExercises({ root: dir });
      assert.deepEqual(first, { upToDate: [], drifted: ['exercises/ex09-demo.ts'], orphaned: [] });
      const text = fs.readFileSync(path.join(dir, 'exercises', 'ex09-demo.ts'), 'utf8');
      assert.match(text, /^\/\/ Generated from solutions\/ex09-demo\.ts/);
      assert.match(text, /throw new Error\('ex09 demo: not implemented yet - write your code between the TODO markers in exercises\/ex09-demo\.ts'\)/);
      assert.ok(!fs.existsSync(path.join(dir, 'exercises', 'ex09-demo.test.ts')));
      assert.deepEqual(fs.readdirSync(path.join(dir, 'exercises')), ['ex09-demo.ts'], 'no temp file left behind');
      const second = generateExercises({ root: dir, check: true });
      assert.deepEqual(second, { upToDate: ['exercises/ex09-demo.ts'], drifted: [], orphaned: [] });
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
      assert.deepEqual(report, { upToDate: [], drifted: ['exercises/ex09-demo.ts'], orphaned: ['exercises/ex10-orphan.ts'] });
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
      assert.match(drift.stderr, /exercises\/ex09-demo\.ts is out of date/);
      const gen = spawnSync(tsx, [script, '--root', dir], { encoding: 'utf8' });
      assert.equal(gen.status, 0, gen.stderr);
      const ok = spawnSync(tsx, [script, '--check', '--root', dir], { encoding: 'utf8' });
      assert.equal(ok.status, 0, ok.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
