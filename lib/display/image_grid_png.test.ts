import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { initBackend } from '../backend';
import { DisplayMessage, setDisplaySink } from './display_bundle';
import { imageGrid } from './image_grid';
import { imageGridPng } from './image_grid_png';
import { assertNoLeak } from '../tensor/test';

describe('imageGridPng', () => {
  before(async () => {
    await initBackend();
  });
  afterEach(() => setDisplaySink(null));

  it('imageGridPng(5 images 4x3, cols 3, scale 2, pad 1) decodes to (3*(3*2+1)-1) x (2*(4*2+1)-1) pixels', () => {
    const imgs = tf.zeros([5, 4, 3]);
    const png = PNG.sync.read(imageGridPng(imgs, { cols: 3, scale: 2, pad: 1 }));
    imgs.dispose();
    assert.equal(png.width, 3 * (3 * 2 + 1) - 1);
    assert.equal(png.height, 2 * (4 * 2 + 1) - 1);
  });

  it('imageGridPng maps 0 to black, 1 to white, pads with padValue and clamps out-of-range values', () => {
    const png = PNG.sync.read(imageGridPng([[[0, 1, 2]], [[-1, 0.5, 1]]], { cols: 2, scale: 1, pad: 1, padValue: 0.2 }));
    const grey = (x: number, y: number) => png.data[(y * png.width + x) * 4];
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((x) => grey(x, 0)), [0, 255, 255, Math.round(0.2 * 255), 0, 128, 255]);
  });

  it('imageGridPng accepts [n, h, w, 1] tensors and {data, shape}, and leaks no tensor', () => {
    const t = tf.ones([2, 2, 2, 1]);
    assertNoLeak(() => imageGridPng(t, { scale: 1, pad: 0 }));
    const a = imageGridPng(t, { scale: 1, pad: 0 });
    t.dispose();
    const b = imageGridPng({ data: new Float32Array(8).fill(1), shape: [2, 2, 2] }, { scale: 1, pad: 0 });
    assert.deepEqual(a, b);
  });

  it('imageGrid(images) sends ONE output with image/png (base64) and text/plain', () => {
    const seen: DisplayMessage[] = [];
    setDisplaySink((m) => seen.push(m));
    imageGrid({ data: new Float32Array(2 * 28 * 28), shape: [2, 28, 28] });
    assert.equal(seen.length, 1);
    assert.equal(seen[0].data['text/plain'], 'image grid: 2 images 28x28');
    const png = PNG.sync.read(Buffer.from(seen[0].data['image/png'] as string, 'base64'));
    assert.equal(png.width, 2 * (28 * 2 + 2) - 2);
  });

  it('imageGridPng throws naming a bad shape, data length or option', () => {
    assert.throws(() => imageGridPng({ data: [1, 2], shape: [2, 2] }), /imageGrid: images must have shape \[n, h, w\].*got \[2,2\]/);
    assert.throws(() => imageGridPng({ data: [1, 2], shape: [1, 2, 2] }), /imageGrid: data has 2 values but shape \[1,2,2\] needs 4/);
    assert.throws(() => imageGridPng([[[0]]], { scale: 1.5 }), /imageGrid: scale must be an integer in \[1, 32\], got 1.5/);
    assert.throws(() => imageGridPng([[[0]], [[0, 1]]]), /imageGrid: images\[1\] is not 1x1 like images\[0\]/);
  });
});
