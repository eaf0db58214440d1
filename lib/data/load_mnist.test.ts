import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMnist } from './load_mnist';

function idx(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Writes a synthetic MNIST test split of n images (pixel value = image index) to a temp dir. */
const made: string[] = [];
function fixture(n: number, edit: (files: { images: Uint8Array; labels: Uint8Array }) => void = () => {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-mnist-'));
  made.push(dir);
  const px = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) px.fill(i * 50, i * 784, (i + 1) * 784);
  const files = { images: idx([n, 28, 28], px), labels: idx([n], Uint8Array.from({ length: n }, (_, i) => i % 10)) };
  edit(files);
  fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte'), files.images);
  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), files.labels);
  return dir;
}

describe('loadMnist', () => {
  after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("loadMnist({split: 'train'}) gives 60000 images of 28x28 in [0, 1] and labels 0..9", () => {
    const s = loadMnist({ split: 'train' });
    assert.equal(s.n, 60000);
    assert.equal(s.images.length, 60000 * 28 * 28);
    assert.equal(s.labels.length, 60000);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of s.images) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    assert.deepEqual([lo, hi], [0, 1]);
    assert.ok(s.labels.every((y) => y <= 9));
  });

  it("loadMnist({split: 'test'}) gives 10000 examples whose first labels are 7 2 1 0 4", () => {
    const s = loadMnist({ split: 'test' });
    assert.equal(s.n, 10000);
    assert.deepEqual([...s.labels.slice(0, 5)], [7, 2, 1, 0, 4]);
  });

  it('loadMnist({limit}) keeps the first limit examples, the same as the full load', () => {
    const full = loadMnist({ split: 'test' });
    const s = loadMnist({ split: 'test', limit: 3 });
    assert.equal(s.n, 3);
    assert.deepEqual(s.images, full.images.slice(0, 3 * 784));
    assert.deepEqual(s.labels, full.labels.slice(0, 3));
  });

  it('loadMnist scales bytes by 1/255 (synthetic file: image i has value 50 i)', () => {
    const s = loadMnist({ split: 'test', dir: fixture(3) });
    assert.deepEqual([s.images[0], s.images[784], s.images[2 * 784 + 5]], [0, Math.fround(50 / 255), Math.fround(100 / 255)]);
    assert.deepEqual([...s.labels], [0, 1, 2]);
  });

  it('loadMnist throws naming the file when the images file is truncated', () => {
    const dir = fixture(3, (f) => (f.images = f.images.subarray(0, f.images.length - 100)));
    assert.throws(
      () => loadMnist({ split: 'test', dir }),
      (e: Error) => e.message.includes(path.join(dir, 't10k-images-idx3-ubyte')) && /is truncated: header says 3 x 28 x 28/.test(e.message),
    );
  });

  it('loadMnist throws naming the file on a bad magic number, and on swapped files', () => {
    const bad = fixture(2, (f) => (f.labels[0] = 7));
    assert.throws(() => loadMnist({ split: 'test', dir: bad }), /t10k-labels-idx1-ubyte is not an IDX file: magic number/);
    const swapped = fixture(2, (f) => ([f.images, f.labels] = [f.labels, f.images]));
    assert.throws(() => loadMnist({ split: 'test', dir: swapped }), /t10k-labels-idx1-ubyte: magic number 2051 is not 2049/);
  });

  it('loadMnist throws when image and label counts differ, naming both files', () => {
    const dir = fixture(3, (f) => (f.labels = idx([2], new Uint8Array([1, 2]))));
    assert.throws(() => loadMnist({ split: 'test', dir }), /t10k-labels-idx1-ubyte has 2 labels but .*t10k-images-idx3-ubyte has 3 images/);
  });

  it('loadMnist throws on a label outside 0..9 and on images that are not 28x28', () => {
    const lab = fixture(2, (f) => (f.labels[8 + 1] = 12));
    assert.throws(() => loadMnist({ split: 'test', dir: lab }), /label 12 at index 1 is outside 0\.\.9/);
    const small = fixture(1, (f) => (f.images = idx([1, 14, 56], new Uint8Array(784))));
    assert.throws(() => loadMnist({ split: 'test', dir: small }), /images are 14x56, expected 28x28/);
  });

  it('loadMnist throws a clear error for a missing file, a bad split and a bad limit', () => {
    assert.throws(() => loadMnist({ split: 'test', dir: '/nonexistent' }), /loadMnist: cannot read \/nonexistent\/t10k-labels-idx1-ubyte/);
    assert.throws(() => loadMnist({ split: 'val' as 'test' }), /split must be 'train' or 'test', got "val"/);
    assert.throws(() => loadMnist({ limit: 0 }), /limit must be an integer >= 1, got 0/);
  });
});
