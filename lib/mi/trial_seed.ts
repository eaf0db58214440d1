/**
 * The seed of one trial in a bound experiment grid, so that the vectorised boundExperiment
 * and a plain per-trial loop (exercise 3) draw exactly the same batches:
 * `seed + 10_007 * batchIndex + trial`.
 * It does not depend on the true MI: every MI in the grid reuses the same x and eps draws
 * (common random numbers), so differences between MIs are not sampling noise, and the
 * experiment samples once per batch size instead of once per cell.
 * @param seed the experiment's seed (an integer)
 * @param batchIndex index into the experiment's `batchSizes` (0-based)
 * @param trial the trial number, 0 <= trial < 10_007
 * @example sampleCorrelatedGaussians({n, dim, rho, seed: trialSeed(seed, b, t)})
 */
export function trialSeed(seed: number, batchIndex: number, trial: number): number {
  for (const [name, v] of [['seed', seed], ['batchIndex', batchIndex], ['trial', trial]] as const) {
    if (!Number.isInteger(v)) throw new Error(`trialSeed: ${name} must be an integer, got ${v}`);
  }
  if (batchIndex < 0) throw new Error(`trialSeed: batchIndex must be >= 0, got ${batchIndex}`);
  if (trial < 0 || trial >= 10_007) throw new Error(`trialSeed: trial must be in [0, 10006], got ${trial}`);
  return seed + 10_007 * batchIndex + trial;
}
