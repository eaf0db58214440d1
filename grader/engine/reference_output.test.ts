import assert from 'node:assert/strict';
import type * as TF from '@tensorflow/tfjs';
import { SPECS } from '../specs';
import { freezeExercise } from './freeze_exercise';
import { loadTfjs } from './reference_output';

describe('reference outputs are computed on the cpu backend, as in the sandbox child (reference_output.ts)', function () {
  this.timeout(300000);

  it('freezeExercise gives the same bits while the process runs on the wasm backend, and leaves that backend active', async () => {
    const tf: typeof TF = loadTfjs();
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require('@tensorflow/tfjs-backend-wasm');
    const before = tf.getBackend();
    try {
      await tf.setBackend('cpu');
      const onCpu = SPECS.map((s) => JSON.stringify(freezeExercise(s, ['public'])));
      assert.ok(await tf.setBackend('wasm'), 'the wasm backend starts');
      const onWasm = SPECS.map((s) => JSON.stringify(freezeExercise(s, ['public'])));
      assert.equal(tf.getBackend(), 'wasm', 'the backend the process chose is active again');
      for (let i = 0; i < SPECS.length; i++) assert.ok(onWasm[i] === onCpu[i], `${SPECS[i].id}: frozen while wasm was active, its inputs or outputs differ from those frozen on cpu`);
    } finally {
      if (before !== undefined) await tf.setBackend(before);
    }
  });
});
