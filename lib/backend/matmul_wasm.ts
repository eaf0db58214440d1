/**
 * The WebAssembly module behind lib/backend's BatchMatMul on one WASM thread: C = A B for
 * row-major float32 A [M, K] and B [K, N] in the WASM backend's own memory (the module imports
 * it). `pack` copies B into 8-column panels (each K rows of 32 bytes, contiguous); `gemm`
 * computes 4 x 8 tiles of C from them, four rows of A against one panel, k = 0, 1, ... in order,
 * each lane `acc = acc + a * b` rounded as float32. That is the order and rounding of XNNPACK's
 * 128-bit WASM kernels in tfjs, so C is the same bit for bit (lib/backend/batch_mat_mul.test.ts
 * checks it), ~1.4x faster: XNNPACK repacks B on every call and its tiles run slower here.
 * With `fma` the update is one f32x4.relaxed_madd instead (relaxed SIMD: a different rounding,
 * not used by the library; bench/gemm.ts measures it).
 * Needs M % 4 = 0 and N % 8 = 0.
 */
import {
  F32X4_ADD, F32X4_MUL, F32X4_RELAXED_MADD, get, I32, I32_ADD, I32_MUL, i32Const, LOAD32_SPLAT, loopWhileBelow,
  instantiator, moduleBytes, set, tee, V128, V128_ZERO, v128Load, v128Store,
} from './wasm_bytes';

// pack(B, Bp, K, N): Bp[p][k][0..8) = B[k][8p .. 8p+8), i.e. 8-column panels, each K rows of 32 bytes.
function packCode(): number[] {
  const [B, BP, K, N] = [0, 1, 2, 3];
  const [SRC, DST, END, ROW, PANEL_END, PANEL] = [4, 5, 6, 7, 8, 9];
  return [
    ...get(N), ...i32Const(4), ...I32_MUL, ...set(ROW), // bytes per row of B
    ...get(B), ...get(N), ...i32Const(4), ...I32_MUL, ...I32_ADD, ...set(PANEL_END), // B + one row: where panel starts end
    ...get(BP), ...set(DST),
    ...get(B), ...set(PANEL),
    ...loopWhileBelow(PANEL, PANEL_END, [
      ...get(PANEL), ...set(SRC),
      ...get(PANEL), ...get(K), ...get(ROW), ...I32_MUL, ...I32_ADD, ...set(END),
      ...loopWhileBelow(SRC, END, [
        ...get(DST), ...get(SRC), ...v128Load(0), ...v128Store(0),
        ...get(DST), ...get(SRC), ...v128Load(16), ...v128Store(16),
        ...get(DST), ...i32Const(32), ...I32_ADD, ...set(DST),
        ...get(SRC), ...get(ROW), ...I32_ADD, ...set(SRC),
      ]),
      ...get(PANEL), ...i32Const(32), ...I32_ADD, ...set(PANEL),
    ]),
  ];
}

// gemm(A, Bp, C, M, K, N): C = A B for A [M, K], B packed by pack, C [M, N]; M % 4 = 0, N % 8 = 0.
function gemmCode(fma: boolean): number[] {
  const [A, BP, C, M, K, N] = [0, 1, 2, 3, 4, 5];
  const [PANEL, PANELS, ROW, ROW0, KB, KK, BPTR, OUT] = [6, 7, 8, 9, 10, 11, 12, 13]; // i32
  const ACC = 14; // v128 x 8: rows r = 0..3, halves j = 0, 1
  const [B0, B1, AV] = [22, 23, 24];
  const step = (r: number) => {
    const code = [...get(ROW0), ...(r > 0 ? [...get(KB), ...i32Const(r), ...I32_MUL, ...I32_ADD] : []), ...get(KK), ...I32_ADD, ...LOAD32_SPLAT, ...set(AV)];
    for (const [j, b] of [[0, B0], [1, B1]]) {
      const acc = ACC + 2 * r + j;
      code.push(...(fma ? [...get(AV), ...get(b), ...get(acc), ...F32X4_RELAXED_MADD] : [...get(AV), ...get(b), ...F32X4_MUL, ...get(acc), ...F32X4_ADD]), ...set(acc));
    }
    return code;
  };
  const storeRow = (r: number) => [
    ...get(C), ...get(ROW), ...i32Const(r), ...I32_ADD, ...get(N), ...I32_MUL, ...get(PANEL), ...i32Const(8), ...I32_MUL, ...I32_ADD, ...i32Const(4), ...I32_MUL, ...I32_ADD, ...tee(OUT),
    ...get(ACC + 2 * r), ...v128Store(0), ...get(OUT), ...get(ACC + 2 * r + 1), ...v128Store(16),
  ];
  return [
    ...get(K), ...i32Const(4), ...I32_MUL, ...set(KB),
    ...get(N), ...i32Const(3), 0x76, ...set(PANELS), // N >> 3 (i32.shr_u)
    ...i32Const(0), ...set(PANEL),
    ...loopWhileBelow(PANEL, PANELS, [
      ...i32Const(0), ...set(ROW),
      ...loopWhileBelow(ROW, M, [
        ...Array.from({ length: 8 }, (_, j) => [...V128_ZERO, ...set(ACC + j)]).flat(),
        ...get(A), ...get(ROW), ...get(KB), ...I32_MUL, ...I32_ADD, ...set(ROW0),
        ...get(BP), ...get(PANEL), ...get(K), ...I32_MUL, ...i32Const(32), ...I32_MUL, ...I32_ADD, ...set(BPTR),
        ...i32Const(0), ...set(KK),
        ...loopWhileBelow(KK, KB, [
          ...get(BPTR), ...v128Load(0), ...set(B0), ...get(BPTR), ...v128Load(16), ...set(B1),
          ...step(0), ...step(1), ...step(2), ...step(3),
          ...get(KK), ...i32Const(4), ...I32_ADD, ...set(KK),
          ...get(BPTR), ...i32Const(32), ...I32_ADD, ...set(BPTR),
        ]),
        ...storeRow(0), ...storeRow(1), ...storeRow(2), ...storeRow(3),
        ...get(ROW), ...i32Const(4), ...I32_ADD, ...set(ROW),
      ]),
      ...get(PANEL), ...i32Const(1), ...I32_ADD, ...set(PANEL),
    ]),
  ];
}

/** The module's bytes: `pack(b, bp, k, n)` and `gemm(a, bp, c, m, k, n)`, addresses in bytes. */
export function matMulBytes(shared: boolean, fma = false): Uint8Array<ArrayBuffer> {
  return moduleBytes(
    [
      { name: 'pack', params: [I32, I32, I32, I32], locals: [[6, I32]], code: packCode() },
      { name: 'gemm', params: new Array<number>(6).fill(I32), locals: [[8, I32], [11, V128]], code: gemmCode(fma) },
    ],
    shared,
  );
}

/** The two functions of {@link matMulBytes}. */
export interface MatMulFns {
  pack(b: number, bp: number, k: number, n: number): void;
  gemm(a: number, bp: number, c: number, m: number, k: number, n: number): void;
}

/** pack and gemm bound to `memory` (compiled once, instantiated once per memory). */
export const matMulIn = instantiator<MatMulFns>((shared) => matMulBytes(shared));
