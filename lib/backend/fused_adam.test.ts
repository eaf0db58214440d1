import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fusedAdam } from './fused_adam';
import { ADAM_UPDATE } from './adam_update';
import { adamUpdateBytes } from './adam_update_wasm';
import { useWasmBackend } from './test/wasm_vs_cpu';
import { assertNoLeak } from '../tensor/test';

// Sizes: a multiple of 4 (all SIMD), 4k+1 .. 4k+3 (the JS tail), a scalar, and a 2-D weight.
const SHAPES = [[64, 32], [5], [7, 2], [3], [1], [129]];

/** Variables with the same seeded start for each optimizer under test (tfjs seeds from 1: 0 is "unseeded"). */
function makeVariables(tag: string): tf.Variable[] {
  return SHAPES.map((shape, i) => tf.variable(tf.randomNormal(shape, 0, 1, 'float32', i + 1), true, `${tag}${i}`));
}

/** The gradients of step `step`: seeded, with tiny ones at step 2 (where eps matters) and zeros at step 3. */
function gradients(vars: tf.Variable[], step: number): tf.NamedTensorMap {
  const scale = step === 2 ? 1e-6 : step === 3 ? 0 : 1;
  return Object.fromEntries(vars.map((v, i) => [v.name, tf.randomNormal(v.shape, 0, scale, 'float32', 100 * step + i + 1)]));
}

/** tfjs types applyGradients as taking variables; minimize passes it plain gradient tensors, as here. */
function apply(opt: tf.Optimizer, g: tf.NamedTensorMap): void {
  opt.applyGradients(g as never);
}

/** A schedule's way of changing the rate between steps (the property is protected in tfjs's types). */
function setRate(opt: tf.Optimizer, lr: number): void {
  (opt as unknown as { learningRate: number }).learningRate = lr;
}

type AdamInternals = { accumulatedFirstMoment: { variable: tf.Variable }[]; accumulatedSecondMoment: { variable: tf.Variable }[] };

/** Runs `steps` steps with tf.train.adam and with fusedAdam side by side; returns every value of each, as bits. */
function runBoth(steps: number, between: (step: number) => void = () => {}): { tfjs: Uint32Array[]; fused: Uint32Array[] } {
  const [a, b] = [makeVariables('adamA'), makeVariables('adamB')];
  const [optA, optB] = [tf.train.adam(0.01), fusedAdam(0.01)];
  try {
    for (let step = 0; step < steps; step++) {
      if (step === 5) [optA, optB].forEach((o) => setRate(o, 0.003)); // as a schedule does between steps
      between(step);
      for (const [vars, opt] of [[a, optA], [b, optB]] as const) {
        const g = gradients(vars, step);
        apply(opt, g);
        tf.dispose(Object.values(g));
      }
    }
    const bits = (vars: tf.Variable[], opt: tf.Optimizer) => {
      const s = opt as unknown as AdamInternals;
      const all = [...vars, ...s.accumulatedFirstMoment.map((m) => m.variable), ...s.accumulatedSecondMoment.map((v) => v.variable)];
      return all.map((t) => new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
    };
    return { tfjs: bits(a, optA), fused: bits(b, optB) };
  } finally {
    tf.dispose([...a, ...b]);
    optA.dispose();
    optB.dispose();
  }
}

function assertSameBits(r: { tfjs: Uint32Array[]; fused: Uint32Array[] }): void {
  assert.equal(r.fused.length, r.tfjs.length);
  r.tfjs.forEach((want, k) => {
    const got = r.fused[k];
    const i = want.findIndex((w, j) => w !== got[j]);
    const what = k < SHAPES.length ? `variable ${k}` : k < 2 * SHAPES.length ? `m of variable ${k - SHAPES.length}` : `v of variable ${k - 2 * SHAPES.length}`;
    assert.equal(i, -1, `${what} [${SHAPES[k % SHAPES.length]}] differs at ${i}: tf.train.adam bits ${want[i]?.toString(16)}, fusedAdam ${got[i]?.toString(16)}`);
  });
}

describe('fusedAdam', function () {
  useWasmBackend();

  it('fusedAdam(lr) equals tf.train.adam(lr) bit for bit on wasm: values, m and v over 8 steps', () => {
    assert.notEqual(tf.getKernel(ADAM_UPDATE, 'wasm'), undefined, 'the fused kernel is not registered on wasm');
    assertSameBits(runBoth(8));
  });

  it('fusedAdam(lr) equals tf.train.adam(lr) bit for bit on cpu', async () => {
    await tf.setBackend('cpu');
    try {
      assertSameBits(runBoth(8));
    } finally {
      await tf.setBackend('wasm');
    }
  });

  it('fusedAdam keeps equal to tf.train.adam after the WASM memory grows (it reads the memory, not a copy)', () => {
    const memory = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
    let grown = false;
    let big: tf.Tensor | undefined;
    const r = runBoth(6, (step) => {
      if (step !== 3) return;
      const before = memory();
      big = tf.zeros([Math.ceil(before / 4)]); // as many bytes as the whole memory had: it must grow
      grown = memory() > before;
    });
    big?.dispose();
    assert.ok(grown, 'the memory did not grow: the test did not test what it says');
    assertSameBits(r);
  });

  it('fusedAdam leaves no tensors behind: a step adds only the moments of new variables', () => {
    const vars = makeVariables('adamLeak');
    const opt = fusedAdam(0.01);
    try {
      const g0 = gradients(vars, 0);
      const before = tf.memory().numTensors;
      apply(opt, g0);
      assert.equal(tf.memory().numTensors - before, 2 * vars.length, 'the first step should add m and v per variable, nothing else');
      tf.dispose(Object.values(g0));
      const g1 = gradients(vars, 1);
      assertNoLeak(() => apply(opt, g1));
      tf.dispose(Object.values(g1));
    } finally {
      tf.dispose(vars);
      opt.dispose();
    }
  });

  it('fusedAdam throws on a learning rate that is not > 0 and on betas outside [0, 1)', () => {
    assert.throws(() => fusedAdam(0), /fusedAdam: learningRate must be a finite number > 0, got 0/);
    assert.throws(() => fusedAdam(Number.NaN), /learningRate must be a finite number > 0, got NaN/);
    assert.throws(() => fusedAdam(0.1, 1), /fusedAdam: beta1 must be in \[0, 1\), got 1/);
    assert.throws(() => fusedAdam(0.1, 0.9, -0.5), /fusedAdam: beta2 must be in \[0, 1\), got -0.5/);
  });

  it(`the ${ADAM_UPDATE} kernel names a gradient whose size is not the variable's`, () => {
    tf.tidy(() => {
      const [value, m, v] = [tf.zeros([4]), tf.zeros([4]), tf.zeros([4])];
      const inputs = { value, m, v, gradient: tf.zeros([5]), oneMinusAccBeta1: tf.scalar(0.1), oneMinusAccBeta2: tf.scalar(0.001) };
      const attrs = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, learningRate: 0.1 };
      assert.throws(() => tf.engine().runKernel(ADAM_UPDATE, inputs, attrs as never), /ClabAdamUpdate: gradient must have the shape of the variable \[4\], got \[5\]/);
    });
  });

  it('adamUpdateBytes gives a valid module for shared and unshared memory', () => {
    assert.ok(WebAssembly.validate(adamUpdateBytes(false)));
    assert.ok(WebAssembly.validate(adamUpdateBytes(true)));
  });
});
