/**
 * A small WebAssembly assembler: the binary format's encodings and the instructions our hand-made
 * kernels use (opcodes from the WebAssembly core spec 2.0, SIMD under the 0xfd prefix), and
 * `moduleBytes`, which puts functions over an imported memory into a module. tfjs offers no way
 * to add kernels to its .wasm and the project has no WebAssembly toolchain; `new
 * WebAssembly.Module(bytes)` validates what this writes. Used by lib/backend/adam_update_wasm.ts
 * and bench/gemm.ts.
 */

/** A WASM backend's memory, as much of it as these modules use. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

// The WebAssembly JS API, as much of it as this file uses: its types come with lib.dom, which the
// library's build (Node types only) leaves out.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object, imports: { env: { memory: WasmMemory } }) => { exports: Record<string, unknown> };
};

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Unsigned LEB128, as the binary format writes sizes, counts and indices. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128, as i32.const writes its operand. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
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

// Instructions.
export const get = (i: number): number[] => [0x20, ...uleb(i)]; // local.get
export const set = (i: number): number[] => [0x21, ...uleb(i)]; // local.set
export const tee = (i: number): number[] => [0x22, ...uleb(i)]; // local.tee
export const i32Const = (n: number): number[] => [0x41, ...sleb(n)];
export const I32_ADD = [0x6a];
export const I32_MUL = [0x6c];
export const I32_SHL = [0x74];
export const I32_GE_U = [0x4f];
export const simd = (op: number): number[] => [0xfd, ...uleb(op)];
/** v128.load with a byte offset; alignment hint 1, so the address need not be 16-byte aligned. */
export const v128Load = (offset = 0): number[] => [...simd(0x00), 0, ...uleb(offset)];
export const v128Store = (offset = 0): number[] => [...simd(0x0b), 0, ...uleb(offset)];
/** v128.load32_splat: one float from memory into all four lanes. */
export const LOAD32_SPLAT = [...simd(0x09), 0, 0];
export const V128_ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];
export const F32X4_SPLAT = simd(0x13);
export const F32X4_SQRT = simd(0xe3);
export const F32X4_ADD = simd(0xe4);
export const F32X4_MUL = simd(0xe6);
export const F32X4_DIV = simd(0xe7);
/** f32x4.relaxed_madd (relaxed SIMD): a * b + c, fused or not as the machine does it. */
export const F32X4_RELAXED_MADD = simd(0x105);

/**
 * `block { loop { if (counter >= end) break; body; continue } }`: the loop shape every kernel
 * here uses. The body must advance the counter.
 */
export function loopWhileBelow(counter: number, end: number, body: number[]): number[] {
  return [0x02, 0x40, 0x03, 0x40, ...get(counter), ...get(end), ...I32_GE_U, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b];
}

/** One function of a module: its export name, parameter types, extra locals ([count, type] runs) and code (without the final `end`). */
export interface WasmFunction {
  name: string;
  params: number[];
  locals: [number, number][];
  code: number[];
}

/**
 * The bytes of a module whose functions (no results) work on the memory it imports as
 * env.memory. `shared`: the memory is shared (the multi-threaded WASM build's is, with a 4 GiB
 * maximum; the single-threaded build's is not), and an import must say which.
 */
export function moduleBytes(functions: WasmFunction[], shared: boolean): Uint8Array<ArrayBuffer> {
  const types = section(1, vec(functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec([])])));
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = section(2, vec([[...name('env'), ...name('memory'), 0x02, ...limits]]));
  const declared = section(3, vec(functions.map((_, i) => uleb(i))));
  const exports = section(7, vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const bodies = functions.map((f) => {
    const body = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.code, 0x0b];
    return [...uleb(body.length), ...body];
  });
  const code = section(10, vec(bodies));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...declared, ...exports, ...code]);
}

/**
 * A function giving the exports of the module `bytes(shared)` instantiated over a memory: compiled
 * once for shared and once for unshared memory, instantiated once per memory (a memory keeps its
 * identity when it grows).
 */
export function instantiator<T>(bytes: (shared: boolean) => Uint8Array<ArrayBuffer>): (memory: WasmMemory) => T {
  const compiled = new Map<boolean, object>();
  const instances = new WeakMap<WasmMemory, T>();
  return (memory) => {
    let exports = instances.get(memory);
    if (exports === undefined) {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      let module = compiled.get(shared);
      if (module === undefined) {
        module = new WebAssembly.Module(bytes(shared));
        compiled.set(shared, module);
      }
      exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as T;
      instances.set(memory, exports);
    }
    return exports;
  };
}
