import assert from 'node:assert/strict';
import { exerciseWork } from './exercise_work';
import { exerciseText } from './gen_exercises';

const SOLUTION = ['export function f(x: number): number {', '  // BEGIN SOLUTION', '  return x;', '  // END SOLUTION', '}', ''].join('\n');
const GENERATED = exerciseText(SOLUTION, 'solutions/ex09-f.ts', 'exercises/ex09-f.ts');

describe('exerciseWork(current, generated)', () => {
  it('exerciseWork(generated, generated) finds no work and a matching skeleton', () => {
    assert.deepEqual(exerciseWork(GENERATED, GENERATED), { filledBlocks: [], foreignLines: [], brokenMarkers: null, skeletonMatches: true });
  });

  it('exerciseWork counts an emptied block (throw deleted, nothing written) as no work', () => {
    const emptied = GENERATED.replace(/^\s*throw new Error\(.*\);$/m, '');
    assert.deepEqual(exerciseWork(emptied, GENERATED).filledBlocks, []);
  });

  it('exerciseWork names a block holding code or only a comment, by the line of its TODO BEGIN', () => {
    for (const body of ['  return x * 2;', '  // idea: use tf.tidy']) {
      const w = exerciseWork(GENERATED.replace(/^\s*throw new Error\(.*\);$/m, body), GENERATED);
      assert.deepEqual(w.filledBlocks, [{ line: 4, preview: body.trim() }]);
      assert.equal(w.skeletonMatches, true, 'work inside the blocks leaves the skeleton as generated');
    }
  });

  it('exerciseWork reads a CRLF file like its LF twin', () => {
    const crlf = GENERATED.replace(/^\s*throw new Error\(.*\);$/m, '  return 3;').replace(/\n/g, '\r\n');
    const w = exerciseWork(crlf, GENERATED);
    assert.deepEqual([w.filledBlocks.length, w.foreignLines, w.skeletonMatches], [1, [], true]);
  });

  it('exerciseWork lists lines added outside the blocks and reports a nested TODO BEGIN', () => {
    const added = `${GENERATED}const helper = 1;\n`;
    assert.deepEqual(exerciseWork(added, GENERATED).foreignLines, [{ line: 8, text: 'const helper = 1;' }]);
    const nested = GENERATED.replace('// TODO END', '// TODO BEGIN again');
    assert.match(String(exerciseWork(nested, GENERATED).brokenMarkers), /line 6: '\/\/ TODO BEGIN' inside the block opened at line 4/);
  });

  it('exerciseWork throws naming the argument types for a non-string', () => {
    assert.throws(() => exerciseWork(undefined as unknown as string, GENERATED), /exerciseWork: current and generated must be strings, got undefined and string/);
  });
});
