import * as tf from '@tensorflow/tfjs';
import { adamUpdateIn } from './adam_update_wasm';
import { WasmBackendView, wasmHeap } from './wasm_kernel_api';

/** The kernel's name (not a tfjs kernel: ours, registered on wasm and cpu). */
export const ADAM_UPDATE = 'ClabAdamUpdate';

/** The kernel's attributes: Adam's settings as numbers (turned into float32 as tfjs does). */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

type Inputs = { value: tf.TensorInfo; m: tf.TensorInfo; v: tf.TensorInfo; gradient: tf.TensorInfo; oneMinusAccBeta1: tf.TensorInfo; oneMinusAccBeta2: tf.TensorInfo };

interface CpuBackend {
  data: { get(id: unknown): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
}

/** The float32 constants both kernels use, rounded as tfjs rounds a JS number into a scalar tensor. */
function constants(a: AdamUpdateAttrs, oma1: number, oma2: number): number[] {
  const f = Math.fround;
  return [f(a.beta1), f(1 - a.beta1), f(a.beta2), f(1 - a.beta2), f(oma1), f(oma2), f(a.epsilon), f(-a.learningRate)];
}

/**
 * The update of elements [from, to) in plain JS, rounding every step to float32 as the kernels
 * do (float64 arithmetic on float32 values, rounded once, gives the float32 result exactly for
 * +, *, / and sqrt). The cpu kernel runs it on everything, the wasm one on the last n % 4.
 */
function updateRange(p: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, out: Float32Array[], k: number[], from: number, to: number): void {
  const f = Math.fround;
  const [b1, c1, b2, c2, oma1, oma2, eps, nlr] = k;
  const [pOut, mOut, vOut] = out;
  for (let i = from; i < to; i++) {
    const gi = g[i];
    const mi = f(f(m[i] * b1) + f(gi * c1));
    const vi = f(f(v[i] * b2) + f(f(gi * gi) * c2));
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = f(f(f(mi / oma1) / f(f(Math.sqrt(f(vi / oma2))) + eps)) * nlr) + p[i];
  }
}

function checkInputs(x: Inputs): void {
  for (const key of ['value', 'm', 'v', 'gradient'] as const) {
    if (x[key].dtype !== 'float32') throw new Error(`${ADAM_UPDATE}: ${key} must be float32, got ${x[key].dtype}`);
    if (tf.util.sizeFromShape(x[key].shape) !== tf.util.sizeFromShape(x.value.shape)) {
      throw new Error(`${ADAM_UPDATE}: ${key} must have the shape of the variable [${x.value.shape}], got [${x[key].shape}]`);
    }
  }
}

function wasmKernel({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo[] {
  const x = inputs as unknown as Inputs;
  const b = backend as WasmBackendView;
  checkInputs(x);
  const k = constants(attrs as unknown as AdamUpdateAttrs, b.typedArrayFromHeap(x.oneMinusAccBeta1)[0], b.typedArrayFromHeap(x.oneMinusAccBeta2)[0]);
  const out = [0, 1, 2].map(() => b.makeOutput(x.value.shape, 'float32')); // allocating may grow the memory: addresses after
  const { memory, address: addr } = wasmHeap(b, ADAM_UPDATE);
  const n = tf.util.sizeFromShape(x.value.shape);
  const groups = n >>> 2;
  const [b1, c1, b2, c2, oma1, oma2, eps, nlr] = k;
  adamUpdateIn(memory)(addr(x.value), addr(x.m), addr(x.v), addr(x.gradient), addr(out[0]), addr(out[1]), addr(out[2]), groups, b1, c1, b2, c2, oma1, oma2, eps, nlr);
  if (n % 4 !== 0) {
    const heap = (t: tf.TensorInfo) => b.typedArrayFromHeap(t);
    updateRange(heap(x.value), heap(x.m), heap(x.v), heap(x.gradient), out.map(heap), k, groups * 4, n);
  }
  return out;
}

function cpuKernel({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo[] {
  const x = inputs as unknown as Inputs;
  const b = backend as CpuBackend;
  checkInputs(x);
  const values = (t: tf.TensorInfo) => b.data.get(t.dataId).values;
  const k = constants(attrs as unknown as AdamUpdateAttrs, values(x.oneMinusAccBeta1)[0], values(x.oneMinusAccBeta2)[0]);
  const n = tf.util.sizeFromShape(x.value.shape);
  const out = [0, 1, 2].map(() => new Float32Array(n));
  updateRange(values(x.value), values(x.m), values(x.v), values(x.gradient), out, k, 0, n);
  return out.map((o) => b.makeTensorInfo(x.value.shape, 'float32', o));
}

let registered = false;

/**
 * Registers {@link ADAM_UPDATE} on wasm (one pass in WASM SIMD over the backend's memory) and on
 * cpu (one pass in JS): the Adam update of one variable, taking value, m, v, gradient and the two
 * bias corrections (scalars), giving [value', m', v'], equal bit for bit to tf.train.adam's
 * fourteen element-wise kernels. Idempotent.
 */
export function registerAdamUpdate(): void {
  if (registered) return;
  tf.registerKernel({ kernelName: ADAM_UPDATE, backendName: 'wasm', kernelFunc: wasmKernel as never });
  tf.registerKernel({ kernelName: ADAM_UPDATE, backendName: 'cpu', kernelFunc: cpuKernel as never });
  registered = true;
}
