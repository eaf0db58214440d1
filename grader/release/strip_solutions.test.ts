import assert from 'node:assert/strict';
import { exerciseId, stripSolutions, SolutionMarkerError } from './strip_solutions';

const paths = { sourcePath: 'solutions/ex09-demo.ts', exercisePath: 'exercises/ex09-demo.ts' };
const strip = (src: string) => stripSolutions(src, paths);

describe('stripSolutions', () => {
  it('stripSolutions(src) replaces one block by a throwing stub between TODO markers, naming exercise, function and file', () => {
    const src = [
      "import * as tf from '@tensorflow/tfjs';",
      '/** Doc. */',
      'export function demo(x: tf.Tensor): tf.Scalar {',
      '  // BEGIN SOLUTION',
      '  return x.sum();',
      '  // END SOLUTION',
      '}',
      '',
    ].join('\n');
    const { text, blocks } = strip(src);
    assert.equal(blocks, 1);
    assert.equal(
      text,
      [
        "import * as tf from '@tensorflow/tfjs';",
        '/** Doc. */',
        'export function demo(x: tf.Tensor): tf.Scalar {',
        '  // TODO BEGIN: write your code here, then delete the throw below.',
        "  throw new Error('ex09 demo: not implemented yet - write your code between the TODO markers in exercises/ex09-demo.ts');",
        '  // TODO END',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('stripSolutions(src) replaces multiple blocks, each named after its own enclosing function', () => {
    const src = [
      'function helper(a: number): number {',
      '    // BEGIN SOLUTION',
      '    return a + 1;',
      '    // END SOLUTION',
      '}',
      'export const main = (b: number): number => {',
      '  const c = b * 2;',
      '  // BEGIN SOLUTION',
      '  return helper(c);',
      '  // END SOLUTION',
      '};',
    ].join('\n');
    const { text, blocks } = strip(src);
    assert.equal(blocks, 2);
    assert.match(text, /^ {4}throw new Error\('ex09 helper: not implemented yet/m);
    assert.match(text, /^ {2}throw new Error\('ex09 main: not implemented yet/m);
    assert.match(text, /const c = b \* 2;/, 'code outside blocks is kept');
    assert.doesNotMatch(text, /return a \+ 1|return helper\(c\)|SOLUTION/);
  });

  it('stripSolutions(src) keeps a file without blocks unchanged and reports 0 blocks', () => {
    const src = 'export const x = 1;\n';
    assert.deepEqual(strip(src), { text: src, blocks: 0 });
  });

  it('stripSolutions(src) preserves CRLF line endings', () => {
    const src = 'function f(): number {\r\n  // BEGIN SOLUTION\r\n  return 1;\r\n  // END SOLUTION\r\n}\r\n';
    const { text } = strip(src);
    assert.ok(!/[^\r]\n/.test(text), 'every LF is preceded by CR');
    assert.match(text, /throw new Error/);
  });

  it('stripSolutions(src) throws naming file and both lines for a nested BEGIN', () => {
    const src = ['function f() {', '  // BEGIN SOLUTION', '  // BEGIN SOLUTION', '  // END SOLUTION', '}'].join('\n');
    assert.throws(
      () => strip(src),
      (e: unknown) =>
        e instanceof SolutionMarkerError &&
        e.file === 'solutions/ex09-demo.ts' &&
        e.line === 3 &&
        /^solutions\/ex09-demo\.ts:3: nested '\/\/ BEGIN SOLUTION' \(the block opened at line 2/.test(e.message),
    );
  });

  it('stripSolutions(src) throws naming file and line for an END without BEGIN', () => {
    const src = ['function f() {', '  return 1;', '  // END SOLUTION', '}'].join('\n');
    assert.throws(() => strip(src), /^SolutionMarkerError: solutions\/ex09-demo\.ts:3: '\/\/ END SOLUTION' without a matching/);
  });

  it('stripSolutions(src) throws naming file and line for a BEGIN never closed', () => {
    const src = ['function f() {', '  // BEGIN SOLUTION', '  return 1;', '}'].join('\n');
    assert.throws(() => strip(src), /solutions\/ex09-demo\.ts:2: '\/\/ BEGIN SOLUTION' is never closed/);
  });

  it('stripSolutions(src) throws for a malformed marker (typo, extra text, block comment)', () => {
    for (const bad of ['  //BEGIN SOLUTION', '  // begin solution', '  /* END SOLUTION */', '  // END SOLUTION here']) {
      const src = ['function f() {', bad, '}'].join('\n');
      assert.throws(() => strip(src), /solutions\/ex09-demo\.ts:2: malformed solution marker/, bad);
    }
  });

  it('exerciseId(path) takes the exNN prefix of the file name', () => {
    assert.equal(exerciseId('exercises/ex01-triplet.ts'), 'ex01');
    assert.equal(exerciseId('other.ts'), 'other');
  });
});
