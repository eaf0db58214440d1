import * as math from 'mathjs';

type Fraction = math.Fraction;
type BigNumber = math.BigNumber;

/** Settings of {@link exactDiscreteBound}. */
export interface ExactDiscreteOptions {
  /** p(x, c) as a table [|X|, |C|] of exact probabilities: fractions as strings ('1/24') or numbers; must sum to exactly 1. */
  joint: (number | string)[][];
  /** Batch sizes N to enumerate, each an integer >= 2. */
  batchSizes?: number[]; // default [2, 3, 4]
  /** Significant digits of the BigNumber logarithms. */
  precision?: number; // default 64
  /** Refuse enumerations with more batches than this (cost grows as K^N, K = outcomes with p > 0). */
  maxBatches?: number; // default 200_000
}

/** One batch size of {@link exactDiscreteBound}; numbers are rounded from the strings beside them. */
export interface ExactDiscreteRow {
  /** N. */
  batchSize: number;
  /** Number of batches enumerated, K^N. */
  batches: number;
  /** ln N. */
  logN: number;
  /** I(x; c) in nats. */
  mi: number;
  /** E[L] over every batch of N iid pairs, optimal critic log p(x, c) / (p(x) p(c)). */
  expectedLoss: number;
  /** ln N - E[L]. */
  bound: number;
  /** I - bound, >= 0 (the check). */
  gap: number;
  /** The same values to `precision` digits. */
  exact: { mi: string; expectedLoss: string; bound: string; gap: string };
  /** bound <= I, decided on the high-precision values. */
  holds: boolean;
}

let bigMath: math.MathJsInstance | undefined;
let bigMathPrecision = 0;

/**
 * The InfoNCE bound of the optimal critic computed EXACTLY for a small discrete p(x, c): every
 * batch of N pairs drawn iid from p is enumerated, with probabilities and density ratios as exact
 * fractions (mathjs Fraction) and the logarithms as mathjs BigNumbers (`precision` digits), so
 * there is no sampling noise. Row i of a batch scores x_i against c_j for all j (row softmax,
 * positive on the diagonal), as everywhere in lib/mi.
 * @returns one row per batch size: I, E[L], ln N - E[L], the gap I - (ln N - E[L]) and holds
 * @example exactDiscreteBound({joint: [['1/4', '1/4'], ['1/4', '1/4']]}) // I = 0, every bound 0
 * WARNING: the cost is K^N batches; K = 9 outcomes and N = 5 already means 59049 batches.
 */
