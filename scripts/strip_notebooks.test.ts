import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const STRIP = path.join(ROOT, 'scripts', 'strip_notebooks.mjs');
const CLEAN = path.join(ROOT, 'scripts', 'fixtures', 'ok.ipynb');

function strip(file: string): string {
  const res = spawnSync(process.execPath, [STRIP, file], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  return res.stdout;
}

describe('scripts/strip_notebooks.mjs', function () {
  let dir: string;
  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-strip-'));
  });
  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('strip(executed notebook) gives back the clean notebook byte for byte (nbformat layout)', function () {
    const nb = JSON.parse(fs.readFileSync(CLEAN, 'utf8'));
    nb.cells[1].outputs = [{ output_type: 'stream', name: 'stdout', text: ['answer 42\n'] }];
    nb.cells[1].execution_count = 1;
    nb.cells[1].metadata.execution = { 'iopub.status.busy': '2026-01-01T00:00:00Z' };
    const file = path.join(dir, 'ok.ipynb');
    fs.writeFileSync(file, JSON.stringify(nb, null, 2));
    assert.match(strip(file), /1 of 1 notebook\(s\) changed/);
    assert.equal(fs.readFileSync(file, 'utf8'), fs.readFileSync(CLEAN, 'utf8'));
  });

  it('strip(notebook opened and autosaved in JupyterLab) gives back the clean notebook: language_info, widget state, timing and view state go', function () {
    const nb = JSON.parse(fs.readFileSync(CLEAN, 'utf8'));
    nb.metadata.language_info = { codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true }, file_extension: '.ts', mimetype: 'text/typescript', name: 'typescript', version: '3.7.2' };
    nb.metadata.widgets = { 'application/vnd.jupyter.widget-state+json': { state: {}, version_major: 2, version_minor: 0 } };
    nb.cells[1].outputs = [{ output_type: 'display_data', data: { 'text/html': '<b>x</b>', 'text/plain': 'x' }, metadata: {} }];
    nb.cells[1].execution_count = 7;
    nb.cells[1].metadata = { ...nb.cells[1].metadata, ExecuteTime: { end_time: '2026-01-01T00:00:01Z' }, jupyter: { outputs_hidden: true }, scrolled: true, trusted: true };
    nb.cells[0].metadata = { ...nb.cells[0].metadata, jupyter: { source_hidden: true } };
    const file = path.join(dir, 'ok.ipynb');
    fs.writeFileSync(file, JSON.stringify(nb, null, 1));
    assert.match(strip(file), /1 of 1 notebook\(s\) changed/);
    assert.equal(fs.readFileSync(file, 'utf8'), fs.readFileSync(CLEAN, 'utf8'));
  });

  it('strip(clean notebook) changes nothing', function () {
    const file = path.join(dir, 'ok.ipynb');
    fs.copyFileSync(CLEAN, file);
    const before = fs.statSync(file).mtimeMs;
    assert.match(strip(file), /0 of 1 notebook\(s\) changed/);
    assert.equal(fs.statSync(file).mtimeMs, before);
  });
});
