import { GRADE_DEFAULTS, GradeOptions } from '../engine/grade_options';
import type { FlagSpec } from './verb_spec';

/**
 * The flags that set engine options, with the engine's defaults. The verbs that grade (check,
 * grade, grade-all) list the ones they take in their own flag tables.
 */
export const ENGINE_FLAGS = {
  only: { type: 'list', value: 'ex01,ex04', help: 'only these exercises (default: all)' },
  'timeout-ms': { type: 'number', integer: true, value: 'MS', default: GRADE_DEFAULTS.testTimeoutMs, help: "time limit of one test (on the sandbox's fair clock); each exercise's budget is 12 of them" },
  'memory-mb': { type: 'number', integer: true, value: 'MB', default: GRADE_DEFAULTS.memoryMb, help: "V8 heap cap of the sandboxed child" },
  'no-typecheck': { type: 'boolean', help: 'skip the strict type-check (its errors are feedback only, never points)' },
} satisfies Record<string, FlagSpec>;

/** The engine options set by {@link ENGINE_FLAGS} in parsed flags (absent flags give undefined). */
export function engineOverrides(flags: Record<string, unknown>): Partial<GradeOptions> {
  return {
    only: flags.only as string[] | undefined,
    testTimeoutMs: flags['timeout-ms'] as number | undefined,
    memoryMb: flags['memory-mb'] as number | undefined,
    typecheck: flags['no-typecheck'] === true ? false : undefined,
  };
}
