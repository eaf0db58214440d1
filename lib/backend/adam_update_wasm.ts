/**
 * The WebAssembly module behind the fused Adam update on the WASM backend: one function,
 * `adam(p, m, v, g, pOut, mOut, vOut, groups, beta1, oneMinusBeta1, beta2, oneMinusBeta2,
 * oneMinusAccBeta1, oneMinusAccBeta2, epsilon, minusLr)`, that reads four float32 arrays and
 * writes three, four lanes at a time (`groups` = elements / 4), in the WASM backend's own memory
 * (the module imports it, so no array is copied). Every lane does exactly the float32 operations
 * tf.train.adam's kernels do, in the same order:
 *
 *   m' = m * beta1 + g * (1 - beta1)
 *   v' = v * beta2 + (g * g) * (1 - beta2)
 *   p' = (m' / (1 - accBeta1)) / (sqrt(v' / (1 - accBeta2)) + eps) * (-lr) + p
 *
 * WASM's f32x4 add, mul, div and sqrt round each lane as IEEE float32 does, so the results equal
 * the fourteen-kernel update bit for bit (lib/backend/fused_adam.test.ts checks it).
 * The bytes are assembled from the instruction list below with lib/backend/wasm_bytes.ts.
 */
import {
  F32, F32X4_ADD, F32X4_DIV, F32X4_MUL, F32X4_SPLAT, F32X4_SQRT, get, I32, I32_ADD, I32_SHL, i32Const,
  instantiator, loopWhileBelow, moduleBytes, set, V128, v128Load, v128Store, WasmMemory,
} from './wasm_bytes';

// Locals: the 16 parameters, then the loop's.
const [P, M, V, G, P_OUT, M_OUT, V_OUT, GROUPS] = [0, 1, 2, 3, 4, 5, 6, 7];
const SCALARS = 8; // beta1, 1-beta1, beta2, 1-beta2, 1-accBeta1, 1-accBeta2, eps, -lr: params 8..15
const [BYTE, END] = [16, 17]; // i32: offset of the current group, offset past the last
const SPLATS = 18; // v128: the eight scalars in all four lanes, locals 18..25
const [GV, MV, VV] = [26, 27, 28]; // v128: this group's g, m', v'
const [B1, C1, B2, C2, OMA1, OMA2, EPS, NLR] = Array.from({ length: 8 }, (_, k) => SPLATS + k);

/** `array + byte offset` on the stack. */
const at = (array: number) => [...get(array), ...get(BYTE), ...I32_ADD];
const [load, store, mul, add, div, sqrt] = [v128Load(), v128Store(), F32X4_MUL, F32X4_ADD, F32X4_DIV, F32X4_SQRT];

function adamCode(): number[] {
  return [
    ...Array.from({ length: 8 }, (_, k) => [...get(SCALARS + k), ...F32X4_SPLAT, ...set(SPLATS + k)]).flat(),
    ...get(GROUPS), ...i32Const(4), ...I32_SHL, ...set(END), // END = groups << 4
    ...i32Const(0), ...set(BYTE),
    ...loopWhileBelow(BYTE, END, [
      ...at(G), ...load, ...set(GV),
      ...at(M), ...load, ...get(B1), ...mul, ...get(GV), ...get(C1), ...mul, ...add, ...set(MV), // m*b1 + g*(1-b1)
      ...at(M_OUT), ...get(MV), ...store,
      ...at(V), ...load, ...get(B2), ...mul, ...get(GV), ...get(GV), ...mul, ...get(C2), ...mul, ...add, ...set(VV), // v*b2 + g*g*(1-b2)
      ...at(V_OUT), ...get(VV), ...store,
      ...at(P_OUT), // the address for the store below
      ...get(MV), ...get(OMA1), ...div, // m' / (1 - accBeta1)
      ...get(VV), ...get(OMA2), ...div, ...sqrt, ...get(EPS), ...add, // sqrt(v' / (1 - accBeta2)) + eps
      ...div, ...get(NLR), ...mul, // ... * (-lr)
      ...at(P), ...load, ...add, // ... + p
      ...store,
      ...get(BYTE), ...i32Const(16), ...I32_ADD, ...set(BYTE), // BYTE += 16
    ]),
  ];
}

/**
 * The module's bytes. `shared`: the memory it imports is shared (the multi-threaded WASM build's
 * is; the single-threaded build's is not), and an import must say which.
 */
export function adamUpdateBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const params = [...new Array<number>(8).fill(I32), ...new Array<number>(8).fill(F32)];
  return moduleBytes([{ name: 'adam', params, locals: [[2, I32], [8 + 3, V128]], code: adamCode() }], shared);
}

/** The fused update over `groups` groups of four floats; addresses are byte offsets in the memory. */
export type AdamUpdateFn = (
  p: number, m: number, v: number, g: number, pOut: number, mOut: number, vOut: number, groups: number,
  beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
  oneMinusAccBeta1: number, oneMinusAccBeta2: number, epsilon: number, minusLr: number,
) => void;

const exportsIn = instantiator<{ adam: AdamUpdateFn }>(adamUpdateBytes);

/** The update function bound to `memory` (compiled once, instantiated once per memory). */
export function adamUpdateIn(memory: WasmMemory): AdamUpdateFn {
  return exportsIn(memory).adam;
}
