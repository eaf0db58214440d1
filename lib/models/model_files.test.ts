import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { mlpEncoder } from './mlp_encoder';
import { cnnEncoder } from './cnn_encoder';
import { cloneModel } from './build_model';
import { loadModel, saveModel } from './model_files';

describe('saveModel / loadModel / cloneModel', () => {
  let dir = '';
  before(async () => {
    await initBackend();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-models-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const make of [() => mlpEncoder({ hidden: [8, 4], seed: 7 }), () => cnnEncoder({ channels: [3, 5], seed: 7 })]) {
    it(`loadModel(saveModel(${make().kind})) gives the same outputs (weights and BN stats round-trip)`, async () => {
      const f = make();
      const x = tf.randomNormal([3, 784], 0, 1, 'float32', 9);
      tf.tidy(() => f.apply(x, { training: true })); // move BN running stats off their init
      const file = path.join(dir, `${f.kind}.json`);
      const bytes = await saveModel(f, file);
      assert.equal(bytes, 4 * [...f.variables.values()].reduce((s, v) => s + v.size, 0));
      const g = await loadModel(file);
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(f.apply(x), g.apply(x)))).arraySync() as number);
      assert.equal(diff, 0);
      assert.deepEqual(g.config, f.config);
      tf.dispose(x);
      f.dispose();
      g.dispose();
    });
  }

  it('loadModel throws naming a truncated weights file', async () => {
    const f = mlpEncoder({ hidden: [4] });
    const file = path.join(dir, 'trunc.json');
    await saveModel(f, file);
    fs.truncateSync(path.join(dir, 'trunc.weights.bin'), 10);
    await assert.rejects(loadModel(file), /trunc.weights.bin has 10 bytes, the manifest needs \d+/);
    f.dispose();
  });

  it('cloneModel copies values into independent variables', () => {
    const f = mlpEncoder({ hidden: [4] });
    const g = cloneModel(f);
    const w = f.variables.get('mlp0.w')!;
    const before = w.arraySync();
    w.assign(tf.zerosLike(w));
    assert.deepEqual(g.variables.get('mlp0.w')!.arraySync(), before);
    f.dispose();
    g.dispose();
  });
});
