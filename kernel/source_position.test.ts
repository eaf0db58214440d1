import assert from 'node:assert/strict';
import { commonSubsequence, SourcePositions } from './source_position';

describe('kernel/source_position: from the JavaScript a cell ran back to its TypeScript', () => {
  it('commonSubsequence finds a longest common subsequence (abcabba / cbabac: 4 pairs, each equal)', () => {
    const a = 'abcabba'.split('');
    const b = 'cbabac'.split('');
    const pairs = commonSubsequence(a, b)!;
    assert.equal(pairs.length, 4);
    for (const [i, j] of pairs) assert.equal(a[i], b[j]);
    for (let k = 1; k < pairs.length; k++) assert.ok(pairs[k][0] > pairs[k - 1][0] && pairs[k][1] > pairs[k - 1][1]);
    assert.equal(commonSubsequence(['x'], ['y'], 1), null, 'gives up beyond maxEdits');
  });

  const source = "interface P { a: number }\n\nconst x: number = 6 * 7;\n// note\nfunction f(p: P) {\n  return p.a.b;\n}\nx + f({a: 1})\n";
  const generated = 'Object.defineProperty(exports, "__esModule", { value: true });\nexports.x = exports.f = void 0;\nconst x = 6 * 7;\nexports.x = x;\n// note\nfunction f(p) {\n    return p.a.b;\n}\nexports.f = f;\nexports.tsLastExpr = x + f({ a: 1 });\n';
  const positions = new SourcePositions(source, generated);

  it('a token the compiler kept maps to the same token: the property access in f (line 6 -> 5, indent 4 -> 2)', () => {
    assert.deepEqual(positions.toSource({ line: 6, column: 15 }), { line: 5, column: 13 });
  });

  it('the call in the last line maps to the cell line, though the compiler added `exports.tsLastExpr =` before it', () => {
    assert.deepEqual(positions.toSource({ line: 9, column: 25 }), { line: 7, column: 4 });
  });

  it('a position inside code the compiler added maps to the next token the cell wrote: `exports.tsLastExpr = ` -> the x it assigns', () => {
    assert.deepEqual(positions.toSource({ line: 9, column: 0 }), { line: 7, column: 0 });
  });
});
