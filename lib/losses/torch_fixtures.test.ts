import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { infoNCE, mocoInfoNCE, nPairLoss, ntXent, tripletLoss } from './index';

// Reference values and gradients from PyTorch (float64), written by scripts/torch_fixtures.py:
// rerun with `/usr/bin/python3 scripts/torch_fixtures.py`. This test needs only the JSON.
interface FixtureTensor {
  shape: number[];
  data: number[];
}
interface FixtureCase {
  loss: string;
  name: string;
  options: Record<string, number>;
  inputs: Record<string, FixtureTensor>;
  value: number;
  grads: Record<string, FixtureTensor>;
}

const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'torch_losses.json'), 'utf8')) as {
  cases: FixtureCase[];
};

type Loss = (xs: tf.Tensor[], options: Record<string, number>) => tf.Scalar;
const LOSSES: Record<string, Loss> = {
  tripletLoss: ([a, p, n], o) => tripletLoss(a as tf.Tensor2D, p as tf.Tensor2D, n as tf.Tensor2D, o),
  nPairLoss: ([a, p, n], o) => nPairLoss(a as tf.Tensor2D, p as tf.Tensor2D, n as tf.Tensor3D, o),
  infoNCE: ([s]) => infoNCE(s as tf.Tensor2D),
  ntXent: ([z1, z2], o) => ntXent(z1 as tf.Tensor2D, z2 as tf.Tensor2D, o),
  mocoInfoNCE: ([q, k, queue], o) => mocoInfoNCE(q as tf.Tensor2D, k as tf.Tensor2D, queue as tf.Tensor2D, o),
};

const RTOL = 1e-5;

describe('lib/losses against PyTorch fixtures (1e-5 relative)', () => {
  before(async () => {
    await initBackend();
  });

  it('the fixtures cover every loss', () => {
    assert.deepEqual([...new Set(fixtures.cases.map((c) => c.loss))].sort(), Object.keys(LOSSES).sort());
  });

  for (const c of fixtures.cases) {
    it(`${c.loss}(${Object.keys(c.inputs).join(', ')}) ${c.name}: value and gradients match torch`, () => {
      const names = Object.keys(c.inputs);
      const inputs = names.map((k) => tf.tensor(c.inputs[k].data, c.inputs[k].shape, 'float32'));
      const loss = LOSSES[c.loss];
      const { value, grads: g } = tf.valueAndGrads((...xs: tf.Tensor[]) => loss(xs, c.options))(inputs);
      const got = value.dataSync()[0];
      value.dispose();
      assert.ok(Math.abs(got - c.value) <= RTOL * Math.abs(c.value), `value ${got} vs torch ${c.value}`);
      names.forEach((k, i) => {
        const ref = c.grads[k].data;
        const ours = g[i].dataSync();
        const scale = Math.max(...ref.map(Math.abs));
        const worst = Math.max(...ref.map((r, j) => Math.abs(ours[j] - r)));
        assert.deepEqual(g[i].shape, c.grads[k].shape);
        assert.ok(worst <= RTOL * scale, `d/d${k}: max abs diff ${worst} > ${RTOL} * ${scale}`);
      });
      tf.dispose([...inputs, ...g]);
    });
  }
});
