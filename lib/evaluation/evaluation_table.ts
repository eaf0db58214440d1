import type { EvaluationRow } from './evaluation_report';

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
