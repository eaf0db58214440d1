import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAtomic } from './write_atomic';

describe('lib/io writeAtomic', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-write-atomic-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writeAtomic(file, text) makes missing folders, replaces the old contents and leaves no temp file', () => {
    const file = path.join(dir, 'a', 'b', 'r.json');
    writeAtomic(file, 'old');
    writeAtomic(file, '{"x": 1}');
    assert.equal(fs.readFileSync(file, 'utf8'), '{"x": 1}');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['r.json']);
  });

  it('writeAtomic(file, bytes) writes the bytes as they are', () => {
    const file = path.join(dir, 'w.bin');
    writeAtomic(file, new Uint8Array([0, 255, 7]));
    assert.deepEqual([...fs.readFileSync(file)], [0, 255, 7]);
  });

  it('writeAtomic over a folder fails, keeps the folder and removes its temp file', () => {
    const target = path.join(dir, 'taken');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep.txt'), 'mine');
    assert.throws(() => writeAtomic(target, 'x'));
    assert.equal(fs.readFileSync(path.join(target, 'keep.txt'), 'utf8'), 'mine');
    assert.deepEqual(fs.readdirSync(dir), ['taken']);
  });

  it("writeAtomic('') throws naming the bad path", () => {
    assert.throws(() => writeAtomic('', 'x'), /writeAtomic: file must be a non-empty path, got ""/);
  });
});
