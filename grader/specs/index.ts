// Every exercise spec, in exercise order. A new exercise adds one import and one entry.
import type { ExerciseSpec } from './spec_types';
import { ex04 } from './ex04-nt-xent';

/** All exercise specs the grader knows. */
export const SPECS: ExerciseSpec[] = [ex04];

export type { ExerciseSpec, GradedTest, KnownMistake, Tolerance, Visibility } from './spec_types';
