import { registerConv2dBackpropFilter } from './conv2d_backprop_filter';

/**
 * Registers kernels the WASM backend lacks: today `Conv2DBackpropFilter` (needed to train CNNs),
 * built from kernels WASM has and checked against `cpu` in the tests. Idempotent.
 */
export function registerWasmExtras(): void {
  registerConv2dBackpropFilter();
}
