import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { EXERCISE_FILES, HOSTILE_ARCHIVES, TOOL_LAYOUTS, writeStudentRepo } from '../fixtures/archive_fixtures';
import { PROJECT_ROOT } from './project_root';
import { SubmissionError } from '../exit_codes';
import { readSubmission } from './read_submission';

describe('readSubmission(folder or zip, wanted files)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-read-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prefers exercises/<file> over a copy elsewhere in the folder', () => {
    fs.mkdirSync(path.join(dir, 'exercises'));
    fs.mkdirSync(path.join(dir, 'old'));
    fs.writeFileSync(path.join(dir, 'exercises', 'ex01-triplet.ts'), 'right');
    fs.writeFileSync(path.join(dir, 'old', 'ex01-triplet.ts'), 'wrong');
    assert.equal(readSubmission(dir, ['ex01-triplet.ts']).files.get('ex01-triplet.ts'), 'right');
  });

  it('at equal depth grades the first path in code point order and warns naming both copies', () => {
    for (const d of ['b', 'a']) {
      fs.mkdirSync(path.join(dir, d));
      fs.writeFileSync(path.join(dir, d, 'ex01-triplet.ts'), d);
    }
    const s = readSubmission(dir, ['ex01-triplet.ts']);
    assert.equal(s.files.get('ex01-triplet.ts'), 'a');
    assert.deepEqual(s.warnings, ['ex01-triplet.ts: 2 copies at the same depth (a/ex01-triplet.ts, b/ex01-triplet.ts); graded a/ex01-triplet.ts']);
  });

  it('reads wanted files from a zip and ignores entries with .. in their path', () => {
    const zip = path.join(dir, 's.zip');
    fs.writeFileSync(zip, zipSync({ 'a/exercises/ex04-nt-xent.ts': strToU8('ok'), '../ex01-triplet.ts': strToU8('evil') }));
    const s = readSubmission(zip, ['ex04-nt-xent.ts', 'ex01-triplet.ts']);
    assert.equal(s.files.get('ex04-nt-xent.ts'), 'ok');
    assert.equal(s.files.has('ex01-triplet.ts'), false);
  });

  it('throws SubmissionError for a file that is neither a folder nor a zip, and for a corrupt zip', () => {
    fs.writeFileSync(path.join(dir, 'x.txt'), 'x');
    assert.throws(() => readSubmission(path.join(dir, 'x.txt'), []), /neither a folder nor a .zip file/);
    fs.writeFileSync(path.join(dir, 'bad.zip'), 'not a zip');
    assert.throws(() => readSubmission(path.join(dir, 'bad.zip'), ['a.ts']), /not a readable zip file/);
  });

  it('does not read a file over 1 MB: unread says it is too large and by how much (not "missing")', () => {
    fs.writeFileSync(path.join(dir, 'ex01-triplet.ts'), 'x'.repeat(3 * 1024 * 1024));
    const s = readSubmission(dir, ['ex01-triplet.ts']);
    assert.equal(s.files.has('ex01-triplet.ts'), false);
    assert.equal(s.unread?.get('ex01-triplet.ts'), 'ex01-triplet.ts is too large: 3 MB, the limit for an exercise file is 1 MB (ex01-triplet.ts), so none of its tests ran.');
  });
});

describe('readSubmission(zip) of a correct submission as each real tool zips it', function () {
  this.timeout(120000);
  let dir: string;
  let repo: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-layouts-'));
    repo = writeStudentRepo(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [i, layout] of TOOL_LAYOUTS.entries()) {
    it(`${layout.name} (${layout.how}): the same five files as the folder, no warnings`, () => {
      const zip = layout.make(repo, path.join(dir, `layout-${i}.zip`));
      const fromZip = readSubmission(zip, EXERCISE_FILES);
      const fromFolder = readSubmission(repo, EXERCISE_FILES);
      assert.equal(fromFolder.files.size, 5);
      assert.deepEqual(fromZip.files, fromFolder.files);
      assert.deepEqual(fromZip.warnings, []);
      assert.deepEqual([...(fromZip.unread ?? [])], []);
    });
  }
});

describe('readSubmission(zip) of hostile and broken archives: refused with one line naming the archive and why, or read intact', function () {
  this.timeout(120000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-hostile-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [i, h] of HOSTILE_ARCHIVES.entries()) {
    const expect = h.expect;
    const what = 'refused' in expect ? `refused: ${expect.refused.source}` : `read${expect.unread ? `, except ${Object.keys(expect.unread).join(', ')}` : ''}`;
    it(`${h.name}: ${what}`, () => {
      const zip = h.make(path.join(dir, `hostile-${i}.zip`), path.join(dir, `work-${i}`));
      if ('refused' in expect) {
        assert.throws(
          () => readSubmission(zip, EXERCISE_FILES),
          (e: Error) => e instanceof SubmissionError && e.message.startsWith(zip) && !e.message.includes('\n') && expect.refused.test(e.message),
        );
        return;
      }
      const s = readSubmission(zip, EXERCISE_FILES);
      for (const f of EXERCISE_FILES) {
        const reason = expect.unread?.[f];
        if (reason === undefined) assert.equal(s.files.get(f), fs.readFileSync(path.join(PROJECT_ROOT, 'solutions', f), 'utf8'), f);
        else {
          assert.equal(s.files.has(f), false, f);
          if (!reason.test('missing')) assert.match(s.unread?.get(f) ?? '', reason);
        }
      }
      if (expect.warning) assert.ok(s.warnings.some((w) => expect.warning!.test(w)), s.warnings.join('\n'));
    });
  }
});
