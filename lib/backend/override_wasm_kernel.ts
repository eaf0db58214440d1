import * as tf from '@tensorflow/tfjs';

/** A tfjs kernel function, as the registry holds it. */
export type KernelFunc = (params: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) => tf.TensorInfo | tf.TensorInfo[];

const overridden = new Set<string>();

/**
 * Replaces the WASM backend's kernel `name` by `wrap(original)`, which decides per call whether
 * to run its own code or the original kernel. Once per kernel name (again is a no-op); nothing
 * happens where wasm has no such kernel.
 */
export function overrideWasmKernel(name: string, wrap: (original: KernelFunc) => KernelFunc): void {
  if (overridden.has(name)) return;
  const config = tf.getKernel(name, 'wasm');
  if (config === undefined) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...config, kernelFunc: wrap(config.kernelFunc as unknown as KernelFunc) as never });
  overridden.add(name);
}
