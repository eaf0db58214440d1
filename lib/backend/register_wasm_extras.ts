import { registerConv2dBackpropFilter } from './conv2d_backprop_filter';
import { registerConv2dBackpropInput } from './conv2d_backprop_input';

/**
 * Registers kernels the WASM backend lacks or runs slowly, built from kernels WASM runs fast and
 * checked against `cpu` in the tests: `Conv2DBackpropFilter` (missing: needed to train CNNs) and
 * `Conv2DBackpropInput` (present but a plain loop, 5-10x slower than the forward conv). Idempotent.
 */
export function registerWasmExtras(): void {
  registerConv2dBackpropFilter();
  registerConv2dBackpropInput();
}
