import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { extractMath } from './markdown_math';

// Renders like the exporter, with each formula shown as [tex] (inline) or [[tex]] (display).
const md = new MarkdownIt({ html: true });
function render(src: string): string {
  const m = extractMath(src);
  return m.restore(md.render(m.text), (tex, display) => (display ? `[[${tex}]]` : `[${tex}]`));
}

describe('extractMath', () => {
  it("extractMath('a $x_1$ b $$y^*$$') finds one inline and one display formula, TeX untouched", () => {
    const m = extractMath('a $x_1$ b $$y^*$$');
    assert.deepEqual(m.maths, [{ tex: 'x_1', display: false }, { tex: 'y^*', display: true }]);
    assert.doesNotMatch(m.text, /\$/);
  });

  it('keeps _ and * inside a formula as TeX, where Markdown would make them emphasis', () => {
    assert.equal(render('$a_1 * b_2$ and $c_3 * d_4$'), '<p>[a_1 * b_2] and [c_3 * d_4]</p>\n');
  });

  it("keeps a multi-line inline formula whole when a line of it starts with '- ' (a list item to Markdown)", () => {
    // Notebook 02, step 2 of the derivation.
    const html = render('This gives\n$I \\ge 1 + \\mathbb E[a]\n - \\mathbb E[b].$\n\nNext.');
    assert.doesNotMatch(html, /<li>|<ul>/);
    assert.equal(html, '<p>This gives\n[I \\ge 1 + \\mathbb E[a]\n - \\mathbb E[b].]</p>\n<p>Next.</p>\n');
  });

  it('keeps \\\\ (a TeX line break) and \\begin{aligned}...\\end{aligned} blocks as display math', () => {
    const html = render('Before\n\n\\begin{aligned} a &= b \\\\\n c &= d \\end{aligned}\n\nafter $$x \\\\ y$$');
    assert.match(html, /\[\[\\begin\{aligned\} a &= b \\\\\n c &= d \\end\{aligned\}\]\]/);
    assert.match(html, /\[\[x \\\\ y\]\]/);
  });

  it('reads \\$ as a literal dollar (marked, so it is not mistaken for left-over TeX), not a delimiter', () => {
    const html = render('costs \\$5 and \\$6, not $x$');
    assert.equal(html, '<p>costs <span class="literal-dollar">$</span>5 and <span class="literal-dollar">$</span>6, not [x]</p>\n');
  });

  it('leaves $ inside code spans and fenced code blocks alone', () => {
    const html = render('`$x$` and $y$\n\n```ts\nconst s = `$${a}$`;\n```\n');
    assert.match(html, /<code>\$x\$<\/code> and \[y\]/);
    assert.match(html, /const s = `\$\$\{a\}\$`;/);
    assert.equal(extractMath('`$x$` and $y$').maths.length, 1);
  });

  it('leaves a lone $ and an inline formula that would cross a blank line as text', () => {
    assert.equal(extractMath('a $5 bill').maths.length, 0);
    assert.equal(extractMath('a $x\n\ny$ b').maths.length, 0);
    assert.equal(extractMath('$$ $$').maths.length, 0);
  });

  it('restoreTex puts the TeX back in plain text (heading ids, image alt text)', () => {
    const m = extractMath('Bound $I \\ge 0$');
    assert.equal(m.restoreTex(m.text), 'Bound I \\ge 0');
  });
});
