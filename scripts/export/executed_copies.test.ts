import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { executedCopies } from './executed_copies';
import type { Notebook, NotebookCell } from './ipynb';

const md = (source: string): NotebookCell => ({ cell_type: 'markdown', metadata: {}, source });
const code = (source: string, n: number | null, outputs: NotebookCell['outputs'] = []): NotebookCell => ({ cell_type: 'code', metadata: {}, source, execution_count: n, outputs });
const nb = (cells: NotebookCell[]): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });

describe('executedCopies', () => {
  let dir: string;
  let src: string;
  let out: string;
  const write = (file: string, notebook: Notebook) => fs.writeFileSync(file, JSON.stringify(notebook));
  const source = nb([md('# T'), code('const a = 1;', null), code('console.log(a);', null)]);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-copies-'));
    src = path.join(dir, 'nb.ipynb');
    out = path.join(dir, 'out');
    fs.mkdirSync(out);
    write(src, source);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('executedCopies([nb]) is ok for a copy with the same cells, every code cell run', () => {
    write(path.join(out, 'nb.ipynb'), nb([md('# T'), code('const a = 1;', 1), code('console.log(a);', 2, [{ output_type: 'stream', name: 'stdout', text: '1\n' }])]));
    const [c] = executedCopies([src], out);
    assert.equal(c.status, 'ok', c.reason);
    assert.equal(c.notebook?.cells.length, 3);
  });

  it('says missing when the runner never wrote a copy', () => {
    const [c] = executedCopies([src], out);
    assert.equal(c.status, 'missing');
    assert.match(c.reason, /no executed copy at .*out\/nb\.ipynb/);
  });

  it('says stale, naming the cells, when the source changed after the run', () => {
    write(path.join(out, 'nb.ipynb'), nb([md('# T'), code('const a = 2;', 1), code('console.log(a);', 2), code('extra();', 3)]));
    const [c] = executedCopies([src], out);
    assert.equal(c.status, 'stale');
    assert.equal(c.reason, 'cells 2, 4 changed since it ran (3 cells now, 4 when it ran)');
  });

  it("says incomplete when a cell never ran, or failed (tslab's stack trace on stderr)", () => {
    write(path.join(out, 'nb.ipynb'), nb([md('# T'), code('const a = 1;', 1), code('console.log(a);', null)]));
    assert.match(executedCopies([src], out)[0].reason, /^cell 3 did not run to the end/);
    const trace = 'evalmachine.<anonymous>:3\nthrow new Error("boom");\n^\n\nError: boom\n    at evalmachine.<anonymous>:3:7\n';
    write(path.join(out, 'nb.ipynb'), nb([md('# T'), code('const a = 1;', 1), code('console.log(a);', 2, [{ output_type: 'stream', name: 'stderr', text: trace }])]));
    const [c] = executedCopies([src], out);
    assert.equal(c.status, 'incomplete');
    assert.equal(c.reason, 'cell 3 failed: Error: boom');
  });

  it('warns (without refusing) when dist/ was rebuilt after the copy ran', () => {
    const copy = path.join(out, 'nb.ipynb');
    write(copy, nb([md('# T'), code('const a = 1;', 1), code('console.log(a);', 2)]));
    const stamp = path.join(dir, 'stamp');
    fs.writeFileSync(stamp, '');
    const t = Date.now() / 1000;
    fs.utimesSync(copy, t - 60, t - 60);
    fs.utimesSync(stamp, t, t);
    const [c] = executedCopies([src], out, { buildStamp: stamp });
    assert.equal(c.status, 'ok');
    assert.deepEqual(c.warnings, ['the library (dist/) was rebuilt after this copy ran, so its outputs may be out of date']);
  });
});
