import assert from 'node:assert/strict';
import vm from 'node:vm';
import { CHECK, instrument, wrapCell } from './cell_code';

describe('kernel/cell_code: the JavaScript a cell runs', () => {
  it('every loop body starts with the interrupt check, and every await is checked when it resumes', () => {
    const js = instrument('for (let i = 0; i < 3; i++) x++;\nwhile (a) { b(); }\ndo c(); while (d);\nfor (const k in o) e(k);\nfor (const v of w) f(v);\nconst r = await g();\n', new Set());
    assert.equal(js.split(`${CHECK}()`).length - 1, 5, js);
    assert.match(js, new RegExp(`const r = ${CHECK}\\(await g\\(\\)\\);`));
  });

  it('a synchronous loop stops when the check throws, even with no await in it', () => {
    let calls = 0;
    const check = () => {
      if (++calls > 1000) throw new Error('interrupted');
    };
    const js = instrument('let spins = 0;\nwhile (true) spins++;\n', new Set());
    assert.throws(() => vm.runInThisContext(`(function (${CHECK}) {\n${js}\n})`)(check), /interrupted/);
  });

  it('{q} naming an earlier cell variable becomes {q: exports.q}; a name the cell binds itself stays', () => {
    const js = instrument('exports.tsLastExpr = ({ q, own });\nconst own = 1;\n', new Set(['q', 'own']));
    assert.match(js, /\{ q: exports\.q, own \}/);
  });

  it('a cell with no loop, no await and no bare earlier name runs as emitted; a bare earlier name in any script is rewritten', () => {
    const plain = 'Object.defineProperty(exports, "__esModule", { value: true });\nexports.tsLastExpr = void 0;\nexports.tsLastExpr = exports.q  +  1;\n';
    assert.equal(instrument(plain, new Set(['q', 'Expr'])), plain);
    assert.match(instrument('exports.tsLastExpr = ({ \u00fcber });\n', new Set(['\u00fcber'])), /\{ \u00fcber: exports\.\u00fcber \}/);
    assert.match(instrument('exports.o = {\n  /* kept */ q\n};\n', new Set(['q'])), /q: exports\.q/);
  });

  it('wrapCell runs the code with exports, require and the check from the global the executor sets; the code starts on line 2', () => {
    const script = wrapCell('exports.seen = typeof require;', false);
    assert.equal(script.split('\n')[1], 'exports.seen = typeof require;');
    const exports: Record<string, unknown> = {};
    const key = Symbol.for('jupyter.kernel.cellArguments');
    (globalThis as Record<symbol, unknown>)[key] = [exports, () => undefined, () => undefined];
    try {
      vm.runInThisContext(script);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
    }
    assert.equal(exports.seen, 'function');
  });
});
