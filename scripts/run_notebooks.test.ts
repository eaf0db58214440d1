import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The runner is exercised end to end: real Jupyter, the project's kernel, fixture notebooks.
const ROOT = path.resolve(__dirname, '..');
const RUNNER = path.join(ROOT, 'scripts', 'run_notebooks.mjs');
const FIXTURES = path.join(ROOT, 'scripts', 'fixtures');

interface Run {
  status: number | null;
  out: string;
}

function runNotebooks(args: string[]): Run {
  const res = spawnSync(process.execPath, [RUNNER, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  return { status: res.status, out: `${res.stdout}${res.stderr}` };
}

interface Cell {
  cell_type: string;
  outputs?: { output_type: string; name?: string; text?: string | string[] }[];
  execution_count?: number | null;
}

function readCells(file: string): Cell[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: Cell[] }).cells;
}

describe('scripts/run_notebooks.mjs (fixture notebooks through the project kernel)', function () {
  this.timeout(300_000);
  let outDir: string;
  let both: Run;

  before(function () {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-runner-'));
    // fail.ipynb as saved from Jupyter with a stale output in the working tree (not committed):
    // that is a warning only; the failure must still come from executing it. One kernel less.
    const nb = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'fail.ipynb'), 'utf8'));
    nb.cells[1].outputs = [{ output_type: 'stream', name: 'stdout', text: ['stale\n'] }];
    nb.cells[1].execution_count = 7;
    const dirtyFail = path.join(outDir, 'in', 'fail.ipynb');
    fs.mkdirSync(path.dirname(dirtyFail));
    fs.writeFileSync(dirtyFail, JSON.stringify(nb));
    both = runNotebooks([path.join(FIXTURES, 'ok.ipynb'), dirtyFail, `--out-dir=${outDir}`]);
  });

  after(function () {
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('runNotebooks([ok, fail]) exits 1 when any notebook fails', function () {
    assert.equal(both.status, 1, both.out);
    assert.match(both.out, /1 of 2 notebook\(s\) passed/);
  });

  it('runNotebooks([ok]) passes ok.ipynb and writes its executed copy with the cell output', function () {
    assert.match(both.out, /PASS {2}\S*ok\.ipynb {2}2 cells {2}[\d.]+s/);
    const cells = readCells(path.join(outDir, 'ok.ipynb'));
    const text = (cells[1].outputs ?? []).map((o) => [o.text ?? ''].flat().join('')).join('');
    assert.equal(text, 'answer 42\n');
    assert.deepEqual(fs.readdirSync(outDir).filter((f) => f.endsWith('.tmp')), [], 'no temp file left behind');
  });

  it('runNotebooks([fail]) names the failing cell, shows its first source line and the error with its line in the cell', function () {
    assert.match(both.out, /FAIL {2}\S*fail\.ipynb {2}cell 3 of 4 \(index 2\)/);
    assert.match(both.out, /\| \/\/ second/);
    assert.match(both.out, /Error: boom: deliberate failure/);
    // The second code cell ran as In[2]; the throw is on its line 2, column 7.
    assert.match(both.out, /at In\[2\]:2:7/);
    assert.doesNotMatch(both.out, /node:vm|dist\/kernel|node_modules\/tslab/, 'frames of the kernel and its tools are left out');
  });

  it('runNotebooks([fail]) stops at the failing cell: the cells after it do not run', function () {
    const cells = readCells(path.join(outDir, 'fail.ipynb'));
    assert.deepEqual(cells[3].outputs, []);
    assert.equal(cells[3].execution_count, null);
  });

  it('runNotebooks([fail with outputs saved]) warns about working-tree outputs and still executes it', function () {
    assert.match(both.out, /WARN {2}\S*fail\.ipynb has outputs in cells 1 .*npm run notebooks:strip/);
    assert.match(both.out, /FAIL {2}\S*fail\.ipynb {2}cell 3 of 4/);
  });

  it('runNotebooks([slow], --timeout=3) fails with a per-cell timeout instead of waiting forever', function () {
    const slow = runNotebooks([path.join(FIXTURES, 'slow.ipynb'), `--out-dir=${outDir}`, '--timeout=3']);
    assert.equal(slow.status, 1, slow.out);
    assert.match(slow.out, /FAIL {2}\S*slow\.ipynb {2}cell 2 of 2 \(index 1\)/);
    assert.match(slow.out, /timed out after 3 s/);
  });

  it('runNotebooks(--timeout=0) is a usage error naming the bad value', function () {
    const bad = runNotebooks(['--timeout=0']);
    assert.equal(bad.status, 2);
    assert.match(bad.out, /--timeout \(or CLAB_CELL_TIMEOUT\) must be a whole number of seconds > 0, got 0/);
  });
});
