import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../engine/project_root';
import { graderCacheDir, readCache, writeCache } from './grader_cache';
import { CHILD_FILES, sandboxBase } from './sandbox_files';
import { transpile } from './transpile';

describe("the grader's cache (grader_cache.ts) and the library compiled for the sandbox", function () {
  this.timeout(120000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-cache-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("lives in this user's private folder under the temp folder; a value is found under its own key only; entries unused for a week go", () => {
    const dir = graderCacheDir()!;
    assert.equal(dir, path.join(fs.realpathSync(os.tmpdir()), `clab-grader-${process.getuid!()}`));
    assert.equal(fs.statSync(dir).mode & 0o022, 0);
    const kind = `test-${process.pid}`;
    writeCache(kind, 'old', { v: 0 });
    const old = path.join(dir, `${kind}-old.json`);
    const weekAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    fs.utimesSync(old, weekAgo, weekAgo);
    writeCache(kind, 'a', { v: 1 });
    assert.deepEqual(readCache(kind, 'a'), { v: 1 });
    assert.equal(readCache(kind, 'b'), null);
    assert.ok(!fs.existsSync(old), 'unused for 8 days: removed when another entry of its kind was written');
    fs.rmSync(path.join(dir, `${kind}-a.json`));
  });

  it('sandboxBase: the library compiled once per environment, keyed by its sources (the same sources elsewhere reuse it, an edit compiles again)', () => {
    const project = (name: string, lib: string): string => {
      const root = path.join(tmp, name);
      fs.mkdirSync(path.join(root, 'grader', 'sandbox'), { recursive: true });
      for (const f of [...CHILD_FILES, 'transpile.ts']) fs.copyFileSync(path.join(PROJECT_ROOT, 'grader', 'sandbox', f), path.join(root, 'grader', 'sandbox', f));
      fs.mkdirSync(path.join(root, 'lib', 'mi'), { recursive: true });
      fs.writeFileSync(path.join(root, 'lib', 'mi', 'k.ts'), lib);
      fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
      return root;
    };
    const src = `export const k = ${process.pid} as number;\n`;
    const a = sandboxBase(project('a', src));
    assert.equal(a.files.get('lib/mi/k.js'), transpile(src, 'mi/k.ts').js);
    assert.equal(a.files.get('harness.js'), transpile(fs.readFileSync(path.join(PROJECT_ROOT, 'grader', 'sandbox', 'harness.ts'), 'utf8'), 'harness.ts').js);
    const entry = fs.readdirSync(graderCacheDir()!).filter((f) => f.startsWith('sandbox-lib-')).map((f) => path.join(graderCacheDir()!, f)).find((f) => fs.readFileSync(f, 'utf8').includes(String(process.pid)))!;
    assert.ok(entry, 'kept in the cache');
    // Mark the kept copy: a second project with the same sources must get it from there.
    fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace(`k = ${process.pid}`, `k = ${process.pid} /* from the cache */`));
    assert.match(sandboxBase(project('b', src)).files.get('lib/mi/k.js')!, /from the cache/);
    const edited = `export const k = ${process.pid} + 1;\n`;
    assert.equal(sandboxBase(project('c', edited)).files.get('lib/mi/k.js'), transpile(edited, 'mi/k.ts').js, 'an edited library is compiled again');
    for (const f of fs.readdirSync(graderCacheDir()!).filter((x) => x.startsWith('sandbox-lib-'))) {
      if (fs.readFileSync(path.join(graderCacheDir()!, f), 'utf8').includes(`k = ${process.pid}`)) fs.rmSync(path.join(graderCacheDir()!, f));
    }
  });
});
