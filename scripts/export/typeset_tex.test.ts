import assert from 'node:assert/strict';
import { texTypesetter } from './typeset_tex';

describe('texTypesetter', () => {
  it("typeset('\\\\log N - \\\\mathcal{L}', false) is an inline SVG whose glyphs are all defined in glyphDefs()", () => {
    const tex = texTypesetter();
    const html = tex.typeset('\\log N - \\mathcal{L}', false);
    assert.match(html, /^<mjx-container class="MathJax" jax="SVG"[^>]*aria-label="\\log N - \\mathcal\{L\}"[^>]*><svg /);
    assert.doesNotMatch(html, /display="true"/);
    const used = [...html.matchAll(/xlink:href="#([^"]+)"/g)].map(([, id]) => id);
    // l, o, g, the invisible function application (U+2061) after \log, N, minus, calligraphic L:
    // 7 glyphs, each defined once in the page's glyph cache.
    assert.equal(new Set(used).size, 3 + 1 + 1 + 1 + 1);
    const defs = tex.glyphDefs();
    for (const id of used) assert.match(defs, new RegExp(`<path id="${id}" d="`));
    assert.deepEqual(tex.errors, []);
  });

  it("typeset('\\\\begin{aligned} a &= b \\\\\\\\ c &= d \\\\end{aligned}', true) is display math with two rows", () => {
    const tex = texTypesetter();
    const html = tex.typeset('\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}', true);
    assert.match(html, /display="true"/);
    assert.equal(html.match(/data-mml-node="mtr"/g)?.length, 2);
    assert.deepEqual(tex.errors, []);
  });

  it('records a formula that does not typeset (unknown macro, missing brace) with its source and MathJax message', () => {
    const tex = texTypesetter();
    const html = tex.typeset('x + \\foo', false);
    tex.typeset('\\frac{1}{', true);
    assert.match(html, /data-mjx-error="Undefined control sequence \\foo"/);
    assert.deepEqual(tex.errors, [
      { tex: 'x + \\foo', message: 'Undefined control sequence \\foo' },
      { tex: '\\frac{1}{', message: 'Missing close brace' },
    ]);
  });

  it('two typesetters keep separate glyph caches (one per page)', () => {
    const a = texTypesetter();
    const b = texTypesetter();
    a.typeset('x', false);
    b.typeset('y', false);
    assert.match(a.glyphDefs(), /MJX-TEX-I-1D465/); // italic x
    assert.doesNotMatch(a.glyphDefs(), /MJX-TEX-I-1D466/); // italic y
    assert.match(b.glyphDefs(), /MJX-TEX-I-1D466/);
  });
});
