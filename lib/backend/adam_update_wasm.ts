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
 * The bytes are assembled here from the instruction list below (tfjs ships no way to add
 * kernels to its .wasm, and the project has no WebAssembly toolchain); `WebAssembly.Module`
 * validates them when the module is compiled.
 */

/** The WASM backend's memory, as much of it as this file uses. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

// The WebAssembly JS API, as much of it as this file uses: its types come with lib.dom, which the
// library's build (Node types only) leaves out.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: { env: { memory: WasmMemory } }) => { exports: Record<string, unknown> };
};

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

/** Unsigned LEB128, as the binary format writes sizes, counts and indices. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** A vector: its length, then its items. */
function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  const bytes = [...Buffer.from(s, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

// Instructions (opcodes from the WebAssembly core spec 2.0, SIMD under the 0xfd prefix).
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const simd = (op: number) => [0xfd, ...uleb(op)];
const load = [...simd(0x00), 0, 0]; // v128.load, alignment 1, offset 0 (tensors need not be 16-byte aligned)
const store = [...simd(0x0b), 0, 0]; // v128.store
const splat = simd(0x13); // f32x4.splat
const sqrt = simd(0xe3);
const add = simd(0xe4);
const mul = simd(0xe6);
const div = simd(0xe7);
const i32Add = [0x6a];

// Locals: the 16 parameters, then the loop's.
const [P, M, V, G, P_OUT, M_OUT, V_OUT, GROUPS] = [0, 1, 2, 3, 4, 5, 6, 7];
const SCALARS = 8; // beta1, 1-beta1, beta2, 1-beta2, 1-accBeta1, 1-accBeta2, eps, -lr: params 8..15
const [BYTE, END] = [16, 17]; // i32: offset of the current group, offset past the last
const SPLATS = 18; // v128: the eight scalars in all four lanes, locals 18..25
const [GV, MV, VV] = [26, 27, 28]; // v128: this group's g, m', v'
const [B1, C1, B2, C2, OMA1, OMA2, EPS, NLR] = Array.from({ length: 8 }, (_, k) => SPLATS + k);

/** `array + byte offset` on the stack. */
const at = (array: number) => [...get(array), ...get(BYTE), ...i32Add];

function body(): number[] {
  const code = [
    ...Array.from({ length: 8 }, (_, k) => [...get(SCALARS + k), ...splat, ...set(SPLATS + k)]).flat(),
    ...get(GROUPS), 0x41, 4, 0x74, ...set(END), // END = groups << 4 (i32.const 4, i32.shl)
    0x41, 0, ...set(BYTE), // BYTE = 0
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...get(BYTE), ...get(END), 0x4f, 0x0d, 1, // if BYTE >= END (i32.ge_u): break out of the block
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
    ...get(BYTE), 0x41, 16, ...i32Add, ...set(BYTE), // BYTE += 16
    0x0c, 0, // continue the loop
    0x0b, 0x0b, // end loop, end block
    0x0b, // end function
  ];
  const locals = vec([[2, I32], [8 + 3, V128]]); // BYTE, END; the splats and GV, MV, VV
  const fn = [...locals, ...code];
  return [...uleb(fn.length), ...fn];
}

/**
 * The module's bytes. `shared`: the memory it imports is shared (the multi-threaded WASM build's
 * is, with a 4 GiB maximum; the single-threaded build's is not), and an import must say which.
 */
export function adamUpdateBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const params = [...Array(8).fill(I32), ...Array(8).fill(F32)];
  const type = section(1, vec([[0x60, ...vec(params.map((t) => [t])), ...vec([])]]));
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = section(2, vec([[...name('env'), ...name('memory'), 0x02, ...limits]]));
  const functions = section(3, vec([uleb(0)]));
  const exports = section(7, vec([[...name('adam'), 0x00, ...uleb(0)]]));
  const code = section(10, vec([body()]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...imports, ...functions, ...exports, ...code]);
}

/** The fused update over `groups` groups of four floats; addresses are byte offsets in the memory. */
export type AdamUpdateFn = (
  p: number, m: number, v: number, g: number, pOut: number, mOut: number, vOut: number, groups: number,
  beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
  oneMinusAccBeta1: number, oneMinusAccBeta2: number, epsilon: number, minusLr: number,
) => void;

const compiled = new Map<boolean, object>();
const instances = new WeakMap<WasmMemory, AdamUpdateFn>();

/** The update function bound to `memory` (compiled once, instantiated once per memory). */
export function adamUpdateIn(memory: WasmMemory): AdamUpdateFn {
  let fn = instances.get(memory);
  if (fn === undefined) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    let module = compiled.get(shared);
    if (module === undefined) {
      module = new WebAssembly.Module(adamUpdateBytes(shared));
      compiled.set(shared, module);
    }
    fn = new WebAssembly.Instance(module, { env: { memory } }).exports.adam as AdamUpdateFn;
    instances.set(memory, fn);
  }
  return fn;
}
