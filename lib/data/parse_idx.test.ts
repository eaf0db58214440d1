import assert from 'node:assert/strict';
import { parseIdx, parseIdxHeader } from './parse_idx';

/** An IDX byte buffer: magic 0x0000080N, big-endian dims, then the data. */
function idx(dims: number[], data: number[], typeByte = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = typeByte;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

describe('parseIdx', () => {
  it('parseIdx(labels file) reads magic 2049 = 0x801, dims [3] and the bytes', () => {
    const a = parseIdx(idx([3], [7, 2, 1]), 'l');
    assert.equal(a.magic, 0x08 * 256 + 1);
    assert.deepEqual(a.dims, [3]);
    assert.deepEqual([...a.data], [7, 2, 1]);
  });

  it('parseIdx(images file) reads magic 2051 = 0x803 and dims [2, 2, 3]', () => {
    const a = parseIdx(idx([2, 2, 3], Array.from({ length: 2 * 2 * 3 }, (_, i) => i)), 'i');
    assert.equal(a.magic, 0x08 * 256 + 3);
    assert.deepEqual(a.dims, [2, 2, 3]);
    assert.equal(a.data.length, 12);
  });

  it('parseIdx throws naming the file when it is shorter than the magic number', () => {
    assert.throws(() => parseIdx(new Uint8Array([0, 0]), 'f.idx'), /parseIdx: f\.idx is truncated: 2 bytes/);
  });

  it('parseIdx throws "not an IDX file" on a bad magic number, and hints at gzip', () => {
    assert.throws(() => parseIdx(new Uint8Array([1, 2, 8, 1, 0, 0, 0, 0]), 'x'), /x is not an IDX file: magic number/);
    assert.throws(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0]), 'x.gz'), /decompress it first/);
  });

  it('parseIdx throws on a data type other than unsigned byte', () => {
    assert.throws(() => parseIdx(idx([1], [0, 0, 0, 0], 0x0d), 'f'), /data type 0xd \(float32\) is not unsigned byte/);
  });

  it('parseIdx throws on a truncated header', () => {
    assert.throws(() => parseIdx(idx([5, 28, 28], []).subarray(0, 10), 'f'), /f is truncated: 10 bytes, shorter than its 16-byte header/);
  });

  it('parseIdx throws on truncated data: header says 2 x 2 x 2 = 8 bytes, file has 16 + 7', () => {
    const full = idx([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.throws(
      () => parseIdx(full.subarray(0, full.length - 1), 'img'),
      new RegExp(`img is truncated: header says 2 x 2 x 2 = 8 data bytes \\(${16 + 8} bytes in all\\), file has ${16 + 7} bytes`),
    );
  });

  it('parseIdx throws on extra bytes after the data', () => {
    assert.throws(() => parseIdx(idx([2], [1, 2, 3]), 'l'), /l is corrupt: 1 bytes after the 2 data/);
  });

  it('parseIdxHeader validates against the file size without the data', () => {
    const h = parseIdxHeader(idx([60000, 28, 28], []), 16 + 60000 * 784, 'big');
    assert.deepEqual(h, { magic: 2051, dims: [60000, 28, 28], headerBytes: 16 });
  });
});
