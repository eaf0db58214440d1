import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
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

  it('ignores a file over 1 MB with a warning', () => {
    fs.writeFileSync(path.join(dir, 'ex01-triplet.ts'), 'x'.repeat(1024 * 1024 + 1));
    const s = readSubmission(dir, ['ex01-triplet.ts']);
    assert.equal(s.files.has('ex01-triplet.ts'), false);
    assert.match(s.warnings.join(), /larger than 1 MB/);
  });
});
