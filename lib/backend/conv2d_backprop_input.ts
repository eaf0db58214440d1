import * as tf from '@tensorflow/tfjs';
import { asTensor, registerWasmKernel } from './wasm_kernel_api';

/** Pads (amount > 0) or crops (amount < 0) axis 1 or 2 of a 4-D tensor at its start and end. */
function padOrCrop(t: tf.Tensor4D, axis: 1 | 2, start: number, end: number): tf.Tensor4D {
  let r = t;
  if (start < 0 || end < 0) {
    const begin = [0, 0, 0, 0];
    const size = [...r.shape] as number[];
    begin[axis] = Math.max(0, -start);
    size[axis] -= Math.max(0, -start) + Math.max(0, -end);
    r = tf.slice(r, begin, size);
  }
  if (start > 0 || end > 0) {
    const p: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
    p[axis] = [Math.max(0, start), Math.max(0, end)];
    r = tf.pad(r, p);
  }
  return r;
}

/**
 * For output phase `p` (rows y = m*s + p) of a strided convolution's input gradient: the filter
 * taps that reach it, flipped, and the offset of the first dy row they read.
 */
function phaseTaps(p: number, s: number, pad: number, f: number): { taps: number[]; dMin: number } {
  const taps: number[] = []; // kh with (p + pad - kh) divisible by s, largest first (flipped)
  for (let k = f - 1; k >= 0; k--) if ((((p + pad - k) % s) + s) % s === 0) taps.push(k);
  return { taps, dMin: taps.length ? (p + pad - taps[0]) / s : 0 };
}

/**
 * The gradient of conv2d with respect to its input (also conv2dTranspose), as stride-1 forward
 * convolutions the WASM backend runs fast (XNNPACK): one per output phase (sub-pixel
 * decomposition), each with the flipped filter taps that reach that phase, interleaved back.
 * For stride 1 that is one convolution with the flipped, transposed filter.
 *
 *   dx[b, y, x, c] = sum_{kh, kw, o : y = i*sh + kh - top, x = j*sw + kw - left} dy[b, i, j, o] * W[kh, kw, c, o]
 *
 * @param dy [batch, outHeight, outWidth, outChannels] (or NCHW)
 * @param filter [filterHeight, filterWidth, inChannels, outChannels]
 * @param attrs strides, pad, dataFormat, dimRoundingMode, inputShape (the x shape, in dataFormat)
 * @returns dx with shape inputShape
 * @example // reached through tf.grad of tf.conv2d once initBackend() registered it on wasm
 */
export function conv2dBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: tf.Conv2DBackpropInputAttrs): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') {
    throw new Error(`conv2dBackpropInput: dataFormat must be 'NHWC' or 'NCHW', got ${JSON.stringify(dataFormat)}`);
  }
  const nchw = dataFormat === 'NCHW';
  const [fh, fw, inC] = filter.shape;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape, strides, 1, pad, dimRoundingMode, false, nchw ? 'channelsFirst' : 'channelsLast',
  );
  const { strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w, batchSize: b } = info;
  const { top, left } = info.padInfo;
  return tf.tidy(() => {
    const d = (nchw ? tf.transpose(dy, [0, 2, 3, 1]) : dy) as tf.Tensor4D; // [B, oH, oW, O]
    const [, oh, ow] = d.shape;
    const wT = tf.transpose(filter, [0, 1, 3, 2]) as tf.Tensor4D; // [fh, fw, O, C]
    const mh = Math.ceil(h / sh);
    const mw = Math.ceil(w / sw);
    const rows: tf.Tensor4D[] = [];
    for (let py = 0; py < sh; py++) {
      const ty = phaseTaps(py, sh, top, fh);
      const cols: tf.Tensor4D[] = [];
      for (let px = 0; px < sw; px++) {
        const tx = phaseTaps(px, sw, left, fw);
        if (ty.taps.length === 0 || tx.taps.length === 0) {
          cols.push(tf.zeros([b, mh, mw, inC]));
          continue;
        }
        // Sub-filter [nh, nw, O, C]: the taps of this phase, flipped (largest kh first).
        const sub = tf.gather(tf.gather(wT, ty.taps, 0), tx.taps, 1) as tf.Tensor4D;
        // out[m] = sum_u dy[m + dMin + u] * sub[u], m = 0..mh-1 (rows past h are cropped later).
        let src = padOrCrop(d, 1, -ty.dMin, mh + ty.dMin + ty.taps.length - 1 - oh);
        src = padOrCrop(src, 2, -tx.dMin, mw + tx.dMin + tx.taps.length - 1 - ow);
        cols.push(tf.conv2d(src, sub, 1, 'valid')); // [B, mh, mw, C]
      }
      // interleave columns: [B, mh, mw, sw, C] -> [B, mh, mw*sw, C]
      rows.push(sw === 1 ? cols[0] : (tf.reshape(tf.stack(cols, 3), [b, mh, mw * sw, inC]) as tf.Tensor4D));
    }
    // interleave rows: [B, mh, sh, mw*sw, C] -> [B, mh*sh, mw*sw, C]
    let dx = sh === 1 ? rows[0] : (tf.reshape(tf.stack(rows, 2), [b, mh * sh, mw * sw, inC]) as tf.Tensor4D);
    if (mh * sh !== h || mw * sw !== w) dx = tf.slice(dx, [0, 0, 0, 0], [b, h, w, inC]);
    return nchw ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
  });
}

let registered = false;

/**
 * Replaces the WASM backend's `Conv2DBackpropInput` kernel (a plain loop, 5-10x slower than its
 * forward conv at batch 128) by {@link conv2dBackpropInput}. Idempotent.
 * @example registerConv2dBackpropInput(); // done by initBackend() on wasm
 */
export function registerConv2dBackpropInput(): void {
  if (registered) return;
  registerWasmKernel(
    'Conv2DBackpropInput',
    ({ inputs, attrs }) => conv2dBackpropInput(asTensor<tf.Tensor4D>(inputs.dy as tf.TensorInfo), asTensor<tf.Tensor4D>(inputs.filter as tf.TensorInfo), attrs as unknown as tf.Conv2DBackpropInputAttrs),
    { replace: true },
  );
  registered = true;
}
