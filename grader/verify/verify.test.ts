import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { buildReleaseManifest, canonicalBytes, checkCourseFiles, parseReleaseManifest, readReleaseManifest, RELEASE_MANIFEST_FILE, releaseManifestText, type ReleaseManifest } from '../engine/course_files';
import { PROJECT_ROOT } from '../engine/project_root';
import type { CourseFilesCheck } from '../engine/result_types';
import { SubmissionError, UsageError } from '../exit_codes';
import { deflated, HOSTILE_ARCHIVES, rawZip } from '../fixtures/archive_fixtures';
import { copyOfRelease, sharedRelease } from '../fixtures/shared_release';
import { RELEASE_VERB } from '../release/release';

/** Every file under dir, relative, with `/`. */
function files(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.lstatSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join('/'));
}

/** What a check found, in the words `verify` prints. */
const changes = (c: CourseFilesCheck) => [...c.modified.map((p) => `modified: ${p}`), ...c.added.map((p) => `added: ${p}`), ...c.missing.map((p) => `missing: ${p}`)];

describe('the release manifest: release writes it, verify and grade --manifest compare a repository with it', function () {
  this.timeout(300000);
  let tmp: string;
  let instructor: ReleaseManifest;
  let n = 0;
  /** A fresh copy of the release, changed by `change` (called with the copy's folder). */
  const tampered = (change: (dir: string) => void): string => {
    const dir = copyOfRelease(path.join(tmp, `copy-${n++}`));
    change(dir);
    return dir;
  };
  const check = (dir: string) => checkCourseFiles(dir, instructor, sharedRelease().manifest);
  const edit = (dir: string, rel: string, f: (text: string) => string) => {
    const file = path.join(dir, rel);
    const before = fs.readFileSync(file, 'utf8');
    const after = f(before);
    assert.notEqual(after, before, `the edit of ${rel} changed nothing`);
    fs.writeFileSync(file, after);
  };

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-verify-test-'));
    instructor = readReleaseManifest(sharedRelease().manifest);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('lists every course file of the release with its SHA-256, sorted, and nothing else; the instructor copy is outside the release and equals the student copy', () => {
    const { dir, manifest } = sharedRelease();
    assert.ok(path.relative(dir, manifest).startsWith('..'), 'the instructor copy is outside the release');
    assert.equal(fs.readFileSync(manifest, 'utf8'), fs.readFileSync(path.join(dir, RELEASE_MANIFEST_FILE), 'utf8'));
    const guarded = files(dir).filter((f) => /^(\.github\/workflows|grader|lib|scripts)\//.test(f) || ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'].includes(f));
    assert.deepEqual(Object.keys(instructor.files), guarded.filter((f) => f !== RELEASE_MANIFEST_FILE).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    for (const f of ['.github/workflows/classroom.yml', 'grader/frozen/public-tests.json', 'grader/cli.ts', 'lib/index.ts', 'scripts/student_test.mjs', 'package.json', 'package-lock.json', 'tsconfig.json']) assert.ok(f in instructor.files, f);
    assert.deepEqual(files(dir).filter((f) => /^(exercises|notebooks)\//.test(f) && f in instructor.files), [], 'the student\'s exercises and notebooks are not guarded');
    assert.equal(sharedRelease().report.manifest.digest, instructor.digest);
    assert.equal(buildReleaseManifest(dir).digest, instructor.digest, 'the same release gives the same manifest');
  });

  it("release refuses to put the instructor's copy inside the release or over an existing file (exit 2), before writing anything", async () => {
    const out = path.join(tmp, 'never');
    const run = (manifest: string) => RELEASE_VERB.run({ positionals: [out], flags: { manifest } }, {});
    await assert.rejects(run(path.join(out, 'keep.json')), (e: Error) => e instanceof UsageError && /--manifest .*keep\.json is inside the release .*never; the instructor's copy must stay outside/.test(e.message));
    const old = path.join(tmp, 'old.manifest.json');
    fs.writeFileSync(old, '{}');
    await assert.rejects(run(old), (e: Error) => e instanceof UsageError && /old\.manifest\.json exists \(the manifest of an earlier release\?\); move it away or give --manifest FILE/.test(e.message));
    assert.ok(!fs.existsSync(out));
  });

  it('`clab-grade verify` in the release (its own grader) says "course files: verified" and exits 0', () => {
    const dir = copyOfRelease(path.join(tmp, 'own-cli'));
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const r = spawnSync(process.execPath, [path.join(dir, 'grader', 'bin', 'clab-grade.js'), 'verify'], { cwd: dir, encoding: 'utf8', env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, `course files: verified (all ${Object.keys(instructor.files).length} as released; release manifest ${instructor.digest.slice(0, 12)})\n`);
  });

  it('names a changed frozen test value, the workflow, grader code, package.json, the lockfile and lib/ as modified', () => {
    const c = check(
      tampered((d) => {
        edit(d, 'grader/frozen/public-tests.json', (t) => t.replace(/"points":(\d+)/, (_, p) => `"points":${Number(p) + 1}`));
        edit(d, '.github/workflows/classroom.yml', (t) => t.replace('node grader/bin/clab-grade.js verify', 'true'));
        edit(d, 'grader/engine/score_test.ts', (t) => `${t}\n// a student was here\n`);
        edit(d, 'package.json', (t) => t.replace('"test": "node scripts/student_test.mjs"', '"test": "echo 53/53"'));
        edit(d, 'package-lock.json', (t) => t.replace(/"version": "4\.22\.0"/, '"version": "4.21.0"'));
        edit(d, 'lib/index.ts', (t) => `${t}export { ntXent as helper } from './losses';\n`);
      }),
    );
    assert.equal(c.status, 'modified');
    assert.deepEqual(changes(c), ['.github/workflows/classroom.yml', 'grader/engine/score_test.ts', 'grader/frozen/public-tests.json', 'lib/index.ts', 'package-lock.json', 'package.json'].map((f) => `modified: ${f}`));
  });

  it('names a file added to grader/, lib/ or the workflows (also a hidden workflow), and a missing file; OS and editor clutter outside the workflows is not counted', () => {
    const c = check(
      tampered((d) => {
        fs.writeFileSync(path.join(d, 'grader', 'specs', 'ex99-mine.ts'), 'export {};\n');
        fs.mkdirSync(path.join(d, 'lib', 'node_modules', '@tensorflow', 'tfjs'), { recursive: true });
        fs.writeFileSync(path.join(d, 'lib', 'node_modules', '@tensorflow', 'tfjs', 'index.js'), 'module.exports = {};\n');
        fs.writeFileSync(path.join(d, '.github', 'workflows', '.score.yml'), 'on: push\n');
        fs.rmSync(path.join(d, 'tsconfig.json'));
        fs.writeFileSync(path.join(d, 'grader', '.DS_Store'), '\0\0\0\x01Bud1');
        fs.writeFileSync(path.join(d, 'lib', '.index.ts.swp'), 'vim');
        fs.mkdirSync(path.join(d, 'scripts', '__pycache__'));
        fs.writeFileSync(path.join(d, 'scripts', '__pycache__', 'x.pyc'), 'py');
        // Not guarded: the student's own work and the notebooks.
        fs.writeFileSync(path.join(d, 'exercises', 'notes.md'), 'mine\n');
        edit(d, 'exercises/ex04-nt-xent.ts', (t) => `${t}\n// my work\n`);
        fs.writeFileSync(path.join(d, 'notebooks', 'scratch.ipynb'), '{}');
      }),
    );
    assert.deepEqual(changes(c), ['added: .github/workflows/.score.yml', 'added: grader/specs/ex99-mine.ts', 'added: lib/node_modules/@tensorflow/tfjs/index.js', 'missing: tsconfig.json']);
  });

  it('CRLF line endings (a Windows checkout with core.autocrlf) are not a change; a lone CR, or CRLF in a file with a NUL byte, is', () => {
    const crlf = tampered((d) => {
      for (const f of Object.keys(instructor.files)) {
        const b = fs.readFileSync(path.join(d, f));
        if (!b.includes(0)) fs.writeFileSync(path.join(d, f), b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
      }
    });
    assert.ok(fs.readFileSync(path.join(crlf, 'grader', 'frozen', 'public-tests.json'), 'utf8').endsWith('\r\n'));
    assert.equal(check(crlf).status, 'verified', changes(check(crlf)).join('\n'));
    const lone = tampered((d) => edit(d, 'grader/cli.ts', (t) => t.replace('\n', '\r')));
    assert.deepEqual(changes(check(lone)), ['modified: grader/cli.ts']);
    assert.deepEqual(canonicalBytes(Buffer.from('a\r\nb\0\r\n', 'latin1')), Buffer.from('a\r\nb\0\r\n', 'latin1'), 'a file with a NUL byte is hashed as it is');
  });

  it('a symbolic link in place of a course file is modified, even to an identical copy', () => {
    const c = check(
      tampered((d) => {
        const f = path.join(d, 'grader', 'cli.ts');
        fs.copyFileSync(f, path.join(tmp, 'cli-copy.ts'));
        fs.rmSync(f);
        fs.symlinkSync(path.join(tmp, 'cli-copy.ts'), f);
      }),
    );
    assert.deepEqual(changes(c), ['modified: grader/cli.ts']);
  });

  it("the student's copy of the manifest must say what the instructor's says: re-hashing after a change still shows the change", () => {
    const d = tampered((dir) => {
      edit(dir, 'grader/frozen/public-tests.json', (t) => t.replace(/"points":(\d+)/, (_, p) => `"points":${Number(p) + 1}`));
      fs.writeFileSync(path.join(dir, RELEASE_MANIFEST_FILE), releaseManifestText(buildReleaseManifest(dir)));
    });
    const own = readReleaseManifest(path.join(d, RELEASE_MANIFEST_FILE));
    assert.equal(checkCourseFiles(d, own, 'own copy').status, 'verified', 'against its own re-made copy the student side is fooled');
    assert.deepEqual(changes(check(d)), ['modified: grader/frozen/public-tests.json', `modified: ${RELEASE_MANIFEST_FILE}`]);
    const reformatted = tampered((dir) => fs.writeFileSync(path.join(dir, RELEASE_MANIFEST_FILE), JSON.stringify(instructor)));
    assert.equal(check(reformatted).status, 'verified', 'the same manifest formatted otherwise is the same');
  });

  it('an edited manifest is refused (its digest no longer matches its files), naming the file and the fix', () => {
    const m = JSON.parse(fs.readFileSync(sharedRelease().manifest, 'utf8')) as ReleaseManifest;
    m.files['grader/cli.ts'] = '0'.repeat(64);
    assert.throws(() => parseReleaseManifest(JSON.stringify(m), 'mine.json'), /mine\.json is not a usable release manifest: its digest does not match its files \(the file was edited\); use the file that clab-grade release wrote/);
    assert.throws(() => parseReleaseManifest('{"format":"other"}', 'x.json'), /format must be "clab-release-manifest@1", got "other"/);
    assert.throws(() => readReleaseManifest(path.join(tmp, 'none.json')), /release manifest .*none\.json does not exist; give the file that clab-grade release wrote/);
    const escape = { ...instructor, files: { '../outside': '0'.repeat(64) } };
    assert.throws(() => parseReleaseManifest(JSON.stringify(escape), 'e.json'), /"\.\.\/outside" -> "0{64}" is not a relative path and a SHA-256/);
  });

  it('a submission of only exercises/ (folder or zip) is "no-course-files", never verified; a repository under one top folder, or zipped with one, is found', () => {
    const only = path.join(tmp, 'only');
    fs.mkdirSync(path.join(only, 'exercises'), { recursive: true });
    fs.copyFileSync(path.join(sharedRelease().dir, 'exercises', 'ex04-nt-xent.ts'), path.join(only, 'exercises', 'ex04-nt-xent.ts'));
    assert.equal(check(only).status, 'no-course-files');
    const onlyZip = path.join(tmp, 'only.zip');
    fs.writeFileSync(onlyZip, zipSync({ 'exercises/ex04-nt-xent.ts': strToU8('export {};\n') }));
    assert.deepEqual(check(onlyZip), { ...check(only), status: 'no-course-files' });

    const top = path.join(tmp, 'download');
    copyOfRelease(path.join(top, 'course-main'));
    assert.equal(check(top).status, 'verified');

    // GitHub's "Download ZIP": one top folder; one file written with Windows separators and CRLF, a __MACOSX copy beside it.
    const entries: Record<string, Uint8Array> = {};
    for (const f of files(sharedRelease().dir)) entries[`course-main/${f}`] = fs.readFileSync(path.join(sharedRelease().dir, f));
    const cli = entries['course-main/grader/cli.ts'];
    delete entries['course-main/grader/cli.ts'];
    entries['course-main\\grader\\cli.ts'] = strToU8(Buffer.from(cli).toString('utf8').replace(/\n/g, '\r\n'));
    entries['__MACOSX/course-main/grader/._cli.ts'] = strToU8('resource fork');
    const zip = path.join(tmp, 'download.zip');
    fs.writeFileSync(zip, zipSync(entries));
    assert.equal(check(zip).status, 'verified', changes(check(zip)).join('\n'));
    entries['course-main/grader/frozen/public-tests.json'] = strToU8('{}');
    entries['course-main/lib/extra.ts'] = strToU8('export {};');
    delete entries['course-main/package.json'];
    fs.writeFileSync(zip, zipSync(entries));
    assert.deepEqual(changes(check(zip)), ['modified: grader/frozen/public-tests.json', 'added: lib/extra.ts', 'missing: package.json']);
  });

  it('a zip is read by the bounded reader the submissions are read with: what it refuses is refused here with the same line, and a course file that does not inflate to what it declares is modified', () => {
    for (const name of ['100 entries pointing at one 2 GiB deflate stream', 'a 2 GiB bomb']) {
      const h = HOSTILE_ARCHIVES.find((x) => x.name === name)!;
      const zip = h.make(path.join(tmp, `hostile-${n++}.zip`), path.join(tmp, `work-${n}`));
      const refused = 'refused' in h.expect ? h.expect.refused : assert.fail(`${name} is read, not refused`);
      assert.throws(() => check(zip), (e: Error) => e instanceof SubmissionError && refused.test(e.message) && e.message.startsWith(`${zip}: `), name);
    }
    const entries = files(sharedRelease().dir).map((f) => deflated(`course-main/${f}`, fs.readFileSync(path.join(sharedRelease().dir, f))));
    const zip = path.join(tmp, 'bad-crc.zip');
    const cli = entries.findIndex((e) => e.name === 'course-main/grader/cli.ts');
    entries[cli] = { ...entries[cli], crc: (entries[cli].crc ^ 1) >>> 0 };
    fs.writeFileSync(zip, rawZip(entries));
    assert.deepEqual(changes(check(zip)), ['modified: grader/cli.ts']);
  });

  it('`clab-grade verify` on a changed repository prints each file, how to restore it, the job summary and annotations, and exits 1; a name cannot start a workflow command', () => {
    const dir = tampered((d) => {
      edit(d, 'grader/frozen/public-tests.json', (t) => t.replace(/"points":(\d+)/, (_, p) => `"points":${Number(p) + 1}`));
      fs.writeFileSync(path.join(d, 'lib', 'x\n::notice::53 of 53.ts'), '');
    });
    const summary = path.join(tmp, 'step-summary.md');
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'grader', 'bin', 'clab-grade.js'), 'verify', dir, '--manifest', sharedRelease().manifest], {
      encoding: 'utf8',
      env: { ...process.env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^course files: MODIFIED since the release \(1 modified, 1 added; release manifest [0-9a-f]{12}\)$/);
    assert.ok(lines.includes('  modified: grader/frozen/public-tests.json'), r.stdout);
    assert.ok(lines.includes('  added: "lib/x\\n::notice::53 of 53.ts"'), r.stdout);
    assert.ok(lines.includes('  git checkout $(git rev-list --max-parents=0 HEAD) -- grader/frozen/public-tests.json'), r.stdout);
    assert.ok(lines.includes('::error file=grader/frozen/public-tests.json,title=course file modified::modified since the release: grader/frozen/public-tests.json. Restore it; no score is reported while a course file differs.'), r.stdout);
    assert.deepEqual(lines.filter((l) => l.startsWith('::')).map((l) => l.split('::')[1].split(' ')[0]), ['error', 'error'], 'only the two annotations start a line with ::');
    const md = fs.readFileSync(summary, 'utf8');
    assert.match(md, /^### Course files: MODIFIED since the release/);
    assert.match(md, /^- modified: `grader\/frozen\/public-tests\.json`$/m);
  });

  it('`clab-grade verify` where there is no release manifest (the course repository) exits 3 saying where it looked and what to do', () => {
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'grader', 'bin', 'clab-grade.js'), 'verify'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /release-manifest\.json does not exist: verify runs in a student repository that clab-grade release wrote \(or give --manifest FILE\)/);
  });
});
