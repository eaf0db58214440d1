import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { markdownRenderer } from './markdown_renderer';

const typeset = (tex: string, display: boolean) => `<m${display ? ' d' : ''}>${tex}</m>`;
const at = { dir: '.', where: 'x.ipynb cell 1' };

describe('markdownRenderer', () => {
  it("gives headings JupyterLab's ids (spaces -> '-'), so an agenda's links like #Key-ingredients work", () => {
    const r = markdownRenderer(typeset);
    const html = r.render('1. [Key ingredients](#Key-ingredients)\n\n## Key ingredients\n\n## Self-supervised learning: a short overview', at);
    assert.match(html, /<a href="#Key-ingredients">Key ingredients<\/a>/);
    assert.match(html, /<h2 id="Key-ingredients">Key ingredients<a class="anchor-link" href="#Key-ingredients"/);
    assert.match(html, /<h2 id="Self-supervised-learning:-a-short-overview">/);
  });

  it('numbers a repeated heading id (-1, -2) and keeps the TeX of a heading formula in its id', () => {
    const r = markdownRenderer(typeset);
    const html = r.render('# A\n\n# A\n\n## Bound $I \\ge 0$', at);
    assert.match(html, /<h1 id="A">/);
    assert.match(html, /<h1 id="A-1">/);
    assert.match(html, /<h2 id="Bound-I-\\ge-0">Bound <m>I \\ge 0<\/m>/);
  });

  it('points links to other notebooks (x.ipynb, x.ipynb#part) at their exported pages', () => {
    const html = markdownRenderer(typeset).render('[a](02-infonce-bound.ipynb) [b](03-simclr.ipynb#Train-longer) [c](https://example.org/x.ipynb)', at);
    assert.match(html, /href="02-infonce-bound.html"/);
    assert.match(html, /href="03-simclr.html#Train-longer"/);
    assert.match(html, /href="https:\/\/example.org\/x.ipynb"/);
  });

  it('inlines relative and attached images as data: URIs, and reports one that would come from the network', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-md-'));
    try {
      fs.writeFileSync(path.join(dir, 'dot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      const r = markdownRenderer(typeset);
      const html = r.render('![a dot $x$](dot.png) ![b](attachment:b.png) ![c](https://example.org/c.png)', {
        dir,
        where: 'x.ipynb cell 3',
        attachments: { 'b.png': { 'image/png': 'AAAA' } },
      });
      assert.match(html, /<img src="data:image\/png;base64,iVBORw==" alt="a dot x">/);
      assert.match(html, /<img src="data:image\/png;base64,AAAA" alt="b">/);
      assert.deepEqual(r.problems, ['x.ipynb cell 3: image https://example.org/c.png would be fetched from the network; save it in the repository and link it by a relative path']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders GitHub tables and raw HTML, and typesets math inside them', () => {
    const html = markdownRenderer(typeset).render('| a | $b_1$ |\n|---|---|\n| 1 | 2 |\n\n<div>$c$</div>', at);
    assert.match(html, /<th><m>b_1<\/m><\/th>/);
    assert.match(html, /<div><m>c<\/m><\/div>/);
  });
});