export function exactDiscreteBound(options: ExactDiscreteOptions): ExactDiscreteRow[] {
  const fn = 'exactDiscreteBound';
  const { joint, batchSizes = [2, 3, 4], precision = 64, maxBatches = 200_000 } = options;
  if (!Array.isArray(joint) || joint.length === 0 || !Array.isArray(joint[0]) || joint[0].length === 0 || !joint.every((r) => Array.isArray(r) && r.length === joint[0].length)) {
    throw new Error(`${fn}: joint must be a non-empty rectangular table [|X|, |C|], got ${JSON.stringify(joint)}`);
  }
  if (!Number.isInteger(precision) || precision < 16) throw new Error(`${fn}: precision must be an integer >= 16 (digits), got ${precision}`);
  const p: Fraction[][] = joint.map((row, i) =>
    row.map((v, j) => {
      let f: Fraction;
      try {
        f = math.fraction(v as string);
      } catch {
        throw new Error(`${fn}: joint[${i}][${j}] must be a probability (number or fraction string like '1/24'), got ${JSON.stringify(v)}`);
      }
      if (Number(f.s) < 0) throw new Error(`${fn}: joint[${i}][${j}] must be >= 0, got ${v}`);
      return f;
    }),
  );
  const total = p.flat().reduce((a, b) => a.add(b), math.fraction(0));
  if (!total.equals(1)) throw new Error(`${fn}: joint must sum to exactly 1, got ${total.toFraction()}`);

  const B = bigMathFor(precision);
  const px = p.map((row) => row.reduce((a, b) => a.add(b), math.fraction(0)));
  const pc = p[0].map((_, j) => p.reduce((a, row) => a.add(row[j]), math.fraction(0)));
  // r(x, c) = p(x, c) / (p(x) p(c)); 0 when p(x, c) = 0 (p(x), p(c) > 0 whenever the pair occurs in a batch)
  const ratio = (x: number, c: number): Fraction => (p[x][c].equals(0) ? math.fraction(0) : p[x][c].div(px[x].mul(pc[c])));
  const outcomes: { x: number; c: number; prob: Fraction }[] = [];
  p.forEach((row, x) => row.forEach((prob, c) => !prob.equals(0) && outcomes.push({ x, c, prob })));

  const ln = (f: Fraction): BigNumber => B.log(B.bignumber(f)) as BigNumber;
  let mi = B.bignumber(0) as BigNumber;
  for (const o of outcomes) mi = B.add(mi, B.multiply(B.bignumber(o.prob), ln(ratio(o.x, o.c)))) as BigNumber;

  const k = outcomes.length;
  return batchSizes.map((n) => {
    if (!Number.isInteger(n) || n < 2) throw new Error(`${fn}: every batch size N must be an integer >= 2, got ${n}`);
    const batches = k ** n;
    if (batches > maxBatches) throw new Error(`${fn}: N = ${n} needs ${batches} batches (${k} outcomes ^ ${n}), more than maxBatches = ${maxBatches}; use a smaller N or table`);
    // E[L] = sum over batches P(b) (1/N) sum_i ln q_{b,i}, q = sum_j r(x_i, c_j) / r(x_i, c_i):
    // collect the exact weight of each distinct q, then take each logarithm once.
    const weights = new Map<string, { q: Fraction; w: Fraction }>();
    const idx = new Array<number>(n).fill(0);
    const invN = math.fraction(1, n);
    for (let b = 0; b < batches; b++) {
      let rest = b;
      for (let i = 0; i < n; i++) {
        idx[i] = rest % k;
        rest = Math.floor(rest / k);
      }
      let prob = math.fraction(1);
      for (const i of idx) prob = prob.mul(outcomes[i].prob);
      const w = prob.mul(invN);
      for (const i of idx) {
        const { x, c } = outcomes[i];
        let sum = math.fraction(0);
        for (const j of idx) sum = sum.add(ratio(x, outcomes[j].c));
        const q = sum.div(ratio(x, c));
        const key = q.toFraction();
        const entry = weights.get(key);
        if (entry) entry.w = entry.w.add(w);
        else weights.set(key, { q, w });
      }
    }
    let loss = B.bignumber(0) as BigNumber;
    for (const { q, w } of weights.values()) loss = B.add(loss, B.multiply(B.bignumber(w), ln(q))) as BigNumber;
    const logN = ln(math.fraction(n));
    const bound = B.subtract(logN, loss) as BigNumber;
    const gap = B.subtract(mi, bound) as BigNumber;
    const digits = (v: BigNumber) => v.toSignificantDigits(Math.min(precision - 4, 40)).toString();
    return {
      batchSize: n,
      batches,
      logN: Math.log(n),
      mi: mi.toNumber(),
      expectedLoss: loss.toNumber(),
      bound: bound.toNumber(),
      gap: gap.toNumber(),
      exact: { mi: digits(mi), expectedLoss: digits(loss), bound: digits(bound), gap: digits(gap) },
      holds: !gap.isNegative(),
    };
  });
}

function bigMathFor(precision: number): math.MathJsInstance {
  if (bigMath === undefined || bigMathPrecision !== precision) {
    bigMath = math.create(math.all, { number: 'BigNumber', precision });
    bigMathPrecision = precision;
  }
  return bigMath;
}
