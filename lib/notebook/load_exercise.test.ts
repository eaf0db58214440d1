import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadExercise } from './load_exercise';

describe('loadExercise', () => {
  it("loadExercise('ex03-infonce-bound') loads the generated stub, whose functions throw 'not implemented yet'", () => {
    const ex = loadExercise('ex03-infonce-bound');
    assert.equal(typeof ex.verifyInfoNCEBound, 'function');
    assert.throws(() => (ex.infoNCEBound as (s: unknown) => number)(null), /not implemented yet/);
  });

  it('loadExercise(name, {root}) reads the file again on every call (an edit shows without a rebuild)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-load-'));
    fs.mkdirSync(path.join(root, 'exercises'));
    const file = path.join(root, 'exercises', 'ex99-demo.ts');
    fs.writeFileSync(file, 'export const answer: number = 1;\n');
    assert.equal(loadExercise('ex99-demo', { root }).answer, 1);
    fs.writeFileSync(file, 'export const answer: number = 2;\n');
    assert.equal(loadExercise('ex99-demo.ts', { root }).answer, 2);
    fs.writeFileSync(file, 'export const answer: number = ;\n');
    assert.throws(() => loadExercise('ex99-demo', { root }), /exercises\/ex99-demo.ts does not compile:\nexercises\/ex99-demo.ts:1:/);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('loadExercise throws on a bad name and a missing file, listing the exercises there', () => {
    assert.throws(() => loadExercise('../secret'), /loadExercise: name must be an exercise file like 'ex03-infonce-bound', got "..\/secret"/);
    assert.throws(() => loadExercise('ex98-missing'), /no file .*ex98-missing.ts; exercises here: .*ex03-infonce-bound.ts/);
  });
});
