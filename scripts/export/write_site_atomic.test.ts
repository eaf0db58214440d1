import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SITE_FORMAT, writeSiteAtomic } from './write_site_atomic';

const manifest = JSON.stringify({ format: SITE_FORMAT });

describe('writeSiteAtomic', () => {
  let parent: string;
  let site: string;
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-site-'));
    site = path.join(parent, 'site');
  });
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('writeSiteAtomic(dir, files) writes every file, then replaces the whole previous site (stale pages go)', () => {
    writeSiteAtomic(site, { 'site.json': manifest, 'index.html': 'v1', 'old.html': 'gone soon' });
    writeSiteAtomic(site, { 'site.json': manifest, 'index.html': 'v2', 'sub/a.html': 'a' });
    assert.deepEqual(fs.readdirSync(site).sort(), ['index.html', 'site.json', 'sub']);
    assert.equal(fs.readFileSync(path.join(site, 'index.html'), 'utf8'), 'v2');
    assert.equal(fs.readFileSync(path.join(site, 'sub', 'a.html'), 'utf8'), 'a');
    assert.deepEqual(fs.readdirSync(parent), ['site'], 'no temporary folders left');
  });

  it('leaves the previous site as it was when writing the new one fails', () => {
    writeSiteAtomic(site, { 'site.json': manifest, 'index.html': 'v1' });
    assert.throws(() => writeSiteAtomic(site, { 'site.json': manifest, 'index.html': 'v2', '../escape.html': 'x' }), /file name "..\/escape.html" leaves the site folder/);
    assert.equal(fs.readFileSync(path.join(site, 'index.html'), 'utf8'), 'v1');
    assert.deepEqual(fs.readdirSync(parent), ['site']);
  });

  it('refuses to replace a folder it did not write, and leaves its files alone', () => {
    fs.mkdirSync(site);
    fs.writeFileSync(path.join(site, 'notes.txt'), 'mine');
    assert.throws(() => writeSiteAtomic(site, { 'site.json': manifest }), /holds files the export did not write \(no site.json of an exported site\); it is left alone: choose another --out/);
    assert.equal(fs.readFileSync(path.join(site, 'notes.txt'), 'utf8'), 'mine');
  });

  it('removes the temporary folders of an export that was killed', () => {
    const dead = path.join(parent, `site.tmp-${2 ** 22 + 12345}-1`); // a pid above Linux's pid_max: not running
    fs.mkdirSync(dead);
    writeSiteAtomic(site, { 'site.json': manifest });
    assert.deepEqual(fs.readdirSync(parent), ['site']);
  });
});
