import type { ExerciseResult } from '../engine/result_types';

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * How long an exercise took and which limit stopped it, as every report says it, e.g.
 * `60.0 s of its 60.0 s budget (wall 75.2 s); stopped by: exercise budget`. Times are on the
 * sandbox's fair clock (waiting for a CPU others held is not counted), the wall time beside it.
 */
export function exerciseTime(e: ExerciseResult): string {
  const t = e.time;
  return `${s(t.ms)} of its ${s(t.budgetMs)} budget (wall ${s(t.wallMs)})${t.stoppedBy ? `; stopped by: ${t.stoppedBy}` : ''}`;
}
