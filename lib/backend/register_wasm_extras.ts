/**
 * Registers kernels the WASM backend lacks (e.g. Conv2DBackpropFilter, needed to train CNNs).
 * Idempotent. Filled in by the CNN-training work; today it registers nothing.
 */
export function registerWasmExtras(): void {
  // Intentionally empty until lib/backend/conv2d_backprop_filter.ts lands.
}
