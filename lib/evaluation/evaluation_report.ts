import * as tf from '@tensorflow/tfjs';
import { balancedSubset, ImageSet } from '../data';
import { Model } from '../models';
import { checkNumber } from '../tensor';
import { extractFeatures } from './extract_features';
import { knnAccuracy, linearProbe } from './probes';

/** One of the scores {@link evaluationReport} can measure. */
export type EvaluationMeasure = 'probeAll' | 'probeFew' | 'knn';

/** The measures, in table order. */
export const EVALUATION_MEASURES: readonly EvaluationMeasure[] = ['probeAll', 'probeFew', 'knn'];

/** Options of {@link evaluationReport}: the sets and representations; every other field is optional. */
export interface EvaluationReportOptions {
  /** Labelled training images: the probes are fit, and kNN votes, on their features. */
  train: ImageSet;
  /** Labelled test images: every score is measured on them. */
  test: ImageSet;
  /** The representations, in table order: [name, frozen encoder] pairs, or 'pixels' for raw pixels. */
  features: Array<[string, Model | 'pixels']>;
  /** What to measure (default all three, {@link EVALUATION_MEASURES}). */
  measures?: readonly EvaluationMeasure[];
  /** Adam steps of both linear probes (default linearProbe's own: max(300, 10 epochs)). */
  probeSteps?: number;
  /** Labels per class of the few-label probe (default 10: 100 labels for the 10 digits). */
  labelsPerClass?: number;
  /** Weight decay of the few-label probe (default 1e-2: it overfits 100 examples otherwise). */
  fewLabelWeightDecay?: number;
  /** Few-label subsets to average over: seeds seed, seed + 1, ... (default 1). */
  subsets?: number;
  /** Seed of the first subset and of the probes' batch order (default 0). */
  seed?: number;
  /** Neighbours that vote in kNN (default 200, the InstDisc / MoCo monitor). */
  k?: number;
  /** kNN vote weight exp(cos / knnTemperature) (default 0.1). */
  knnTemperature?: number;
  /** Called after each row is measured (a progress line, say). */
  onRow?: (row: EvaluationRow) => void;
}

/** One representation's scores, accuracies in [0, 1]; a measure left out is null. */
export interface EvaluationRow {
  name: string;
  /** Linear probe with every training label. */
  probeAll: number | null;
  /** Linear probe with `labelsPerClass` labels per class: the first subset (seed `seed`). */
  probeFew: number | null;
  /** Mean of the few-label probe over the `subsets` subsets. */
  probeFewMean: number | null;
  /** Sample standard deviation over the subsets (null for one subset). */
  probeFewSd: number | null;
  /** Weighted cosine kNN. */
  knn: number | null;
  /** Labels the few-label probe used (labelsPerClass x classes). */
  fewLabels: number;
  /** Wall-clock seconds for this row. */
  seconds: number;
}

/**
 * The frozen-representation evaluation notebooks 03 and 04 and bench/accuracy.ts report: per
 * representation a linear probe with all labels, a linear probe with few labels (10 per class),
 * and weighted kNN, so a trained encoder can be read beside the raw-pixel and random-encoder
 * baselines measured the same way.
 * @param options the sets, the [name, encoder | 'pixels'] list, and the protocol's settings
 * @returns one row per representation, in order (numbers, not strings: see {@link evaluationTable})
 * @example
 * const rows = clab.evaluation.evaluationReport({ train: train, test: test, probeSteps: 100,
 *   features: [['SimCLR h', run.encoder], ['random encoder', randomEncoder], ['raw pixels', 'pixels']] });
 * clab.display.table(clab.evaluation.evaluationTable(rows));
 * WARNING: features of the whole train and test sets are held at once (60 000 x 512 floats is
 * 123 MB); use subsets in notebooks.
 */
