import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureSharedSandboxDir, SandboxBase, writeSandboxDir } from './sandbox_files';

/** Every entry under dir, relative, links not followed ('lib -> ...' for a link). */
function entries(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isSymbolicLink()) out.push(`${r} -> ${fs.readlinkSync(path.join(dir, r))}`);
    else if (e.isDirectory()) out.push(`${r}/`, ...entries(dir, r));
    else out.push(r);
  }
  return out.sort();
}

describe('sandbox folders (sandbox_files.ts): the library shared, only the submission written per submission', function () {
  let tmp: string;
  let base: SandboxBase;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-sbxfiles-'));
    // Content and key unique to this run: the shared folder is named by the key.
    const files = new Map([
      ['harness.js', `// harness ${tmp}\n`],
      ['lib/index.js', "exports.mi = require('./mi/k');\n"],
      ['lib/mi/k.js', `exports.k = ${JSON.stringify(tmp)};\n`],
    ]);
    base = { files, readablePackages: [], key: `test-${path.basename(tmp)}` };
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("writes the harness and the library once per environment, and each submission's folder holds its files and a link to that library", () => {
    const cache = path.join(tmp, 'cache');
    const shared = ensureSharedSandboxDir(base, cache)!;
    assert.ok(shared.startsWith(path.join(cache, 'sandbox-shared-')), shared);
    assert.equal(fs.readFileSync(path.join(shared, 'lib', 'mi', 'k.js'), 'utf8'), base.files.get('lib/mi/k.js'));
    const made = fs.statSync(path.join(shared, 'harness.js')).mtimeMs;
    assert.equal(ensureSharedSandboxDir(base, cache), shared, 'the same base: the same folder, not written again');
    assert.equal(fs.statSync(path.join(shared, 'harness.js')).mtimeMs, made);

    const sub = writeSandboxDir(base, new Map([['ex01.js', 'exports.f = 1;\n']]), true, tmp, shared);
    assert.deepEqual(entries(sub.dir), ['exercises/', 'exercises/ex01.js', `lib -> ${path.join(shared, 'lib')}`]);
    assert.equal(sub.harness, path.join(shared, 'harness.js'));
    assert.deepEqual(sub.readable, [sub.dir, shared]);
    // Made readable for the sandbox user without following the link into the shared folder.
    assert.equal(fs.statSync(path.join(shared, 'lib')).mode & 0o777, 0o755);
    assert.equal(fs.statSync(path.join(sub.dir, 'exercises', 'ex01.js')).mode & 0o777, 0o644);
    // What the submission's own imports reach: the shared library, through the link.
    assert.equal(fs.readFileSync(path.join(sub.dir, 'exercises', '..', 'lib', 'mi', 'k.js'), 'utf8'), base.files.get('lib/mi/k.js'));

    const other = base.files.get('lib/mi/k.js') + '// edited\n';
    const edited = ensureSharedSandboxDir({ ...base, files: new Map([...base.files, ['lib/mi/k.js', other]]), key: `${base.key}-edited` }, cache)!;
    assert.notEqual(edited, shared, 'an edited library is another folder');
    assert.equal(fs.readFileSync(path.join(shared, 'lib', 'mi', 'k.js'), 'utf8'), base.files.get('lib/mi/k.js'), 'the first is untouched');
  });

  it('a shared folder that lost a file (a temp cleaner) is made again, never handed to a child half', () => {
    const cache = path.join(tmp, 'cache');
    const shared = ensureSharedSandboxDir(base, cache)!;
    fs.rmSync(path.join(shared, 'lib', 'mi', 'k.js'));
    assert.equal(ensureSharedSandboxDir(base, cache), shared);
    assert.equal(fs.readFileSync(path.join(shared, 'lib', 'mi', 'k.js'), 'utf8'), base.files.get('lib/mi/k.js'));
    fs.writeFileSync(path.join(shared, 'lib', 'index.js'), 'x');
    ensureSharedSandboxDir(base, cache);
    assert.equal(fs.readFileSync(path.join(shared, 'lib', 'index.js'), 'utf8'), base.files.get('lib/index.js'), 'a file of another length: made again');
  });

  it('without a shared folder, copies the harness and the library into the submission\'s folder', () => {
    const sub = writeSandboxDir(base, new Map([['ex01.js', 'exports.f = 1;\n']]), false, tmp);
    assert.deepEqual(entries(sub.dir), ['exercises/', 'exercises/ex01.js', 'harness.js', 'lib/', 'lib/index.js', 'lib/mi/', 'lib/mi/k.js']);
    assert.equal(sub.harness, path.join(sub.dir, 'harness.js'));
    assert.deepEqual(sub.readable, [sub.dir]);
  });

  it('removing a graded submission\'s folder leaves the shared library in place', () => {
    const shared = ensureSharedSandboxDir(base, path.join(tmp, 'cache'))!;
    const sub = writeSandboxDir(base, new Map([['ex01.js', '']]), false, tmp, shared);
    fs.rmSync(sub.dir, { recursive: true, force: true });
    assert.ok(!fs.existsSync(sub.dir));
    assert.ok(fs.existsSync(path.join(shared, 'lib', 'mi', 'k.js')));
  });
});
