import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspectSite } from './inspect_site';
import { exportSite, ExportError, SiteManifest } from './export_site';
import { FIXTURE_CHARTS, FIXTURE_FORMULAS, writeFixtureNotebook } from './test/fixture_notebook';

const quiet = () => undefined;

describe('exportSite and inspectSite (fixture notebook, offline chromium)', function () {
  this.timeout(180_000);
  let dir: string;
  let source: string;
  let from: string;
  let out: string;
  let site: SiteManifest;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-export-'));
    const fixture = await writeFixtureNotebook(dir);
    source = fixture.source;
    from = path.dirname(fixture.executed);
    out = path.join(dir, 'site');
    site = await exportSite({ notebooks: [source], from, out, log: quiet });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exportSite writes index.html, one page per notebook and site.json with what each page holds', () => {
    assert.deepEqual(fs.readdirSync(out).sort(), ['fixture.html', 'index.html', 'site.json']);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'site.json'), 'utf8')), site);
    const [page] = site.pages;
    assert.equal(page.title, 'Fixture · I(x;y) ≥ log N - L');
    assert.deepEqual([page.cells, page.charts, page.images, page.formulas], [8, FIXTURE_CHARTS, 1, FIXTURE_FORMULAS]);
    assert.equal(site.index.formulas, 2); // the title's formula and the one in the first sentence
    assert.equal(page.bytes, fs.statSync(path.join(out, 'fixture.html')).size);
  });

  it('the page holds no reference to another host: every src is a data: URI, no <link>, a CSP that forbids requests', () => {
    // Outside the inlined scripts (vega's own code mentions url( and the like).
    const html = fs.readFileSync(path.join(out, 'fixture.html'), 'utf8').replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>');
    const srcs = [...html.matchAll(/\ssrc="([^"]*)"/g)].map(([, s]) => s);
    assert.equal(srcs.length, FIXTURE_CHARTS + 1); // the charts' static pictures and the PNG
    assert.ok(srcs.every((s) => s.startsWith('data:')), srcs.map((s) => s.slice(0, 40)).join(', '));
    assert.doesNotMatch(html, /<link\b|<script[^>]+src=|@import|url\((?!data:|#|%23)/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; img-src data:;/);
  });

  it('inspectSite opens every page from file:// with the network blocked: 0 requests, charts live with marks, formulas typeset', async () => {
    const shots = path.join(dir, 'shots');
    const result = await inspectSite(out, { shotsDir: shots });
    const page = result.pages.find((p) => p.file === 'fixture.html')!;
    assert.equal(result.ok, true, JSON.stringify(result.pages, null, 1));
    assert.deepEqual(page.blocked, []);
    assert.deepEqual(page.failures, []);
    assert.deepEqual(page.charts, { expected: FIXTURE_CHARTS, drawn: FIXTURE_CHARTS, withMarks: FIXTURE_CHARTS, staticPictures: FIXTURE_CHARTS, failed: [] });
    assert.deepEqual(page.formulas, { expected: FIXTURE_FORMULAS, typeset: FIXTURE_FORMULAS, errors: [] });
    assert.deepEqual(page.rawMath, []);
    assert.ok(fs.statSync(page.screenshot).size > 10_000, 'a full-page screenshot');
    assert.deepEqual(result.pages.map((p) => p.file), ['index.html', 'fixture.html']);
  });

  it('inspectSite fails a page whose chart cannot be drawn, or that has raw TeX or asks the network for something', async () => {
    const broken = path.join(dir, 'broken');
    fs.cpSync(out, broken, { recursive: true });
    const file = path.join(broken, 'fixture.html');
    const html = fs.readFileSync(file, 'utf8')
      .replace('<script type="application/json" class="chart-spec">{', '<script type="application/json" class="chart-spec">{not json ')
      .replace('<p>A page made', '<p>Raw $x$ here and <img src="https://example.org/x.png"> <a href="#Nowhere">a</a> page made');
    fs.writeFileSync(file, html);
    const page = (await inspectSite(broken, { shotsDir: path.join(dir, 'shots2') })).pages.find((p) => p.file === 'fixture.html')!;
    assert.equal(page.ok, false);
    assert.equal(page.charts.withMarks, FIXTURE_CHARTS - 1);
    assert.equal(page.charts.staticPictures, FIXTURE_CHARTS, 'the static picture stays when the live chart fails');
    assert.deepEqual(page.rawMath, ['Raw $x$ here and ']);
    assert.deepEqual(page.deadLinks, ['#Nowhere']);
    assert.ok(page.failures.some((f) => /content security policy: img-src refused https:\/\/example.org\/x.png/.test(f)), page.failures.join('\n'));
  });

  it('exportSite refuses a stale copy, names the changed cell and the command, and keeps the previous site', async () => {
    const before = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    const nb = JSON.parse(fs.readFileSync(source, 'utf8'));
    nb.cells[2].source = 'console.log("changed");';
    const edited = path.join(dir, 'edited', 'fixture.ipynb');
    fs.mkdirSync(path.dirname(edited));
    fs.writeFileSync(edited, JSON.stringify(nb));
    await assert.rejects(
      exportSite({ notebooks: [edited], from, out, log: quiet }),
      (e: Error) => e instanceof ExportError && /fixture\.ipynb: stale - cell 3 changed since it ran/.test(e.message) && /npm run notebooks -- --out-dir=\S+ \S*edited\/fixture\.ipynb/.test(e.message) && /npm run export -- --execute/.test(e.message),
    );
    assert.equal(fs.readFileSync(path.join(out, 'index.html'), 'utf8'), before);
  });

  it('exportSite refuses a formula that does not typeset, naming it, and writes nothing', async () => {
    const bad = path.join(dir, 'bad');
    for (const sub of ['notebooks', 'executed']) {
      fs.mkdirSync(path.join(bad, sub), { recursive: true });
      const nb = JSON.parse(fs.readFileSync(path.join(dir, sub, 'fixture.ipynb'), 'utf8'));
      nb.cells[1].source = 'Broken: $\\frac{1}{$ and $\\nosuchmacro$.';
      fs.writeFileSync(path.join(bad, sub, 'fixture.ipynb'), JSON.stringify(nb));
    }
    await assert.rejects(
      exportSite({ notebooks: [path.join(bad, 'notebooks', 'fixture.ipynb')], from: path.join(bad, 'executed'), out: path.join(bad, 'site'), log: quiet }),
      (e: Error) => /formula \$\\frac\{1\}\{\$ does not typeset: Missing close brace/.test(e.message) && /formula \$\\nosuchmacro\$ does not typeset: Undefined control sequence \\nosuchmacro/.test(e.message),
    );
    assert.equal(fs.existsSync(path.join(bad, 'site')), false);
  });

  it('exportSite names a notebook file that does not exist', async () => {
    await assert.rejects(exportSite({ notebooks: ['notebooks/nope.ipynb'], from, out, log: quiet }), /notebooks\/nope\.ipynb is not a notebook file \(expected an existing \.ipynb/);
  });

  it('exportSite says which notebooks have no executed copy yet', async () => {
    await assert.rejects(
      exportSite({ notebooks: [source], from: path.join(dir, 'nothing-here'), out: path.join(dir, 'site3'), log: quiet }),
      /1 notebook\(s\) have no publishable executed copy in .*nothing-here:\n  .*fixture\.ipynb: missing - no executed copy at/,
    );
  });
});
