import { registerConv2dBackpropFilter } from './conv2d_backprop_filter';
import { registerConv2dBackpropInput } from './conv2d_backprop_input';
import { registerUnsortedSegmentSum } from './unsorted_segment_sum';

/**
 * Registers kernels the WASM backend lacks or runs slowly, built from kernels WASM runs fast and
 * checked against `cpu` in the tests: `Conv2DBackpropFilter` (missing: needed to train CNNs) and
 * `Conv2DBackpropInput` (present but a plain loop, ~4x slower than ours at batch 128) and
 * `UnsortedSegmentSum` (missing: it is the gradient of tf.gather). Idempotent.
 *
 * Still missing on wasm (not needed by this course): the depthwise-conv gradients
 * (DepthwiseConv2dNativeBackpropFilter/Input, so tf.layers.depthwiseConv2d / separableConv2d
 * cannot train on wasm), Einsum, FFT and complex numbers.
 */
export function registerWasmExtras(): void {
  registerConv2dBackpropFilter();
  registerConv2dBackpropInput();
  registerUnsortedSegmentSum();
}
