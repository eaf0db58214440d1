import { registerConv2dBackpropFilter } from './conv2d_backprop_filter';
import { registerConv2dBackpropInput } from './conv2d_backprop_input';
import { registerUnsortedSegmentSum } from './unsorted_segment_sum';
import { registerDepthwiseConv2dBackprop } from './depthwise_conv2d_backprop';
import { registerTranspose } from './transpose';
import { registerBatchMatMul } from './batch_mat_mul';

/**
 * Registers kernels the WASM backend lacks or runs slowly, built from kernels WASM runs fast and
 * checked against `cpu` in the tests: `Conv2DBackpropFilter` (missing: needed to train CNNs) and
 * `Conv2DBackpropInput` (present but a plain loop, ~4x slower than ours at batch 128) and
 * `UnsortedSegmentSum` (missing: it is the gradient of tf.gather) and the depthwise-conv
 * gradients `DepthwiseConv2dNativeBackpropInput/Filter` (missing: tf.layers.depthwiseConv2d and
 * separableConv2d could not train), and `Transpose` (a plain loop that slows down 2-5x when the
 * row count is a multiple of 256; ours runs it in two cache-friendly passes), and `BatchMatMul` on
 * one thread (the same bits as XNNPACK's, ~1.4x faster: lib/backend/batch_mat_mul.ts). Idempotent.
 *
 * Still missing on wasm (not needed by this course): Einsum, FFT and complex numbers.
 */
export function registerWasmExtras(): void {
  registerConv2dBackpropFilter();
  registerConv2dBackpropInput();
  registerUnsortedSegmentSum();
  registerDepthwiseConv2dBackprop();
  registerTranspose();
  registerBatchMatMul();
}