export function evaluationReport(options: EvaluationReportOptions): EvaluationRow[] {
  const fn = 'evaluationReport';
  const { train, test, features } = options;
  for (const [name, set] of [['train', train], ['test', test]] as const) {
    if (set === undefined || !(set.images instanceof Float32Array) || set.labels === undefined) {
      throw new Error(`${fn}: ${name} must be a labelled ImageSet (e.g. clab.data.loadMnist({split: '${name}'})), got ${typeof set}`);
    }
  }
  if (!Array.isArray(features) || features.length === 0) {
    throw new Error(`${fn}: features must be a non-empty array of [name, Model | 'pixels'] pairs, got ${JSON.stringify(features)}`);
  }
  const measures = options.measures ?? EVALUATION_MEASURES;
  for (const m of measures) {
    if (!EVALUATION_MEASURES.includes(m)) throw new Error(`${fn}: unknown measure ${JSON.stringify(m)}; valid: ${EVALUATION_MEASURES.join(', ')}`);
  }
  const seed = checkNumber(fn, 'seed', options.seed ?? 0, { integer: true });
  const subsets = checkNumber(fn, 'subsets', options.subsets ?? 1, { integer: true, min: 1 });
  const perClass = checkNumber(fn, 'labelsPerClass', options.labelsPerClass ?? 10, { integer: true, min: 1 });
  const classes = train.labels.reduce((a: number, b: number) => Math.max(a, b), -1) + 1;
  const probe = (x: tf.Tensor2D, y: ArrayLike<number>, testX: tf.Tensor2D, extra: { seed: number; weightDecay?: number }) =>
    linearProbe(x, y, testX, test.labels, { ...(options.probeSteps === undefined ? {} : { steps: options.probeSteps }), ...extra }).accuracy;
  const score = (name: string, trainX: tf.Tensor2D, testX: tf.Tensor2D): EvaluationRow => {
    const t0 = Date.now();
    const few: number[] = [];
    if (measures.includes('probeFew')) {
      for (let s = seed; s < seed + subsets; s++) {
        const idx = balancedSubset(train.labels, perClass, s);
        const x = tf.tidy(() => tf.gather(trainX, tf.tensor1d(idx, 'int32')) as tf.Tensor2D);
        try {
          few.push(probe(x, Array.from(idx, (i) => train.labels[i]), testX, { seed: s, weightDecay: options.fewLabelWeightDecay ?? 1e-2 }));
        } finally {
          x.dispose();
        }
      }
    }
    const mean = few.length === 0 ? null : few.reduce((a, b) => a + b, 0) / few.length;
    return {
      name,
      probeAll: measures.includes('probeAll') ? probe(trainX, train.labels, testX, { seed }) : null,
      probeFew: few.length === 0 ? null : few[0],
      probeFewMean: mean,
      probeFewSd: few.length < 2 || mean === null ? null : Math.sqrt(few.reduce((a, b) => a + (b - mean) ** 2, 0) / (few.length - 1)),
      knn: measures.includes('knn') ? knnAccuracy(trainX, train.labels, testX, test.labels, { k: options.k ?? 200, temperature: options.knnTemperature ?? 0.1 }) : null,
      fewLabels: perClass * classes,
      seconds: (Date.now() - t0) / 1000, // last: after the measurements above
    };
  };
  return features.map(([name, source]) => {
    const pair = source === 'pixels' ? [pixels(train), pixels(test)] : [extractFeatures(source as Model, train), extractFeatures(source as Model, test)];
    try {
      const row = score(name, pair[0], pair[1]);
      options.onRow?.(row);
      return row;
    } finally {
      tf.dispose(pair);
    }
  });
}

/** Raw pixels as features: [n, height * width]. */
function pixels(set: ImageSet): tf.Tensor2D {
  return tf.tensor2d(set.images, [set.n, set.height * set.width]);
}

/** Options of {@link evaluationTable}. */
export interface EvaluationTableOptions {
  /** Decimals of the percentages (default 1). */
  digits?: number;
  /** kNN's k, for the column title (default 200, as evaluationReport's default). */
  k?: number;
}

/**
 * Rows of {@link evaluationReport} as table rows with percentages, one column per measure that
 * was measured: `features`, `probe, all labels`, `probe, 100 labels` (and its mean +- sd over
 * subsets when there were several), `kNN (k=200)`.
 * @param rows what evaluationReport returned
 * @returns objects for clab.display.table (keys in column order)
 * @example clab.display.table(clab.evaluation.evaluationTable(rows), { title: 'accuracy on 2000 test digits' });
 */
export function evaluationTable(rows: EvaluationRow[], options: EvaluationTableOptions = {}): Record<string, string>[] {
  if (!Array.isArray(rows)) throw new Error(`evaluationTable: rows must be evaluationReport's rows, got ${typeof rows}`);
  const digits = options.digits ?? 1;
  const pct = (x: number) => `${(100 * x).toFixed(digits)}%`;
  const has = (key: keyof EvaluationRow) => rows.some((r) => r[key] !== null);
  return rows.map((r) => {
    const out: Record<string, string> = { features: r.name };
    if (has('probeAll')) out['probe, all labels'] = r.probeAll === null ? '-' : pct(r.probeAll);
    if (has('probeFew')) out[`probe, ${r.fewLabels} labels`] = r.probeFew === null ? '-' : pct(r.probeFew);
    if (has('probeFewSd')) {
      out[`${r.fewLabels} labels, mean +- sd over subsets`] = r.probeFewMean === null || r.probeFewSd === null ? '-' : `${pct(r.probeFewMean)} +- ${(100 * r.probeFewSd).toFixed(digits)}`;
    }
    if (has('knn')) out[`kNN (k=${options.k ?? 200})`] = r.knn === null ? '-' : pct(r.knn);
    return out;
  });
}
