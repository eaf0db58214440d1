/** The learning-rate schedules the trainers know. */
export const LR_SCHEDULES = ['constant', 'cosine'] as const;
/** A learning-rate schedule: see {@link learningRateAt}. */
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/**
 * The learning rate after a fraction of the run: 'constant' gives `lr`; 'cosine' gives
 * lr * (1 + cos(pi * fraction)) / 2, from lr at the start to 0 at the end (SGDR without restarts,
 * as SimCLR and MoCo v2 use).
 * @param schedule 'constant' | 'cosine'
 * @param lr the peak learning rate
 * @param fraction how much of the run is done, in [0, 1] (values outside are clamped)
 * @example learningRateAt('cosine', 1e-3, 0.5) // 5e-4
 */
export function learningRateAt(schedule: LrSchedule, lr: number, fraction: number): number {
  if (schedule === 'constant') return lr;
  if (schedule === 'cosine') {
    const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    return (lr * (1 + Math.cos(Math.PI * f))) / 2;
  }
  throw new Error(`learningRateAt: schedule must be one of ${LR_SCHEDULES.join(', ')}, got ${JSON.stringify(schedule)}`);
}
