import { isPlainTensor, PlainValue, wireNumber } from '../sandbox/plain_value';

/**
 * Property checks for tests whose outputs depend on sampling, by name. Each gets the received
 * outputs (untrusted plain data, one per call) and the call arguments, and returns null when the
 * property holds, else a message for the student. Contains no solution code: it ships in the
 * student release.
 */
export const PROPERTIES: Record<string, (received: unknown[], calls: PlainValue[][]) => string | null> = {
  /** verifyInfoNCEBound(options) rows: one per (mi, batchSize), logN = ln N, mean <= logN. */
  boundRows(received, calls) {
    const opts = calls[0][0] as { mis: number[]; batchSizes: number[]; trials: number };
    const rows = received[0];
    if (!Array.isArray(rows)) return `verifyInfoNCEBound should return an array of rows, got ${typeof rows}`;
    const want = opts.mis.length * opts.batchSizes.length;
    if (rows.length !== want) return `expected ${want} rows (one per true MI and batch size), got ${rows.length}`;
    for (const [i, row] of rows.entries()) {
      if (typeof row !== 'object' || row === null || Array.isArray(row) || isPlainTensor(row)) return `row ${i} is not an object`;
      const r = row as Record<string, unknown>;
      for (const k of ['trueMI', 'batchSize', 'logN', 'mean', 'stderr']) {
        if (typeof r[k] !== 'number' || !Number.isFinite(r[k] as number)) return `row ${i}: ${k} should be a finite number, got ${JSON.stringify(r[k])}`;
      }
      if (typeof r.holds !== 'boolean') return `row ${i}: holds should be a boolean`;
      const n = r.batchSize as number;
      if (!opts.batchSizes.includes(n)) return `row ${i}: batchSize ${n} is not one of ${opts.batchSizes.join(', ')}`;
      if (!opts.mis.some((m) => Math.abs(m - (r.trueMI as number)) < 1e-6)) return `row ${i}: trueMI ${r.trueMI} is not one of ${opts.mis.join(', ')}`;
      if (Math.abs((r.logN as number) - Math.log(n)) > 1e-6) return `row ${i}: logN should be ln(${n}) = ${Math.log(n)}, got ${r.logN}`;
      if ((r.mean as number) > (r.logN as number) + 1e-4) return `row ${i}: mean ${r.mean} exceeds log N = ${r.logN}; the InfoNCE bound can never exceed log N`;
      if ((r.stderr as number) < 0) return `row ${i}: stderr must be >= 0`;
      const trueMI = r.trueMI as number;
      if (trueMI < Math.log(n) / 4 && Math.abs((r.mean as number) - trueMI) > 0.5) {
        return `row ${i}: with true MI ${trueMI} well below log N = ${Math.log(n).toFixed(3)} the optimal-critic estimate should be near the true MI, got ${r.mean}`;
      }
    }
    return null;
  },
};

/** For messages: a number out of untrusted data. */
export function numberOf(v: unknown): number {
  return typeof v === 'number' || typeof v === 'string' ? wireNumber(v) : NaN;
}
