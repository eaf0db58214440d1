import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { balancedSubset, ImageSet } from '../data';
import { mlpEncoder } from '../models';
import { assertNoLeak } from '../tensor/test';
import { evaluationReport, evaluationTable } from './evaluation_report';
import { extractFeatures } from './extract_features';
import { alignment, GeometryMonitor, uniformity } from './geometry';
import { knnAccuracy, linearProbe } from './probes';

/** n 28x28 images of 3 classes: class c lights the band of rows 8c..8c+7, plus seeded speckle. */
function bands(n: number, seed: number): ImageSet {
  let s = seed + 1;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const images = new Float32Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3;
    for (let p = 0; p < 784; p++) images[i * 784 + p] = (Math.floor(p / 28 / 8) === labels[i] ? 0.8 : 0) + 0.2 * rand();
  }
  return { images, labels, n, height: 28, width: 28 };
}

describe('evaluationReport / evaluationTable / GeometryMonitor', () => {
  const train = bands(60, 1);
  const test = bands(30, 2);
  before(async () => {
    await initBackend();
  });

  it('evaluationReport scores pixels and an encoder exactly as linearProbe and knnAccuracy called by hand with the same protocol', () => {
    const f = mlpEncoder({ hidden: [16], seed: 3 });
    const rows = evaluationReport({ train, test, features: [['pixels', 'pixels'], ['mlp', f]], probeSteps: 20, labelsPerClass: 2, k: 5 });
    const byHand = (trainX: tf.Tensor2D, testX: tf.Tensor2D) => {
      const idx = balancedSubset(train.labels, 2, 0);
      const x = tf.tidy(() => tf.gather(trainX, tf.tensor1d(idx, 'int32')) as tf.Tensor2D);
      const few = linearProbe(x, Array.from(idx, (i) => train.labels[i]), testX, test.labels, { steps: 20, weightDecay: 1e-2, seed: 0 }).accuracy;
      x.dispose();
      return { probeAll: linearProbe(trainX, train.labels, testX, test.labels, { steps: 20, seed: 0 }).accuracy, probeFew: few, knn: knnAccuracy(trainX, train.labels, testX, test.labels, { k: 5, temperature: 0.1 }) };
    };
    const px = [tf.tensor2d(train.images, [60, 784]), tf.tensor2d(test.images, [30, 784])] as tf.Tensor2D[];
    const fx = [extractFeatures(f, train), extractFeatures(f, test)];
    [byHand(px[0], px[1]), byHand(fx[0], fx[1])].forEach((want, i) => {
      const { probeAll, probeFew, knn } = rows[i];
      assert.deepEqual({ probeAll, probeFew, knn }, want, rows[i].name);
    });
    assert.deepEqual(rows.map((r) => [r.name, r.probeFewMean === r.probeFew, r.probeFewSd, r.fewLabels]), [['pixels', true, null, 6], ['mlp', true, null, 6]]);
    tf.dispose([...px, ...fx]);
    f.dispose();
  });

  it('evaluationReport({subsets: 3}) averages the few-label probe over seeds 0, 1, 2 (sample sd), and skips measures left out', () => {
    const rows = evaluationReport({ train, test, features: [['pixels', 'pixels']], measures: ['probeFew'], probeSteps: 10, labelsPerClass: 1, subsets: 3 });
    const px = [tf.tensor2d(train.images, [60, 784]), tf.tensor2d(test.images, [30, 784])] as tf.Tensor2D[];
    const acc = [0, 1, 2].map((s) => {
      const idx = balancedSubset(train.labels, 1, s);
      const x = tf.tidy(() => tf.gather(px[0], tf.tensor1d(idx, 'int32')) as tf.Tensor2D);
      const a = linearProbe(x, Array.from(idx, (i) => train.labels[i]), px[1], test.labels, { steps: 10, weightDecay: 1e-2, seed: s }).accuracy;
      x.dispose();
      return a;
    });
    const mean = (acc[0] + acc[1] + acc[2]) / 3;
    const sd = Math.sqrt(acc.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
    assert.equal(rows[0].probeFew, acc[0]);
    assert.ok(Math.abs((rows[0].probeFewMean as number) - mean) < 1e-12 && Math.abs((rows[0].probeFewSd as number) - sd) < 1e-12);
    assert.equal(rows[0].probeAll, null);
    assert.equal(rows[0].knn, null);
    tf.dispose(px);
  });

  it('evaluationReport leaks no tensor and throws naming a bad set, an empty feature list and an unknown measure', () => {
    assertNoLeak(() => void evaluationReport({ train, test, features: [['pixels', 'pixels']], probeSteps: 5, k: 3 }), { warmUp: false });
    assert.throws(() => evaluationReport({ train: undefined as unknown as ImageSet, test, features: [['p', 'pixels']] }), /evaluationReport: train must be a labelled ImageSet/);
    assert.throws(() => evaluationReport({ train, test, features: [] }), /evaluationReport: features must be a non-empty array of \[name, Model \| 'pixels'\] pairs, got \[\]/);
    assert.throws(() => evaluationReport({ train, test, features: [['p', 'pixels']], measures: ['probe' as never] }), /evaluationReport: unknown measure "probe"; valid: probeAll, probeFew, knn/);
  });

  it('evaluationTable shows each measured column as a percentage, a mean +- sd column only with several subsets', () => {
    const row = { name: 'h', probeAll: 0.9712, probeFew: 0.80049, probeFewMean: 0.8, probeFewSd: 0.0123, knn: 0.5, fewLabels: 100, seconds: 1 };
    assert.deepEqual(evaluationTable([row]), [{ features: 'h', 'probe, all labels': '97.1%', 'probe, 100 labels': '80.0%', '100 labels, mean +- sd over subsets': '80.0% +- 1.2', 'kNN (k=200)': '50.0%' }]);
    assert.deepEqual(evaluationTable([{ ...row, probeAll: null, probeFewSd: null, probeFewMean: null }], { digits: 2 }), [{ features: 'h', 'probe, 100 labels': '80.05%', 'kNN (k=200)': '50.00%' }]);
  });

  it('GeometryMonitor.record(step) appends alignment and uniformity of the encoder on two fixed views, as computed by hand', () => {
    const f = mlpEncoder({ hidden: [8], seed: 1 });
    const augment = (x: tf.Tensor4D, seed: number) => tf.add(x, tf.randomNormal(x.shape, 0, 0.1, 'float32', seed)) as tf.Tensor4D;
    const m = new GeometryMonitor(f, test, { augment, images: 10 });
    m.record(0);
    m.record(5);
    const x = tf.tensor4d(test.images.subarray(0, 10 * 784), [10, 28, 28, 1]);
    const [a, u] = tf.tidy(() => {
      const h1 = f.apply(augment(x, 101));
      return [alignment(h1, f.apply(augment(x, 102))).dataSync()[0], uniformity(h1).dataSync()[0]];
    });
    assert.deepEqual([m.step, m.alignment, m.uniformity], [[0, 5], [a, a], [u, u]]);
    assertNoLeak(() => m.record(6));
    m.dispose();
    assert.throws(() => m.record(7), /GeometryMonitor.record: the monitor was disposed/);
    assert.throws(() => new GeometryMonitor(f, test, { augment, images: 31 }), /GeometryMonitor: images must be an integer in \[2, 30\] \(the set size\), got 31/);
    tf.dispose(x);
    f.dispose();
  });
});
