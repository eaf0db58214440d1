import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilter } from './conv2d_backprop_filter';
import { conv2dBackpropInput } from './conv2d_backprop_input';
import { asTensor, registerWasmKernel } from './wasm_kernel_api';

function checkDilations(fn: string, d: tf.DepthwiseConv2dNativeBackpropInputAttrs['dilations'] | undefined): void {
  const [dh, dw] = typeof d === 'number' ? [d, d] : (d ?? [1, 1]);
  if (dh !== 1 || dw !== 1) throw new Error(`${fn}: dilations must be 1 (tfjs gradients do not support them), got ${JSON.stringify(d)}`);
}

/**
 * The input gradient of a depthwise conv2d, as the input gradient of the equivalent full conv2d
 * whose filter is block-diagonal over channels (C times the work, but XNNPACK-fast on WASM).
 * @param dy [B, oH, oW, C*M]
 * @param filter [fh, fw, C, M]
 * @param attrs strides, pad, dimRoundingMode, dilations (must be 1), inputShape [B, H, W, C]
 * @returns dx [B, H, W, C]
 * @example // reached through tf.grad of tf.depthwiseConv2d once initBackend() registered it on wasm
 */
export function depthwiseConv2dBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: tf.DepthwiseConv2dNativeBackpropInputAttrs): tf.Tensor4D {
  checkDilations('depthwiseConv2dBackpropInput', attrs.dilations);
  const [fh, fw, c, m] = filter.shape;
  return tf.tidy(() => {
    // full[kh, kw, c, c'*M + m] = W[kh, kw, c, m] * (c == c')
    const eye = tf.reshape(tf.eye(c), [1, 1, c, c, 1]);
    const full = tf.reshape(tf.mul(tf.reshape(filter, [fh, fw, c, 1, m]), eye), [fh, fw, c, c * m]) as tf.Tensor4D;
    return conv2dBackpropInput(dy, full, {
      strides: attrs.strides, pad: attrs.pad, dataFormat: 'NHWC', dimRoundingMode: attrs.dimRoundingMode,
      inputShape: attrs.inputShape,
    });
  });
}

/**
 * The filter gradient of a depthwise conv2d: the full conv2d filter gradient [fh, fw, C, C*M]
 * (one XNNPACK convolution, see conv2dBackpropFilter), keeping only its channel-diagonal blocks.
 * @param x [B, H, W, C]
 * @param dy [B, oH, oW, C*M]
 * @param attrs strides, pad, dimRoundingMode, dilations (must be 1), filterShape [fh, fw, C, M]
 * @returns dW [fh, fw, C, M]
 * @example // reached through tf.grad of tf.depthwiseConv2d once initBackend() registered it on wasm
 */
export function depthwiseConv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: tf.DepthwiseConv2dNativeBackpropFilterAttrs): tf.Tensor4D {
  checkDilations('depthwiseConv2dBackpropFilter', attrs.dilations);
  const [fh, fw, c, m] = attrs.filterShape;
  return tf.tidy(() => {
    const full = conv2dBackpropFilter(x, dy, {
      strides: attrs.strides, pad: attrs.pad, dataFormat: 'NHWC', dimRoundingMode: attrs.dimRoundingMode,
      filterShape: [fh, fw, c, c * m],
    }); // [fh, fw, C, C*M]
    const eye = tf.reshape(tf.eye(c), [1, 1, c, c, 1]);
    return tf.sum(tf.mul(tf.reshape(full, [fh, fw, c, c, m]), eye), 3) as tf.Tensor4D; // [fh, fw, C, M]
  });
}

let registered = false;

/**
 * Registers the depthwise-conv gradient kernels WASM lacks (so tf.layers.depthwiseConv2d and
 * separableConv2d train on wasm). Idempotent; skips a kernel wasm already has.
 * @example registerDepthwiseConv2dBackprop(); // done by initBackend() on wasm
 */
export function registerDepthwiseConv2dBackprop(): void {
  if (registered) return;
  registerWasmKernel('DepthwiseConv2dNativeBackpropInput', ({ inputs, attrs }) =>
    depthwiseConv2dBackpropInput(asTensor<tf.Tensor4D>(inputs.dy as tf.TensorInfo), asTensor<tf.Tensor4D>(inputs.filter as tf.TensorInfo), attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs),
  );
  registerWasmKernel('DepthwiseConv2dNativeBackpropFilter', ({ inputs, attrs }) =>
    depthwiseConv2dBackpropFilter(asTensor<tf.Tensor4D>(inputs.x as tf.TensorInfo), asTensor<tf.Tensor4D>(inputs.dy as tf.TensorInfo), attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs),
  );
  registered = true;
}
